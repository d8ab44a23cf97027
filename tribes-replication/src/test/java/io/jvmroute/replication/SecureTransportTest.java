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
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
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
                c.setHandshakeTimeout("2000");
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

    /** A certificate from before the route had its own name: refused with how to reissue it. */
    @Test
    void aCertificateWithoutTheRouteNameIsRefusedSayingHowToReissueIt() throws Exception {
        ClusterPki.NodeMaterial old = TestPki.issueWithoutRouteName(dir.resolve("cluster"), "jvm2");
        String line = refusedLine(() -> TestPki.sendTls(JVM2, NODE, port, old.certificateFile(), old.keyFile(),
                frame()), JVM2);
        assertThat(line).contains("the certificate CN=jvm2,O=jvmroute names no route")
                .contains("jvmroute:route:<route>").contains("jvmroute tls add --out <folder> --route <route>");
        assertRefusedAndStillServing();
    }

    /** jvm3's certificate also names host "jvm2" (a DNS name): that used to count as the route jvm2. */
    @Test
    void aHostNameEqualToAnotherRouteDoesNotCountAsThatRoute() throws Exception {
        ClusterPki.NodeMaterial jvm3 = pki.issue("jvm3-host", List.of("jvm2"), ClusterPki.DEFAULT_NODE_VALIDITY);
        String line = refusedLine(() -> TestPki.sendTls(JVM2, NODE, port, jvm3.certificateFile(), jvm3.keyFile(),
                frame()), JVM2);
        assertThat(line).contains("route mismatch: the certificate names [jvm3-host]");
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
                    TestPki.frame("jvm2", new Recording("gadget"), SYNC_ACK));
            assertThat(answer).isEqualTo(Constants.FAIL_ACK_DATA);
            assertThat(Recording.READS).hasValue(0);
            assertThat(refusals.messages()).singleElement().asString()
                    .contains("127.0.0.99:4999]") // the member the frame claims to come from
                    .contains("over [TLS from " + JVM2 + ":") // and who the handshake authenticated
                    .contains("as CN=jvm2")
                    .contains("class not allowed: " + Recording.class.getName());
        }
        byte[] answer = TestPki.sendTls(JVM2, NODE, port, jvm2.certificateFile(), jvm2.keyFile(),
                TestPki.frame("jvm2", "harmless", SYNC_ACK));
        assertThat(answer).isEqualTo(Constants.ACK_DATA);
        assertThat(node.cluster.secureReplication().getRejectedClasses()).isPositive();
    }

    /** A header without a member payload used to pass the pin: it names no route, so it is refused now. */
    @Test
    void aFrameThatNamesNoRouteIsRefused() throws Exception {
        ClusterPki.NodeMaterial jvm2 = pkiMaterial("jvm2");
        try (LogCapture refusals = LogCapture.juli(TlsReceiver.class, Level.WARNING)) {
            byte[] answer = TestPki.sendTls(JVM2, NODE, port, jvm2.certificateFile(), jvm2.keyFile(),
                    TestPki.frame((String) null, "no payload in the header", SYNC_ACK));
            assertThat(answer).isEqualTo(Constants.FAIL_ACK_DATA);
            assertThat(refusals.messages()).singleElement().asString()
                    .contains("a frame names no route").contains("the certificate names [jvm2]");
        }
    }

    /** The payload says jvm2, the member id is jvm1's: the channel would act for jvm1. */
    @Test
    void aFrameWithItsOwnRouteButAnotherMembersIdIsRefused() throws Exception {
        ClusterPki.NodeMaterial jvm2 = pkiMaterial("jvm2");
        org.apache.catalina.tribes.membership.MemberImpl sender =
                new org.apache.catalina.tribes.membership.MemberImpl(JVM2, port, 0);
        sender.setPayload(io.jvmroute.membership.MemberPayload.of("jvm2",
                io.jvmroute.membership.MemberState.ACTIVE).encode());
        sender.setUniqueId(io.jvmroute.replication.secure.MemberIds.of("jvm1"));
        try (LogCapture refusals = LogCapture.juli(TlsReceiver.class, Level.WARNING)) {
            byte[] answer = TestPki.sendTls(JVM2, NODE, port, jvm2.certificateFile(), jvm2.keyFile(),
                    TestPki.frame(sender, "in jvm1's id", SYNC_ACK));
            assertThat(answer).isEqualTo(Constants.FAIL_ACK_DATA);
            assertThat(refusals.messages()).singleElement().asString()
                    .contains("claims route jvm2 with the member id of another route");
        }
    }

    /**
     * A genuine member announces a 2 GB frame: refused on its header, before any of it is buffered (Tribes'
     * reader doubled its buffer as the bytes came), with one line; the node keeps serving.
     */
    @Test
    void aFrameLargerThanMaxFrameSizeIsRefusedOnItsHeader() throws Exception {
        ClusterPki.NodeMaterial jvm2 = pkiMaterial("jvm2");
        java.io.ByteArrayOutputStream huge = new java.io.ByteArrayOutputStream();
        huge.writeBytes("FLT2002".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        huge.writeBytes(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        huge.writeBytes(new byte[256 * 1024]);
        assertThat(closingRefusal(jvm2, huge.toByteArray()))
                .contains("a frame of 2147483647 bytes exceeds maxFrameSize (67108864 bytes); connection closed");
        assertRefusedAndStillServing();
    }

    /** A small frame whose unique-id length says 2 GB: Tribes would allocate it as told. */
    @Test
    void aFrameWhoseInnerLengthDoesNotFitIsRefused() throws Exception {
        ClusterPki.NodeMaterial jvm2 = pkiMaterial("jvm2");
        byte[] frame = TestPki.frame("jvm2", "fine", SYNC_ACK);
        int uniqueIdLength = 7 + 4 + 4 + 8; // start marker, frame length, options, timestamp
        frame[uniqueIdLength] = 0x7f;
        assertThat(closingRefusal(jvm2, frame)).contains("malformed frame: bad unique id length");
        assertRefusedAndStillServing();
    }

    /** Sends {@code bytes} as the authenticated peer; the node answers nothing and logs one line: returned. */
    private static String closingRefusal(ClusterPki.NodeMaterial peer, byte[] bytes) throws Exception {
        try (LogCapture refusals = LogCapture.juli(TlsReceiver.class, Level.WARNING)) {
            assertThat(TestPki.sendTls(JVM2, NODE, port, peer.certificateFile(), peer.keyFile(), bytes)).isEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> !refusals.messages().isEmpty());
            assertThat(refusals.messages()).hasSize(1);
            return refusals.messages().get(0);
        }
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
                        TestPki.frame("jvm2", "still welcome", SYNC_ACK))).isEqualTo(Constants.ACK_DATA);
            }
            assertThat(warnings.messages()).singleElement().asString()
                    .startsWith("Peer [" + JVM2 + ":").contains("CN=jvm2").contains("expires in [9] days");
        }
    }

    /**
     * A client that trickles a TLS record a byte at a time: each read succeeds within the read timeout, so only a
     * deadline for the whole handshake frees its slot.
     */
    @Test
    void aHandshakeTrickledByteByByteIsCutOffAtItsDeadline() throws Exception {
        try (Socket socket = new Socket(); LogCapture refusals = LogCapture.juli(TlsReceiver.class, Level.WARNING)) {
            socket.bind(new InetSocketAddress(STRANGER, 0));
            socket.connect(new InetSocketAddress(NODE, port), 2_000);
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00}); // a handshake record of 512 bytes follows...
            Thread trickle = new Thread(() -> {
                try {
                    for (int i = 0; i < 500 && !Thread.currentThread().isInterrupted(); i++) {
                        out.write(1);
                        out.flush();
                        Thread.sleep(50); // the attacker's pace, not a synchronisation
                    }
                } catch (IOException | InterruptedException closed) {
                    // the node cut the connection: what the test waits for
                }
            });
            trickle.start();
            try {
                await().atMost(Duration.ofSeconds(8)).until(() -> !refusals.messages().isEmpty());
            } finally {
                trickle.interrupt();
            }
            assertThat(refusals.messages()).singleElement().asString()
                    .startsWith("Refused replication connection from [" + STRANGER + ":")
                    .contains("handshake not completed within 2000 ms");
        }
        assertRefusedAndStillServing();
    }

    /** Outsiders holding handshakes open take at most 32 slots: a member still gets in. */
    @Test
    void addressesNotInMembersCannotTakeTheMembersSlots() throws Exception {
        List<Socket> held = new java.util.ArrayList<>();
        try (LogCapture refusals = LogCapture.juli(TlsReceiver.class, Level.WARNING)) {
            for (int i = 0; i < 33; i++) {
                Socket socket = new Socket();
                held.add(socket);
                socket.bind(new InetSocketAddress(STRANGER, 0));
                socket.connect(new InetSocketAddress(NODE, port), 2_000);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> !refusals.messages().isEmpty());
            assertThat(refusals.messages()).singleElement().asString()
                    .startsWith("Refused replication connection from [" + STRANGER + ":")
                    .contains("too many handshakes from addresses not in members (32)");
            ClusterPki.NodeMaterial jvm2 = pkiMaterial("jvm2");
            assertThat(TestPki.sendTls(JVM2, NODE, port, jvm2.certificateFile(), jvm2.keyFile(),
                    TestPki.frame("jvm2", "a member still gets in", SYNC_ACK))).isEqualTo(Constants.ACK_DATA);
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        TlsReceiver receiver = (TlsReceiver) ((GroupChannel) node.cluster.getChannel()).getChannelReceiver();
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.connectionsFrom(InetAddress.getByName(STRANGER)) == 0);
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
