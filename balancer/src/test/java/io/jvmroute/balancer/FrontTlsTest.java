package io.jvmroute.balancer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Optional TLS on the front listener, from a keystore; workers are told the request came over https. */
class FrontTlsTest {

    private final Fixture f = new Fixture();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        f.close();
    }

    /** A self-signed key pair for 127.0.0.1, made with the JDK's keytool. */
    private Path keystore() throws Exception {
        Path p12 = dir.resolve("front.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "front", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", p12.toString(),
                "-storepass", "changeit").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as(output).isZero();
        return p12;
    }

    private static HttpClient trusting(Path p12) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("front", keys.getCertificate("front"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).build();
    }

    @Test
    void theFrontListenerSpeaksHttpsAndWorkersSeeProtoHttps() throws Exception {
        Path p12 = keystore();
        f.backends(1).start("balancer.tls.keystore=" + p12 + "\nbalancer.tls.keystore_password=changeit\n");
        URI uri = URI.create("https://127.0.0.1:" + f.balancer.frontAddress().getPort() + "/secure");

        HttpResponse<String> r = trusting(p12).send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("jvm1");
        assertThat(f.backend("jvm1").received.get(0).headers().get("X-Forwarded-Proto")).isEqualTo("https");
    }

    @Test
    void aKeystoreThatCannotBeReadStopsTheStartWithAClearMessage() throws Exception {
        f.backends(1);

        assertThatThrownBy(() -> f.start("balancer.tls.keystore=" + dir.resolve("missing.p12") + "\n"))
                .hasMessageStartingWith("balancer.tls: cannot load the certificate or key:");
    }
}
