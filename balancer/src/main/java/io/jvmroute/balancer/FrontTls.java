package io.jvmroute.balancer;

import io.jvmroute.config.BalancerSettings;
import io.jvmroute.config.ConfigException;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.KeyManagerFactory;
import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

/** The front listener's TLS context from PEM files or a keystore (HTTP/1.1 only), or none. */
final class FrontTls {

    private FrontTls() {
    }

    /** @return the context, or null when no TLS is configured */
    static SslContext context(BalancerSettings s) throws ConfigException {
        try {
            if (s.tlsCert().isPresent()) {
                return SslContextBuilder.forServer(new File(s.tlsCert().get()), new File(s.tlsKey().orElseThrow()))
                        .applicationProtocolConfig(ApplicationProtocolConfig.DISABLED).build();
            }
            if (s.tlsKeystore().isPresent()) {
                Path path = Path.of(s.tlsKeystore().get());
                char[] password = s.tlsKeystorePassword().toCharArray();
                KeyStore keyStore = KeyStore.getInstance(path.toString().endsWith(".jks") ? "JKS" : "PKCS12");
                try (InputStream in = Files.newInputStream(path)) {
                    keyStore.load(in, password);
                }
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keyStore, password);
                return SslContextBuilder.forServer(kmf).build();
            }
            return null;
        } catch (Exception e) {
            throw new ConfigException("balancer.tls: cannot load the certificate or key: " + e.getMessage());
        }
    }
}
