package io.jvmroute.balancer.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvmroute.balancer.Fixture;
import io.jvmroute.balancer.routing.WorkerState;
import io.jvmroute.config.Activation;
import io.jvmroute.config.WorkersPropertiesParser;
import io.jvmroute.membership.MemberState;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A balancer with no workers list learns its workers from the cluster's endpoint: a node that joins gets new
 * sessions, a node that drains (on its own, or from the balancer's admin action) gets none, a node that leaves is
 * forgotten, and an unreachable cluster leaves the last view in force and says so.
 */
class ClusterLearningTest {

    /** "Within a second of the cluster knowing": a reading every 200 ms here, so a second is plenty. */
    private static final Duration FOLLOW = Duration.ofSeconds(1);

    private final Fixture f = new Fixture();
    private final FakeCluster cluster = new FakeCluster();

    @AfterEach
    void stop() {
        f.close();
        cluster.close();
    }

    private void startBalancer(String workers) throws Exception {
        String text = workers + "balancer.listen=127.0.0.1:0\nbalancer.admin.listen=127.0.0.1:0\n"
                + "balancer.admin.token=admin-token\nbalancer.health.interval=100ms\nbalancer.shutdown_timeout=1s\n"
                + "balancer.cluster=" + cluster.node(1).address() + "\nbalancer.cluster.token=" + FakeCluster.TOKEN + "\n"
                + "balancer.cluster.interval=200ms\n";
        f.start(WorkersPropertiesParser.parse("test.properties", text));
    }

    private void startClusterOnly() throws Exception {
        f.start(cluster.balancerConfig("admin.token", "admin-token", "cluster.interval", "200ms"));
    }

    private List<String> workers() {
        return f.balancer.runtime().router().workers().stream().map(WorkerState::name).toList();
    }

    private WorkerState worker(String name) {
        return f.balancer.runtime().router().workers().stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
    }

    /** Which nodes new users (no session) reach over {@code count} requests. */
    private Set<String> newSessionsReach(int count) throws Exception {
        Set<String> served = new HashSet<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> r = f.get("/login");
            assertThat(r.statusCode()).isEqualTo(200);
            served.add(r.body());
        }
        return served;
    }

    @Test
    void without_a_workers_list_it_learns_a_node_that_joins_and_forgets_one_that_leaves() throws Exception {
        cluster.join(1);
        cluster.join(2);
        startClusterOnly();
        await().atMost(FOLLOW.multipliedBy(3)).until(this::workers, w -> w.equals(List.of("n1", "n2")));
        assertThat(newSessionsReach(6)).containsExactlyInAnyOrder("n1", "n2");
        assertThat(f.balancer.sourceOf(worker("n1"))).isEqualTo("cluster");

        cluster.join(3);
        await().atMost(FOLLOW).until(this::workers, w -> w.equals(List.of("n1", "n2", "n3")));
        assertThat(newSessionsReach(9)).contains("n3");

        cluster.leave(2);
        await().atMost(FOLLOW).until(this::workers, w -> w.equals(List.of("n1", "n3")));
        assertThat(newSessionsReach(6)).containsExactlyInAnyOrder("n1", "n3");
    }

    @Test
    void a_node_that_drains_on_its_own_gets_no_new_sessions_but_keeps_its_users() throws Exception {
        cluster.join(1);
        cluster.join(2);
        startClusterOnly();
        await().atMost(FOLLOW.multipliedBy(3)).until(this::workers, w -> w.size() == 2);

        cluster.states.put("n2", MemberState.DRAINING); // as JMX or shutdown.sh on the node would
        await().atMost(FOLLOW).until(() -> worker("n2").activation() == Activation.DISABLED);
        assertThat(newSessionsReach(6)).containsExactly("n1");
        assertThat(f.get("/app", "Cookie", "JSESSIONID=ABC.n2").body()).as("its own users still reach it").isEqualTo("n2");
        assertThat(cluster.actions).as("the balancer only followed").isEmpty();

        cluster.states.put("n2", MemberState.ACTIVE);
        await().atMost(FOLLOW).until(() -> worker("n2").activation() == Activation.ACTIVE);
        assertThat(newSessionsReach(6)).contains("n2");
    }

    @Test
    void a_drain_on_the_admin_page_reaches_the_node_and_undrain_brings_it_back() throws Exception {
        cluster.join(1);
        cluster.join(2);
        startClusterOnly();
        await().atMost(FOLLOW.multipliedBy(3)).until(this::workers, w -> w.size() == 2);

        HttpResponse<String> drained = admin("action=disable&worker=n1");
        assertThat(drained.statusCode()).isEqualTo(200);
        assertThat(drained.body()).startsWith("worker n1 is now disabled; its node at " + cluster.node(1).address() + " is told to drain");
        await().atMost(FOLLOW).until(() -> cluster.states.get("n1") == MemberState.DRAINING);
        assertThat(cluster.actions).containsExactly("n1 drain");
        assertThat(newSessionsReach(4)).containsExactly("n2");

        assertThat(admin("action=activate&worker=n1").statusCode()).isEqualTo(200);
        await().atMost(FOLLOW).until(() -> cluster.states.get("n1") == MemberState.ACTIVE);
        assertThat(worker("n1").activation()).isEqualTo(Activation.ACTIVE);
        assertThat(cluster.actions).containsExactly("n1 drain", "n1 activate");
    }

    @Test
    void an_unreachable_cluster_keeps_the_last_view_and_says_so() throws Exception {
        cluster.join(1);
        cluster.join(2);
        startClusterOnly();
        await().atMost(FOLLOW.multipliedBy(3)).until(this::workers, w -> w.size() == 2);

        cluster.readable = false;
        await().atMost(FOLLOW).until(() -> f.balancer.sourceOf(worker("n1")).contains("unreachable"));
        assertThat(f.balancer.sourceOf(worker("n1"))).matches("cluster \\(cluster unreachable \\d+ s, last view kept\\)");
        assertThat(workers()).containsExactly("n1", "n2");
        assertThat(newSessionsReach(6)).containsExactlyInAnyOrder("n1", "n2");
        assertThat(f.balancer.cluster().problem()).contains("HTTP 503");

        cluster.readable = true;
        await().atMost(FOLLOW).until(() -> f.balancer.sourceOf(worker("n1")).equals("cluster"));
    }

    @Test
    void a_workers_properties_combines_with_the_cluster_and_its_settings_win() throws Exception {
        cluster.join(1);
        cluster.join(2);
        startBalancer("worker.list=wlb\nworker.wlb.type=lb\nworker.wlb.balance_workers=n1\n"
                + "worker.n1.type=http\nworker.n1.host=127.0.0.21\nworker.n1.port=" + cluster.node(1).port() + "\n"
                + "worker.n1.lbfactor=3\nworker.n1.activation=Disabled\n");
        await().atMost(FOLLOW.multipliedBy(3)).until(this::workers, w -> w.equals(List.of("n1", "n2")));

        assertThat(worker("n1").def().lbfactor()).isEqualTo(3);
        assertThat(worker("n1").activation()).as("the file says disabled, the cluster active: the file wins")
                .isEqualTo(Activation.DISABLED);
        assertThat(f.balancer.sourceOf(worker("n1"))).isEqualTo("test.properties + cluster (cluster says active)");
        assertThat(f.balancer.sourceOf(worker("n2"))).isEqualTo("cluster");
        assertThat(newSessionsReach(4)).containsExactly("n2");
        String page = f.send(HttpRequest.newBuilder(f.adminUri("/status.json")).build()).body();
        assertThat(page).contains("test.properties + cluster (cluster says active)");

        cluster.leave(2);
        await().atMost(FOLLOW.multipliedBy(3)).until(this::workers, w -> w.equals(List.of("n1")));
    }

    private HttpResponse<String> admin(String form) throws Exception {
        return f.send(HttpRequest.newBuilder(f.adminUri("/action")).header("Authorization", "Bearer admin-token")
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }
}
