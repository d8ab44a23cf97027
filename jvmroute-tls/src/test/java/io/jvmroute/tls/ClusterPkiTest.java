package io.jvmroute.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterPkiTest {

    @TempDir
    Path dir;

    @Test
    void keysAreOwnerOnlyAndCertificatesNameTheRoute() throws Exception {
        ClusterPki pki = ClusterPki.init(dir.resolve("tls"), "test", ClusterPki.DEFAULT_CA_VALIDITY);

        ClusterPki.NodeMaterial jvm1 = pki.issue("jvm1", List.of("127.0.0.11", "node1.example"), ClusterPki.DEFAULT_NODE_VALIDITY);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tls/ca.key")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(jvm1.keyFile()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tls")))).isEqualTo("rwx------");
        X509Certificate certificate = PemFiles.readCertificates(jvm1.certificateFile()).get(0);
        certificate.verify(pki.caCertificate().getPublicKey());
        assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=jvm1");
        assertThat(certificate.getSubjectAlternativeNames().stream().map(n -> (Object) n.get(1)).toList())
                .containsExactly((Object) "jvm1", "jvmroute:route:jvm1", "127.0.0.11", "node1.example");
        assertThat(certificate.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(jvm1.clusterAttributes()).contains("certificateFile=\"" + jvm1.certificateFile() + "\"");
    }

    /** A folder that already exists with lax permissions is made owner-only before keys go in. */
    @Test
    void anExistingFolderIsTightenedBeforeKeysAreWritten() throws Exception {
        Path existing = Files.createDirectories(dir.resolve("lax"));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxr-xr-x"));

        ClusterPki.init(existing, "test", ClusterPki.DEFAULT_CA_VALIDITY);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(existing))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(existing.resolve("ca.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void nodesOfOneClusterCompleteAMutualTlsHandshake() throws Exception {
        ClusterPki pki = ClusterPki.init(dir, "test", ClusterPki.DEFAULT_CA_VALIDITY);
        SSLContext server = context(pki.issue("jvm1", List.of(), ClusterPki.DEFAULT_NODE_VALIDITY));
        SSLContext client = context(pki.issue("jvm2", List.of(), ClusterPki.DEFAULT_NODE_VALIDITY));

        assertThat(handshake(server, client)).isEqualTo("CN=jvm2,O=jvmroute");
    }

    @Test
    void aNodeOfAnotherClusterIsRefused() throws Exception {
        SSLContext server = context(ClusterPki.init(dir.resolve("a"), "a", ClusterPki.DEFAULT_CA_VALIDITY)
                .issue("jvm1", List.of(), ClusterPki.DEFAULT_NODE_VALIDITY));
        SSLContext stranger = context(ClusterPki.init(dir.resolve("b"), "b", ClusterPki.DEFAULT_CA_VALIDITY)
                .issue("jvm2", List.of(), ClusterPki.DEFAULT_NODE_VALIDITY));

        // Whichever side notices first, the handshake fails on the certificate path, not on anything else.
        assertThatThrownBy(() -> handshake(server, stranger)).satisfies(e -> {
            Throwable ssl = e;
            while (ssl != null && !(ssl instanceof SSLException)) {
                ssl = ssl.getCause();
            }
            assertThat(ssl).isNotNull().hasMessageContaining("certification path");
        });
    }

    @Test
    void nothingIsEverOverwritten() throws Exception {
        ClusterPki pki = ClusterPki.init(dir, "test", ClusterPki.DEFAULT_CA_VALIDITY);
        pki.issue("jvm1", List.of(), ClusterPki.DEFAULT_NODE_VALIDITY);

        assertThatThrownBy(() -> ClusterPki.init(dir, "again", ClusterPki.DEFAULT_CA_VALIDITY))
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("jvmroute tls add");
        assertThatThrownBy(() -> ClusterPki.load(dir).issue("jvm1", List.of(), ClusterPki.DEFAULT_NODE_VALIDITY))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(ClusterPki.load(dir).issue("jvm3", List.of(), ClusterPki.DEFAULT_NODE_VALIDITY).certificateFile()).exists();
    }

    @Test
    void aRouteThatIsNotAJvmRouteIsRefused() throws Exception {
        ClusterPki pki = ClusterPki.init(dir, "test", ClusterPki.DEFAULT_CA_VALIDITY);

        assertThatThrownBy(() -> pki.issue("../etc/passwd", List.of(), ClusterPki.DEFAULT_NODE_VALIDITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("route: ../etc/passwd");
    }

    private static SSLContext context(ClusterPki.NodeMaterial node) throws Exception {
        return PemFiles.mutualTlsContext(node.certificateFile(), node.keyFile(), node.caCertificateFile());
    }

    /** Runs one TLS 1.3 handshake with client authentication on loopback; returns the client's subject. */
    private static String handshake(SSLContext server, SSLContext client) throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            listener.setEnabledProtocols(new String[] {"TLSv1.3"});
            CompletableFuture<String> accepted = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    InputStream in = socket.getInputStream();
                    in.read();
                    return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                socket.setEnabledProtocols(new String[] {"TLSv1.3"});
                OutputStream out = socket.getOutputStream();
                out.write(1);
                out.flush();
                return accepted.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause().getCause());
            }
        }
    }
}
