package io.jvmroute.replication.secure;

import io.jvmroute.tls.PemFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A node's TLS material, read once at start from the PEM files {@code jvmroute tls init} writes: its
 * certificate and key, presented on both ends of every link, and the cluster CA, the only trust anchor.
 * TLS 1.3 only; a peer must present a certificate (mutual TLS).
 */
public final class ClusterTls {

    static final String PROTOCOL = "TLSv1.3";
    private static final char[] NO_PASSWORD = new char[0];

    private final SSLContext context;
    private final X509Certificate certificate;
    private final X509Certificate ca;
    private final PeerRoutes routes;

    private ClusterTls(SSLContext context, X509Certificate certificate, X509Certificate ca, PeerRoutes routes) {
        this.routes = routes;
        this.context = context;
        this.certificate = certificate;
        this.ca = ca;
    }

    /**
     * Reads the files and builds the context; a problem is one {@link IllegalArgumentException} line naming the
     * attribute and the file.
     */
    public static ClusterTls load(Path certificateFile, Path keyFile, Path caFile, PeerRoutes routes,
            boolean verifyPeerRoute) {
        List<X509Certificate> chain = read("certificateFile", certificateFile, () -> PemFiles.readCertificates(certificateFile));
        PrivateKey key = read("certificateKeyFile", keyFile, () -> PemFiles.readPrivateKey(keyFile));
        List<X509Certificate> anchors = read("caCertificateFile", caFile, () -> PemFiles.readCertificates(caFile));
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("node", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, NO_PASSWORD);
            TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
            trust.init(PemFiles.trustStore(anchors));
            X509ExtendedTrustManager pkix = null;
            for (TrustManager manager : trust.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager extended) {
                    pkix = extended;
                }
            }
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(keyManagers.getKeyManagers(),
                    new TrustManager[] {new RouteTrustManager(pkix, routes, verifyPeerRoute)}, null);
            return new ClusterTls(context, chain.get(0), anchors.get(0), routes);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("certificateKeyFile: " + keyFile + " does not fit " + certificateFile
                    + " or cannot be used for TLS 1.3 (" + e.getMessage() + ")");
        }
    }

    private interface Reader<T> {
        T read() throws IOException, GeneralSecurityException;
    }

    private static <T> T read(String attribute, Path file, Reader<T> reader) {
        try {
            return reader.read();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(attribute + ": cannot read " + file + " (" + e + ")");
        }
    }

    /** The members' addresses and routes, which the receiver reserves its connection slots for. */
    PeerRoutes routes() {
        return routes;
    }

    SSLContext context() {
        return context;
    }

    /** TLS 1.3 only, and the peer must authenticate: on the receiver's side too. */
    SSLParameters parameters() {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(new String[] {PROTOCOL});
        parameters.setNeedClientAuth(true);
        return parameters;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Whole days until this node's certificate expires (negative once it has). */
    public long certificateExpiresInDays(Instant now) {
        return Duration.between(now, certificate.getNotAfter().toInstant()).toDays();
    }

    /** Whole days until the cluster CA expires. */
    public long caExpiresInDays(Instant now) {
        return Duration.between(now, ca.getNotAfter().toInstant()).toDays();
    }

    /** One line per certificate that expires within {@code warningDays} (or has expired). */
    public List<String> expiryWarnings(Instant now, int warningDays) {
        List<String> warnings = new ArrayList<>();
        warn(warnings, "this node's certificate " + certificate.getSubjectX500Principal().getName(), certificate, now,
                warningDays);
        warn(warnings, "the cluster CA " + ca.getSubjectX500Principal().getName(), ca, now, warningDays);
        return warnings;
    }

    private static void warn(List<String> warnings, String what, X509Certificate cert, Instant now, int warningDays) {
        Instant notAfter = cert.getNotAfter().toInstant();
        if (notAfter.isBefore(now)) {
            warnings.add(what + " EXPIRED on " + notAfter + ": peers refuse this node until it is renewed");
        } else if (notAfter.isBefore(now.plus(Duration.ofDays(warningDays)))) {
            warnings.add(what + " expires in " + Duration.between(now, notAfter).toDays() + " days, on " + notAfter
                    + " (renew it with jvmroute tls add)");
        }
    }
}
