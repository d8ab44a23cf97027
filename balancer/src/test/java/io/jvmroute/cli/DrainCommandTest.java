package io.jvmroute.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvmroute.balancer.Fixture;
import io.jvmroute.balancer.cluster.FakeCluster;
import io.jvmroute.balancer.routing.WorkerState;
import io.jvmroute.config.Activation;
import io.jvmroute.membership.MemberState;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code jvmroute drain/undrain} against a running cluster-configured balancer: the node drains, --wait waits. */
class DrainCommandTest {

    private final Fixture f = new Fixture();
    private final FakeCluster cluster = new FakeCluster();
    private String admin;

    @BeforeEach
    void start() throws Exception {
        cluster.join(1);
        cluster.join(2);
        f.start(cluster.balancerConfig("admin.token", "admin-token"));
        admin = "http://127.0.0.1:" + f.balancer.adminAddress().getPort();
        await().atMost(Duration.ofSeconds(5)).until(() -> f.balancer.runtime().router().workers().size() == 2);
    }

    @AfterEach
    void stop() {
        f.close();
        cluster.close();
    }

    private WorkerState worker(String name) {
        return f.balancer.runtime().router().workers().stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void drain_wait_returns_once_no_session_points_at_the_node_and_undrain_puts_it_back() throws Exception {
        cluster.sessions.put("n1", 2L);
        CompletableFuture<CliRun> drain = CompletableFuture.supplyAsync(() ->
                CliRun.of(new JvmrouteCommand(), "drain", "n1", "--balancer", admin, "--token", "admin-token", "--wait"));

        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.states.get("n1") == MemberState.DRAINING
                && worker("n1").activation() == Activation.DISABLED);
        assertThat(drain).isNotDone();
        cluster.sessions.put("n1", 0L); // its users moved (the valve renamed their sessions) or expired

        CliRun run = drain.get(java.util.concurrent.TimeUnit.SECONDS.toMillis(10), java.util.concurrent.TimeUnit.MILLISECONDS);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("worker n1 is now disabled; its node at " + cluster.node(1).address() + " is told to drain\n")
                .contains("2 session(s) still point at it, 0 request(s) in flight\n")
                .contains("n1: node draining, 0 session(s) still point at it, 0 request(s) in flight\n")
                .endsWith("n1 is drained\n");

        CliRun undrain = CliRun.of(new JvmrouteCommand(), "undrain", "n1", "--balancer", admin, "--token", "admin-token");
        assertThat(undrain.exitCode()).isZero();
        assertThat(undrain.out()).startsWith("worker n1 is now active");
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.states.get("n1") == MemberState.ACTIVE);
    }

    @Test
    void drain_wait_gives_up_after_its_timeout_and_says_what_is_left() {
        cluster.sessions.put("n2", 5L);

        CliRun run = CliRun.of(new JvmrouteCommand(), "drain", "n2", "--balancer", admin, "--token", "admin-token",
                "--wait", "--timeout", "1");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).startsWith("n2 is not empty after 1 s: node draining, 5 session(s) still point at it");
    }

    @Test
    void a_wrong_token_or_an_unknown_route_is_one_clear_line_and_exit_1() {
        CliRun wrong = CliRun.of(new JvmrouteCommand(), "drain", "n1", "--balancer", admin, "--token", "nope");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err()).isEqualTo("drain n1 refused: HTTP 401 wrong or missing admin token\n");
        assertThat(cluster.actions).isEmpty();

        CliRun unknown = CliRun.of(new JvmrouteCommand(), "undrain", "n9", "--balancer", admin, "--token", "admin-token");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("undrain n9 refused: HTTP 400 worker: 'n9'");

        CliRun badUrl = CliRun.of(new JvmrouteCommand(), "drain", "n1", "--balancer", "127.0.0.1:8081", "--token", "x");
        assertThat(badUrl.err()).isEqualTo("drain n1: --balancer 127.0.0.1:8081 (expected: the admin URL, as http://127.0.0.1:8081)\n");
    }
}
