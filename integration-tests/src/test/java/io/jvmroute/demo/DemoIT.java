package io.jvmroute.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmroute.harness.DemoClient;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The demo's promise, end to end with real processes: log in through the balancer, kill -9 the node that
 * served the login, reload, and still be logged in — served by the other node, with a session id that now
 * names it.
 */
class DemoIT {

    private DemoCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aUserStaysLoggedInWhenTheirNodeIsKilled() throws Exception {
        cluster = TestClusters.start("DemoIT", 2);
        killTheHomeNodeAndStayLoggedIn();
    }

    /** The same over AJP13: ajp13 workers with a secret, the failover header reaching the valve as an AJP header. */
    @Test
    void aUserStaysLoggedInWhenTheirNodeIsKilledBehindTheBalancerSpeakingAjp() throws Exception {
        cluster = TestClusters.start("DemoIT-ajp", 2, true);
        killTheHomeNodeAndStayLoggedIn();
    }

    private void killTheHomeNodeAndStayLoggedIn() throws Exception {
        URI app = cluster.demoUri();
        DemoClient alice = new DemoClient();

        assertThat(alice.logIn(app, "alice")).isEqualTo(302);
        Map<String, String> before = alice.whoAmI(app);
        String home = before.get("node");
        String other = home.equals("jvm1") ? "jvm2" : "jvm1";
        assertThat(before).containsEntry("user", "alice");
        assertThat(alice.sessionCookie()).endsWith("." + home);

        cluster.node(home).kill();
        Map<String, String> after = alice.whoAmI(app);

        assertThat(after).containsEntry("user", "alice").containsEntry("node", other);
        assertThat(alice.sessionCookie()).as("the valve renamed the session to its new node")
                .isEqualTo(before.get("session").replace("." + home, "." + other));
        assertThat(alice.whoAmI(app)).containsEntry("user", "alice").containsEntry("node", other);
    }
}
