package io.jvmroute.replication;

import io.jvmroute.testsupport.FreePorts;
import io.jvmroute.testsupport.LogCapture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvmroute.membership.MemberPayload;
import io.jvmroute.membership.MemberState;
import io.jvmroute.replication.secure.MemberIds;
import io.jvmroute.tls.ClusterPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.membership.MemberImpl;
import org.apache.catalina.tribes.membership.StaticMember;
import org.apache.catalina.tribes.membership.StaticMembershipProvider.MemberMessage;
import org.apache.catalina.tribes.transport.Constants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A membership message names its member in its body. An authenticated node (jvm3, its own certificate, from its
 * own address) must not be able to stop another member (jvm2) or publish another member's state: the body's
 * member must be the frame's sender, and one of {@code members}.
 */
class MembershipIdentityTest {

    private static final String[] HOSTS = {"127.0.0.81", "127.0.0.82", "127.0.0.83"};
    private static final int SYNC_ACK = Channel.SEND_OPTIONS_USE_ACK | Channel.SEND_OPTIONS_SYNCHRONIZED_ACK;

    private final List<TestNode> nodes = new ArrayList<>();
    private Path dir;

    @AfterEach
    void stop() throws Exception {
        nodes.forEach(TestNode::close);
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aMemberCannotStopAnotherMemberOrPingInItsName() throws Exception {
        dir = Files.createTempDirectory("jvmroute-membership");
        ClusterPki pki = TestPki.init(dir.resolve("tls"));
        int port = FreePorts.on(HOSTS);
        String members = "jvm1=" + HOSTS[0] + ":" + port + ",jvm2=" + HOSTS[1] + ":" + port + ",jvm3=" + HOSTS[2]
                + ":" + port;
        for (int i = 0; i < 2; i++) {
            ClusterPki.NodeMaterial material = TestPki.issue(pki, "jvm" + (i + 1));
            nodes.add(TestNode.start("jvm" + (i + 1), HOSTS[i], c -> {
                c.setMembers(members);
                TestPki.tls(material).accept(c);
            }));
        }
        TestNode jvm1 = nodes.get(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> jvm1.cluster.getMembers().length == 1);
        ClusterPki.NodeMaterial jvm3 = TestPki.issue(pki, "jvm3");

        MemberImpl jvm2 = new MemberImpl(HOSTS[1], port, 0);
        jvm2.setUniqueId(MemberIds.of("jvm2"));
        jvm2.setPayload(MemberPayload.of("jvm2", MemberState.ACTIVE).encode());
        try (LogCapture refusals = LogCapture.juli(RouteCluster.class, Level.WARNING)) {
            byte[] answer = TestPki.sendTls(HOSTS[2], HOSTS[0], port, jvm3.certificateFile(), jvm3.keyFile(),
                    TestPki.frame("jvm3", memberMessage(MemberMessage.MSG_STOP, jvm2), SYNC_ACK));
            assertThat(answer).isEqualTo(Constants.ACK_DATA); // processed (a stock provider drops jvm2 here)
            assertThat(refusals.messages()).singleElement().asString()
                    .startsWith("Refused a membership message [stop] from [jvm3 at ")
                    .contains("it names member jvm2 at " + HOSTS[1] + ":" + port + ", not its sender");
        }
        assertThat(jvm1.cluster.getMembers()).hasSize(1);
        assertThat(MemberPayload.decode(jvm1.cluster.getMembers()[0].getPayload()).payloadOrNull().route())
                .isEqualTo("jvm2");

        // The same member id as its sender, but a DRAINING payload in jvm2's name.
        MemberImpl drainingJvm2 = new MemberImpl(HOSTS[2], port, 0);
        drainingJvm2.setUniqueId(MemberIds.of("jvm3"));
        drainingJvm2.setPayload(MemberPayload.of("jvm2", MemberState.DRAINING).encode());
        try (LogCapture refusals = LogCapture.juli(RouteCluster.class, Level.WARNING)) {
            TestPki.sendTls(HOSTS[2], HOSTS[0], port, jvm3.certificateFile(), jvm3.keyFile(),
                    TestPki.frame("jvm3", memberMessage(MemberMessage.MSG_PING, drainingJvm2), SYNC_ACK));
            assertThat(refusals.messages()).singleElement().asString()
                    .contains("it names route jvm2, its sender publishes jvm3");
        }
        assertThat(jvm1.cluster.getMembers()).hasSize(1);
    }

    /** The provider's rule on its own: the named member is the sender, and listed. */
    @Test
    void aMemberOutsideTheListIsRefusedEvenInItsOwnName() throws Exception {
        RouteMembershipProvider provider = new RouteMembershipProvider();
        StaticMember listed = new StaticMember(HOSTS[1], 4000, 0);
        listed.setUniqueId(MemberIds.of("jvm2"));
        provider.setStaticMembers(new ArrayList<>(List.of(listed)));
        MemberImpl stranger = new MemberImpl(HOSTS[2], 4000, 0);
        stranger.setUniqueId(MemberIds.of("jvm9"));
        stranger.setPayload(MemberPayload.of("jvm9", MemberState.ACTIVE).encode());
        MemberImpl jvm2 = new MemberImpl(HOSTS[1], 4000, 0);
        jvm2.setUniqueId(MemberIds.of("jvm2"));
        jvm2.setPayload(MemberPayload.of("jvm2", MemberState.ACTIVE).encode());

        assertThat(provider.problem(stranger, stranger)).isEqualTo("member jvm9 at " + HOSTS[2] + ":4000 is not in members");
        assertThat(provider.problem(jvm2, jvm2)).isNull();
        assertThat(provider.problem(jvm2, stranger)).contains("not its sender");
    }

    private static MemberMessage memberMessage(int type, MemberImpl member) {
        return new MemberMessage(RouteMembershipService.MEMBERSHIP_NAME.getBytes(StandardCharsets.ISO_8859_1), type,
                member);
    }
}
