package io.jvmroute.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvmroute.harness.DemoClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rolling restart with a plain shutdown: the node drains first (RouteCluster publishes DRAINING), the
 * valve on it hands each returning user's session to the peer by rewriting the cookie, and nobody logs in
 * again — the user is moved while the old node still answers, not only after it is gone.
 */
class RollingRestartIT {

    private DemoCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aNormalShutdownMovesItsUsersToThePeerBeforeItStops() throws Exception {
        cluster = TestClusters.start("RollingRestartIT", 2);
        URI app = cluster.demoUri();
        DemoClient bob = new DemoClient();
        assertThat(bob.logIn(app, "bob")).isEqualTo(302);
        String home = bob.whoAmI(app).get("node");
        String peer = home.equals("jvm1") ? "jvm2" : "jvm1";
        List<String> seen = new CopyOnWriteArrayList<>(); // "served by / cookie route after" per poll

        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> cluster.node(home).stop());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Map<String, String> facts = bob.whoAmI(app);
            assertThat(facts).containsEntry("user", "bob");
            String cookie = bob.sessionCookie();
            seen.add(facts.get("node") + "/" + cookie.substring(cookie.indexOf('.') + 1));
            return facts.get("node").equals(peer);
        });
        shutdown.get();

        assertThat(seen).as("the draining node itself handed the session over (served by/cookie route): %s", seen)
                .contains(home + "/" + peer);
        assertThat(bob.whoAmI(app)).containsEntry("user", "bob").containsEntry("node", peer);
    }
}
