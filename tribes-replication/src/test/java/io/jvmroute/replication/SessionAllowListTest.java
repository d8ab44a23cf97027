package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.gadget.Recording;
import io.jvmroute.replication.secure.ReceiveGuard;
import io.jvmroute.testsupport.FreePorts;
import io.jvmroute.testsupport.Http;
import io.jvmroute.testsupport.LogCapture;
import io.jvmroute.tls.ClusterPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import org.apache.catalina.Session;
import org.apache.catalina.ha.session.SessionMessage;
import org.apache.catalina.ha.session.SessionMessageImpl;
import org.apache.catalina.tribes.ByteMessage;
import org.apache.catalina.tribes.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An authenticated peer (jvm1, mutual TLS) replicates a session attribute whose class is outside jvm2's
 * allow-list: jvm2 refuses it before instantiation, drops that one session, names peer and session in its
 * log, and keeps replicating everything else. With the class in {@code allowedClasses} the same attribute
 * arrives: the refusal is the allow-list's doing, not a broken path.
 */
class SessionAllowListTest {

    private static final String A = "127.0.0.41";
    private static final String B = "127.0.0.42";

    private final List<TestNode> nodes = new ArrayList<>();
    private Path dir;

    @BeforeEach
    void reset() throws Exception {
        Recording.READS.set(0);
        dir = Files.createTempDirectory("jvmroute-allow");
    }

    @AfterEach
    void stop() throws Exception {
        nodes.forEach(TestNode::close);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aSessionCarryingAClassOutsideTheAllowListIsDroppedOnThePeerBeforeInstantiation() throws Exception {
        cluster(c -> { });
        TestNode node1 = nodes.get(0);
        TestNode node2 = nodes.get(1);
        String id = login(node1, "alice");
        String other = login(node1, "bob");

        try (LogCapture refusals = LogCapture.juli(ReceiveGuard.class, Level.WARNING)) {
            replicateAttribute(node1, id, new Recording("in a session"));
            await().atMost(Duration.ofSeconds(10)).until(() -> node2.session(id) == null);
            assertThat(Recording.READS).hasValue(0);
            assertThat(refusals.messages()).anySatisfy(line -> assertThat(line)
                    .contains("Refused to deserialize data from [jvm1 at " + A)
                    .contains("session " + id)
                    .contains("class not allowed: " + Recording.class.getName()));
            assertThat(refusals.messages()).anySatisfy(line -> assertThat(line).contains(id).contains("DROPPED"));
        }
        // The sender keeps its session, the peer every other one, and replication goes on.
        assertThat(node1.session(id)).isNotNull();
        assertThat(node2.session(other).getSession().getAttribute("userid")).isEqualTo("bob");
        String later = login(node1, "carol");
        assertThat(node2.session(later).getSession().getAttribute("userid")).isEqualTo("carol");
        assertThat(node2.cluster.secureReplication().getRejectedClasses()).isEqualTo(1);
    }

    /**
     * One frame carrying a delta with a refused class and a delta of another session: only the first session is
     * dropped on the peer; the other delta in the same frame is applied, and the frame is acknowledged.
     */
    @Test
    void aRefusedClassInAFrameRefusesOnlyItsOwnSession() throws Exception {
        cluster(c -> { });
        TestNode node1 = nodes.get(0);
        TestNode node2 = nodes.get(1);
        String refused = login(node1, "alice");
        String fine = login(node1, "bob");
        RouteDeltaRequest gadget = new RouteDeltaRequest(refused, false);
        gadget.setAttribute("gadget", new Recording("in a frame"));
        RouteDeltaRequest change = new RouteDeltaRequest(fine, false);
        change.setAttribute("userid", "bob2");
        String context = node1.manager().getName();
        byte[] frame = LaneFrame.encode(List.of(
                new SessionMessageImpl(context, SessionMessage.EVT_SESSION_DELTA, gadget.serialize(), refused, "g"),
                new SessionMessageImpl(context, SessionMessage.EVT_SESSION_DELTA, change.serialize(), fine, "c")));

        node1.cluster.getChannel().send(node1.cluster.getMembers(), new ByteMessage(frame),
                RouteCluster.ORDERED_SEND_OPTIONS | Channel.SEND_OPTIONS_BYTE_MESSAGE);

        assertThat(node2.session(refused)).isNull();
        assertThat(node2.session(fine).getSession().getAttribute("userid")).isEqualTo("bob2");
        assertThat(Recording.READS).hasValue(0);
    }

    @Test
    void theSameAttributeArrivesWhenItsClassIsInAllowedClasses() throws Exception {
        cluster(c -> c.setAllowedClasses("com.example.gadget.*"));
        TestNode node1 = nodes.get(0);
        TestNode node2 = nodes.get(1);
        String id = login(node1, "alice");
        replicateAttribute(node1, id, new Recording("allowed"));
        await().atMost(Duration.ofSeconds(10)).until(() -> node2.session(id) != null
                && node2.session(id).getSession().getAttribute("gadget") != null);
        assertThat(Recording.READS).hasValue(1);
    }

    private void cluster(Consumer<RouteCluster> extra) throws Exception {
        ClusterPki pki = TestPki.init(dir.resolve("pki"));
        String[][] routes = {{"jvm1", A}, {"jvm2", B}};
        List<ClusterPki.NodeMaterial> materials = new ArrayList<>();
        for (String[] route : routes) {
            materials.add(TestPki.issue(pki, route[0]));
        }
        nodes.addAll(FreePorts.retryOnLostPort(started -> {
            int port = FreePorts.on(A, B);
            String members = "jvm1=" + A + ":" + port + ",jvm2=" + B + ":" + port;
            List<TestNode> pair = new ArrayList<>();
            for (int i = 0; i < routes.length; i++) {
                ClusterPki.NodeMaterial material = materials.get(i);
                pair.add(started.add(TestNode.start(routes[i][0], routes[i][1], c -> {
                    c.setMembers(members);
                    c.setLoginAttributes("userid");
                    TestPki.tls(material).accept(c);
                    extra.accept(c);
                })));
            }
            return pair;
        }));
    }

    /** A login on the node; returns once the peer holds the session (logins are acknowledged). */
    private static String login(TestNode node, String user) {
        return Http.get(node.url("/login?user=" + user), null).body();
    }

    /** Sets an attribute as a request would, and ends the "request" so the change replicates. */
    private static void replicateAttribute(TestNode node, String id, Object value) throws Exception {
        Session session = node.session(id);
        session.getSession().setAttribute("gadget", value);
        node.manager().requestCompleted(id, false);
    }
}
