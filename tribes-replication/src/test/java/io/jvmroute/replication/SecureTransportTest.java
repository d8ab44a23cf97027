package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.gadget.Recording;
import io.jvmroute.replication.secure.TlsReceiver;
import io.jvmroute.testsupport.FreePorts;
import io.jvmroute.testsupport.Http;
import io.jvmroute.testsupport.LogCapture;
import io.jvmroute.tls.ClusterPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.apache.catalina.ha.tcp.SimpleTcpCluster;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.group.GroupChannel;
import org.apache.catalina.tribes.membership.StaticMember;
import org.apache.catalina.tribes.membership.StaticMembershipService;
import org.apache.catalina.tribes.transport.Constants;
import org.apache.catalina.tribes.transport.nio.NioReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may talk to a node's replication port. One TLS node (jvm1 on {@link #NODE}; jvm2 is listed on
 * {@link #JVM2} but not running) receives genuine Tribes frames that carry a {@link Recording}, from raw clients
 * leaving from chosen loopback addresses. Each refused client must leave {@link Recording#READS} at 0, one log
 * line with its address and reason, and a node that still serves. The control test sends the same plain frame
 * to a stock {@link SimpleTcpCluster}, which deserializes it: the assertions here can fail.
 */
class SecureTransportTest {

    private static final String NODE = "127.0.0.31";
    private static final String JVM2 = "127.0.0.32";
    private static final String STRANGER = "127.0.0.33";
    private static final String STOCK = "127.0.0.34";
    private static final int SYNC_ACK = Channel.SEND_OPTIONS_USE_ACK | Channel.SEND_OPTIONS_SYNCHRONIZED_ACK;

    private static Path dir;
    private static ClusterPki pki;
    private static ClusterPki rogue;
    private static TestNode node;
    private static int port;

    @BeforeAll
    static void startNode() throws Exception {
        dir = Files.createTempDirectory("jvmroute-tls");
        pki = TestPki.init(dir.resolve("cluster"));
        rogue = TestPki.init(dir.resolve("rogue"));
        ClusterPki.NodeMaterial jvm1 = TestPki.issue(pki, "jvm1");
        node = FreePorts.retryOnLostPort(started -> {
            port = FreePorts.on(NODE, JVM2);
            String members = "jvm1=" + NODE + ":" + port + ",jvm2=" + JVM2 + ":" + port;
            return TestNode.start("jvm1", NODE, c -> {
                c.setMembers(members);
                TestPki.tls(jvm1).accept(c);
            });
        });
    }

    @AfterAll
    static void stopNode() throws IOException {
        if (node != null) {
            node.close();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @BeforeEach
    void resetRecording() {
        Recording.READS.set(0);
    }

    @Test
    void aPlainTcpClientIsRefusedBeforeAnythingIsDeserialized() throws Exception {
        String line = refusedLine(() -> TestPki.sendPlain(STRANGER, NODE, port, frame()), STRANGER);
        assertThat(line).contains("not TLS");
        assertRefusedAndStillServing();
    }

    @Test
    void aTlsClientWithASelfSignedCertificateIsRefused() throws Exception {
        // The rogue CA's own certificate is self-signed: a TLS client that made up its identity.
        Path caCert = dir.resolve("rogue/ca.crt");
        Path caKey = dir.resolve("rogue/ca.key");
        String line = refusedLine(() -> TestPki.sendTls(STRANGER, NODE, port, caCert, caKey, frame()), STRANGER);
        assertThat(line).contains("untrusted certificate").contains("not signed by the cluster CA");
        assertRefusedAndStillServing();
    }

    @Test
    void aNodeCertificateOfAnotherClusterCaIsRefused() throws Exception {
        ClusterPki.NodeMaterial other = TestPki.issue(rogue, "jvm2");
        String line = refusedLine(() -> TestPki.sendTls(JVM2, NODE, port, other.certificateFile(), other.keyFile(),
                frame()), JVM2);
        assertThat(line).contains("untrusted certificate: CN=jvm2");
        assertRefusedAndStillServing();
    }

    @Test
    void anExpiredCertificateOfTheClusterCaIsRefusedAsExpired() throws Exception {
        // Valid from 5 minutes ago (ClusterPki's clock tolerance) until 1 minute ago.
        ClusterPki.NodeMaterial expired = TestPki.issue(pki, "jvm2-expired", Duration.ofMinutes(-1));
        String line = refusedLine(() -> TestPki.sendTls(JVM2, NODE, port, expired.certificateFile(),
                expired.keyFile(), frame()), JVM2);
        assertThat(line).contains("expired certificate").contains("CN=jvm2-expired");
        assertRefusedAndStillServing();
    }

    @Test
    void aCertificateNamingAnotherRouteIsRefusedAsARouteMismatch() throws Exception {
        // Signed by the cluster CA, but for jvm3, while it connects from the address members lists for jvm2.
        ClusterPki.NodeMaterial jvm3 = TestPki.issue(pki, "jvm3");
        String line = refusedLine(() -> TestPki.sendTls(JVM2, NODE, port, jvm3.certificateFile(), jvm3.keyFile(),
                frame()), JVM2);
        assertThat(line).contains("route mismatch").contains("[jvm3]").contains("[jvm2] at " + JVM2);
        assertRefusedAndStillServing();
    }

    /**
     * The authenticated peer: jvm2's own certificate from jvm2's address. Its frames reach the channel; a
     * {@link Recording} in one is refused by the allow-list before instantiation (failed acknowledgement), a
     * String is acknowledged. This also shows the refusals above are not a transport that refuses everyone.
     */
    @Test
    void anAuthenticatedPeerIsHeardButAClassOutsideTheAllowListIsNotInstantiated() throws Exception {
        ClusterPki.NodeMaterial jvm2 = pkiMaterial("jvm2");
        try (LogCapture refusals = LogCapture.juli(io.jvmroute.replication.secure.ReceiveGuard.class, Level.SEVERE)) {
            byte[] answer = TestPki.sendTls(JVM2, NODE, port, jvm2.certificateFile(), jvm2.keyFile(),
                    TestPki.frame(new Recording("gadget"), SYNC_ACK));
            assertThat(answer).isEqualTo(Constants.FAIL_ACK_DATA);
            assertThat(Recording.READS).hasValue(0);
            assertThat(refusals.messages()).singleElement().asString()
                    .contains("from [127.0.0.99:4999]") // the member the frame claims to come from
                    .contains("over [TLS from " + JVM2 + ":") // and who the handshake authenticated
                    .contains("as CN=jvm2")
                    .contains("class not allowed: " + Recording.class.getName());
        }
        byte[] answer = TestPki.sendTls(JVM2, NODE, port, jvm2.certificateFile(), jvm2.keyFile(),
                TestPki.frame("harmless", SYNC_ACK));
        assertThat(answer).isEqualTo(Constants.ACK_DATA);
        assertThat(node.cluster.secureReplication().getRejectedClasses()).isPositive();
    }

    /** An authenticated jvm2 must not speak for jvm1: a frame whose sender publishes route jvm1 is refused. */
    @Test
    void anAuthenticatedPeerCannotSendFramesInTheNameOfAnotherRoute() throws Exception {
        ClusterPki.NodeMaterial jvm2 = pkiMaterial("jvm2");
        try (LogCapture refusals = LogCapture.juli(TlsReceiver.class, Level.WARNING)) {
            byte[] answer = TestPki.sendTls(JVM2, NODE, port, jvm2.certificateFile(), jvm2.keyFile(),
                    TestPki.frame("jvm1", "a change in jvm1's name", SYNC_ACK));
            assertThat(answer).isEqualTo(Constants.FAIL_ACK_DATA);
            assertThat(refusals.messages()).singleElement().asString()
                    .startsWith("Refused a replication frame from [" + JVM2 + ":")
                    .contains("claims route jvm1 but the certificate names [jvm2]");
        }
        byte[] own = TestPki.sendTls(JVM2, NODE, port, jvm2.certificateFile(), jvm2.keyFile(),
                TestPki.frame("jvm2", "in its own name", SYNC_ACK));
        assertThat(own).isEqualTo(Constants.ACK_DATA);
    }

    /** A peer whose certificate expires within the warning days is accepted, and warned of once. */
    @Test
    void aPeerCertificateThatExpiresSoonIsWarnedOfOnce() throws Exception {
        Path second = Files.createDirectories(dir.resolve("cluster-second-issuer"));
        Files.copy(dir.resolve("cluster/ca.crt"), second.resolve("ca.crt"));
        Files.copy(dir.resolve("cluster/ca.key"), second.resolve("ca.key"));
        ClusterPki.NodeMaterial soon = TestPki.issue(ClusterPki.load(second), "jvm2", Duration.ofDays(10));
        try (LogCapture warnings = LogCapture.juli(TlsReceiver.class, Level.WARNING)) {
            for (int i = 0; i < 2; i++) {
                assertThat(TestPki.sendTls(JVM2, NODE, port, soon.certificateFile(), soon.keyFile(),
                        TestPki.frame("still welcome", SYNC_ACK))).isEqualTo(Constants.ACK_DATA);
            }
            assertThat(warnings.messages()).singleElement().asString()
                    .startsWith("Peer [" + JVM2 + ":").contains("CN=jvm2").contains("expires in [9] days");
        }
    }

    /** The control: the same plain frame to a stock SimpleTcpCluster node is deserialized. */
    @Test
    void theSamePlainFrameIsDeserializedByAStockSimpleTcpClusterNode() throws Exception {
        int[] picked = new int[1];
        TestNode stock = FreePorts.retryOnLostPort(started -> {
            picked[0] = FreePorts.on(STOCK);
            TestNode created = started.add(TestNode.create("stock1", STOCK, null));
            created.tomcat.getEngine().setCluster(stockCluster(picked[0]));
            created.tomcat.start();
            return created;
        });
        int stockPort = picked[0];
        try {
            TestPki.sendPlain(STRANGER, STOCK, stockPort, frame());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Recording.READS).hasValue(1));
        } finally {
            stock.close();
        }
    }

    private static SimpleTcpCluster stockCluster(int stockPort) throws IOException {
        SimpleTcpCluster cluster = new SimpleTcpCluster();
        cluster.setClusterName("stock");
        GroupChannel channel = new GroupChannel();
        NioReceiver receiver = new NioReceiver();
        receiver.setAddress(STOCK);
        receiver.setPort(stockPort);
        receiver.setAutoBind(1);
        channel.setChannelReceiver(receiver);
        StaticMembershipService membership = new StaticMembershipService(); // no multicast on this machine
        StaticMember self = new StaticMember(STOCK, stockPort, 0);
        self.setUniqueId(new byte[16]);
        membership.setLocalMember(self);
        channel.setMembershipService(membership);
        cluster.setChannel(channel);
        return cluster;
    }

    private interface Client {
        byte[] send() throws Exception;
    }

    /** Runs the client, waits for the node's refusal line about {@code from}, and returns it. */
    private static String refusedLine(Client client, String from) throws Exception {
        long failedBefore = node.cluster.secureReplication().metrics().handshakesFailed(from);
        try (LogCapture refusals = LogCapture.juli(TlsReceiver.class, Level.WARNING)) {
            byte[] answer = client.send();
            assertThat(answer).as("a refused client gets no acknowledgement").isEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> !refusals.messages().isEmpty());
            List<String> lines = refusals.messages();
            assertThat(lines).singleElement().asString().startsWith("Refused replication connection from [" + from + ":");
            assertThat(node.cluster.secureReplication().metrics().handshakesFailed(from)).isEqualTo(failedBefore + 1);
            return lines.get(0);
        }
    }

    /** Nothing was deserialized, and the node still answers logins. */
    private static void assertRefusedAndStillServing() {
        assertThat(Recording.READS).hasValue(0);
        assertThat(Http.get(node.url("/login?user=after"), null).status()).isEqualTo(200);
    }

    private static byte[] frame() throws IOException {
        return TestPki.frame(new Recording("sent by a stranger"), SYNC_ACK);
    }

    private static ClusterPki.NodeMaterial pkiMaterial(String route) throws Exception {
        Path certificate = dir.resolve("cluster/" + route + ".crt");
        if (Files.exists(certificate)) {
            return new ClusterPki.NodeMaterial(route, certificate, dir.resolve("cluster/" + route + ".key"),
                    dir.resolve("cluster/ca.crt"), null);
        }
        return TestPki.issue(pki, route);
    }
}
