package io.jvmroute.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvmroute.cli.JvmrouteCommand;
import io.jvmroute.config.Activation;
import io.jvmroute.harness.DemoClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A rolling restart under load with no workers list: the balancer learns both real Tomcat nodes from their
 * valves, and for each node in turn {@code jvmroute drain --wait} (which drains the node through the balancer),
 * a restart, and {@code jvmroute undrain}. Logged-in users keep requesting throughout: none is logged out and no
 * request fails.
 */
class ClusterRollingRestartIT {

    private static final String CLUSTER_TOKEN = "cluster-token-for-the-rolling-restart";
    private static final String ADMIN_TOKEN = "admin-token";
    private static final int USERS = 6;

    private DemoCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyNodeDrainsAndRestartsWhileItsUsersStayLoggedIn() throws Exception {
        cluster = DemoCluster.startLearning(TestClusters.options("ClusterRollingRestartIT", 2), CLUSTER_TOKEN, ADMIN_TOKEN);
        await("the balancer learns both nodes").atMost(Duration.ofSeconds(20)).until(() -> usable("jvm1") && usable("jvm2"));
        URI app = cluster.demoUri();
        String admin = "http://127.0.0.1:" + cluster.balancer().adminAddress().getPort();

        List<DemoClient> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            DemoClient user = new DemoClient();
            assertThat(user.logIn(app, "user" + i)).isEqualTo(302);
            users.add(user);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger requests = new AtomicInteger();
        List<String> problems = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> load = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            DemoClient user = users.get(i);
            String name = "user" + i;
            load.add(CompletableFuture.runAsync(() -> {
                while (running.get()) {
                    try {
                        Map<String, String> facts = user.whoAmI(app);
                        requests.incrementAndGet();
                        if (!name.equals(facts.get("user"))) {
                            problems.add(name + " logged out: " + facts);
                        }
                    } catch (Exception e) {
                        problems.add(name + ": " + e);
                    }
                }
            }));
        }

        for (String route : List.of("jvm1", "jvm2")) {
            String drained = jvmroute("drain", route, "--balancer", admin, "--token", ADMIN_TOKEN, "--wait", "--timeout", "60");
            assertThat(drained).endsWith(route + " is drained\n");
            cluster.restart(route);
            await(route + " serves again").atMost(Duration.ofSeconds(30)).until(() -> usable(route));
            assertThat(jvmroute("undrain", route, "--balancer", admin, "--token", ADMIN_TOKEN)).startsWith("worker " + route + " is now active");
        }
        int before = requests.get();
        await("the users keep requesting after the restarts").atMost(Duration.ofSeconds(10)).until(() -> requests.get() > before + USERS);
        running.set(false);
        CompletableFuture.allOf(load.toArray(CompletableFuture[]::new)).get();

        assertThat(problems).as("lost logins and failed requests over %d requests", requests.get()).isEmpty();
    }

    private boolean usable(String route) {
        return cluster.balancer().runtime().router().workers().stream()
                .anyMatch(w -> w.route().equals(route) && w.isUp() && w.activation() == Activation.ACTIVE);
    }

    /** Runs the jvmroute command as an operator would; fails the test on a non-zero exit. */
    private static String jvmroute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new JvmrouteCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        assertThat(code).as("jvmroute %s: %s%s", String.join(" ", args), out, err).isZero();
        return out.toString();
    }
}
