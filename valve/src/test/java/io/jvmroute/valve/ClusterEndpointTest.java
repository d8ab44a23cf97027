package io.jvmroute.valve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvmroute.membership.ClusterReport;
import io.jvmroute.testsupport.Http;
import io.jvmroute.membership.MemberState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The node's cluster endpoint as a balancer uses it: every member's route, state and HTTP front from the
 * membership payloads, the sessions still pointing at the node, a drain through the node's one state owner, and
 * refusals for an untrusted address and a missing token; without a token configured there is no endpoint.
 */
class ClusterEndpointTest {

    private static final String TOKEN = "a-cluster-token-of-some-length";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aTrustedBalancerReadsEveryMemberAndDrainsANode() throws Exception {
        try (TestCluster cluster = TestCluster.start(2, node -> node.valve.setClusterToken(TOKEN))) {
            ClusterNode node1 = cluster.node(1);
            ClusterNode node2 = cluster.node(2);
            String id = Http.get(node1.baseUrl() + "/s/login?user=" + TestApp.USER, null).newId();
            cluster.awaitReplicated(id, TestApp.USER, 2);

            ClusterReport fromN2 = await().atMost(TestCluster.WAIT).until(() -> report(node2),
                    r -> !r.member("n1").http().isEmpty());
            assertThat(fromN2.self()).isEqualTo("n2");
            assertThat(fromN2.member("n1")).isEqualTo(new ClusterReport.Member("n1", MemberState.ACTIVE, front(node1), ""));
            assertThat(fromN2.member("n2")).isEqualTo(new ClusterReport.Member("n2", MemberState.ACTIVE, front(node2), ""));
            assertThat(fromN2.selfSessions()).as("n2 holds the replica of a session that points at n1").isZero();
            assertThat(report(node1).selfSessions()).isEqualTo(1);

            HttpResponse<String> drained = send(node1, "POST", "?action=drain", TOKEN);
            assertThat(drained.statusCode()).isEqualTo(200);
            assertThat(drained.body()).isEqualTo("node n1 is draining\n");
            assertThat(node1.valve.isDraining()).isTrue();
            cluster.awaitStatus(node2, "n1", ClusterView.RouteStatus.DRAINING);
            assertThat(report(node2).member("n1").state()).isEqualTo(MemberState.DRAINING);

            // the user moves on their next request: nothing points at n1 any more
            Http.get(node1.baseUrl() + "/s/whoami", id);
            assertThat(report(node1).selfSessions()).isZero();

            assertThat(send(node1, "POST", "?action=activate", TOKEN).body()).isEqualTo("node n1 is active\n");
            cluster.awaitStatus(node2, "n1", ClusterView.RouteStatus.ACTIVE);
        }
    }

    @Test
    void strangersAndRequestsWithoutTheTokenAreRefused() throws Exception {
        try (TestCluster cluster = TestCluster.start(1, node -> node.valve.setClusterToken(TOKEN))) {
            ClusterNode node = cluster.node(1);
            assertThat(send(node, "GET", "", null).statusCode()).isEqualTo(401);
            assertThat(send(node, "GET", "", "wrong-token-wrong-token").statusCode()).isEqualTo(401);
            assertThat(send(node, "POST", "?action=shutdown", TOKEN).statusCode()).isEqualTo(400);
            assertThat(send(node, "DELETE", "", TOKEN).statusCode()).isEqualTo(405);

            node.valve.setTrustedBalancers("10\\.99\\.99\\.99");
            HttpResponse<String> stranger = send(node, "GET", "", TOKEN);
            assertThat(stranger.statusCode()).isEqualTo(403);
            assertThat(stranger.body()).startsWith("not a trusted balancer address");
            assertThat(node.valve.isDraining()).isFalse();
        }
        try (TestCluster cluster = TestCluster.start(1)) {
            ClusterNode node = cluster.node(1);
            assertThat(send(node, "GET", "", null).statusCode()).as("no token set: no endpoint, Tomcat's 404").isEqualTo(404);
            assertThat(send(node, "POST", "?action=drain", null).statusCode()).isEqualTo(404);
            assertThat(node.valve.isDraining()).isFalse();

            node.valve.setClusterToken(TOKEN);
            assertThat(send(node, "GET", "", TOKEN).statusCode()).isEqualTo(200);
            node.valve.setClusterPath("");
            assertThat(send(node, "GET", "", TOKEN).statusCode()).as("switched off: Tomcat's 404").isEqualTo(404);
        }
    }

    private static String front(ClusterNode node) {
        return URI.create(node.baseUrl()).getAuthority();
    }

    private static ClusterReport report(ClusterNode node) throws Exception {
        HttpResponse<String> response = send(node, "GET", "", TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        ClusterReport.Parsed parsed = ClusterReport.parse(response.body());
        assertThat(parsed.problem()).isNull();
        return parsed.reportOrNull();
    }

    private static HttpResponse<String> send(ClusterNode node, String method, String query, String token) throws Exception {
        URI uri = URI.create(node.baseUrl()).resolve("/.jvmroute/cluster" + query);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
