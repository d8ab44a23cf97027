package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvmroute.membership.MemberPayload.Formats;
import io.jvmroute.testsupport.FreePorts;
import io.jvmroute.testsupport.Http;
import io.jvmroute.testsupport.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.apache.catalina.LifecycleException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rolling upgrade: a node of the release before format negotiation (it publishes no formats and speaks format 2
 * only) and nodes of this release replicate logins both ways and survive a failover; a node with no format in
 * common is refused with one line instead of failing on every frame.
 */
class MixedReleaseTest {

    private static final String A = "127.0.0.11";
    private static final String B = "127.0.0.12";
    private static final String C = "127.0.0.13";

    private final List<TestNode> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        nodes.forEach(TestNode::close);
    }

    @Test
    void loginsAndAFailoverCrossReleases() throws Exception {
        int port = FreePorts.on(A, B, C);
        String members = "jvm1=" + A + ":" + port + ",jvm2=" + B + ":" + port + ",jvm3=" + C + ":" + port;
        TestNode previous = start("jvm1", A, members, null);
        TestNode current = start("jvm2", B, members, WireFormats.SUPPORTED);
        TestNode next = start("jvm3", C, members, new Formats(WireFormats.SUPPORTED.min(), 9)); // reads the rest too
        await().atMost(Duration.ofSeconds(20)).until(() -> nodes.stream().allMatch(n -> n.cluster.getMembers().length == 2));

        String onPrevious = Http.get(previous.url("/login?user=alice"), null).body();
        String onCurrent = Http.get(current.url("/login?user=bob"), null).body();
        String onNext = Http.get(next.url("/login?user=carol"), null).body();

        // Every login was acknowledged before its response, so each node already holds the others' logins.
        assertThat(Http.get(current.url("/whoami"), onPrevious).body()).startsWith("userid=alice");
        assertThat(Http.get(next.url("/whoami"), onPrevious).body()).startsWith("userid=alice");
        assertThat(Http.get(previous.url("/whoami"), onCurrent).body()).startsWith("userid=bob");
        assertThat(Http.get(previous.url("/whoami"), onNext).body()).startsWith("userid=carol");

        // The old node leaves (drained, to be upgraded): the others keep its users logged in.
        previous.close();
        nodes.remove(previous);
        assertThat(Http.get(current.url("/whoami"), onPrevious).body()).startsWith("userid=alice");
        assertThat(Http.get(next.url("/whoami"), onPrevious).body()).startsWith("userid=alice");
    }

    @Test
    void aNodeWithNoFormatInCommonIsRefusedAtStart() throws Exception {
        int port = FreePorts.on(A, B);
        String members = "jvm1=" + A + ":" + port + ",jvm2=" + B + ":" + port;
        start("jvm2", B, members, null);
        try (LogCapture errors = LogCapture.juli(RouteCluster.class, Level.SEVERE)) {
            assertThatThrownBy(() -> start("jvm1", A, members, new Formats(3, 3))).isInstanceOf(LifecycleException.class);
            assertThat(errors.messages()).anyMatch(m -> m.startsWith("RouteCluster cannot start: ")
                    && m.contains("peer jvm2 at " + B + ":" + port + " speaks replication formats 2..2, this node 3..3"));
        }
    }

    private TestNode start(String route, String host, String members, Formats formats) throws LifecycleException {
        TestNode node = TestNode.start(route, host, c -> {
            c.setMembers(members);
            c.setLoginAttributes("userid,sessionkey");
            c.speakFormats(formats);
        });
        nodes.add(node);
        return node;
    }
}
