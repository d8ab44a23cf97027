package io.jvmroute.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The harness itself: a real Tomcat distribution node starts, serves the demo, and dies on kill -9. */
class TomcatNodeIT {

    private static final Path HOME = Path.of(System.getProperty("jvmroute.tomcat.home"));
    private static final Path DEMO = Path.of(System.getProperty("jvmroute.demo.webapp"));
    private static final Path WORK = Path.of(System.getProperty("jvmroute.work.dir"), "TomcatNodeIT");

    private TomcatNode node;

    @AfterEach
    void killNode() {
        if (node != null) {
            node.kill();
        }
    }

    @Test
    void aDistributionNodeServesTheDemoAndIssuesIdsWithItsRoute() throws Exception {
        String address = "127.0.0.21";
        node = TomcatNode.start(NodeSpec.plain("jvm1", address, FreePort.on(address), DEMO), HOME, WORK, "/demo/whoami.jsp");
        URI demo = node.uri("/demo/");
        DemoClient user = new DemoClient();

        assertThat(user.whoAmI(demo)).containsEntry("node", "jvm1").containsEntry("user", "");
        assertThat(user.logIn(demo, "alice")).isEqualTo(302);
        Map<String, String> facts = user.whoAmI(demo);

        assertThat(facts).containsEntry("user", "alice");
        assertThat(user.sessionCookie()).endsWith(".jvm1").isEqualTo(facts.get("session"));
    }

    @Test
    void killIsKillMinus9TheNodeStopsAnsweringAtOnce() throws Exception {
        String address = "127.0.0.22";
        node = TomcatNode.start(NodeSpec.plain("jvm2", address, FreePort.on(address), DEMO), HOME, WORK, "/demo/whoami.jsp");
        URI demo = node.uri("/demo/");

        node.kill();

        assertThat(node.isAlive()).isFalse();
        assertThatThrownBy(() -> new DemoClient().whoAmI(demo)).isInstanceOf(ConnectException.class);
    }
}
