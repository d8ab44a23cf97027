package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvmroute.testsupport.FreePorts;
import io.jvmroute.testsupport.Http;
import io.jvmroute.testsupport.LogCapture;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import org.apache.catalina.LifecycleException;
import org.apache.tomcat.util.IntrospectionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each misconfiguration stops the node's start with exactly one error line that names the fix. */
class MisconfigurationTest {

    private static final String A = "127.0.0.11";
    private static final String B = "127.0.0.12";

    /**
     * Starts a node on {@link #A}, expects the start to fail, and returns its one error line (a running peer in
     * the same JVM may log its own line about the newcomer: not counted).
     */
    private static String failedStartLine(String route, Consumer<RouteCluster> configure) {
        try (LogCapture errors = LogCapture.juli(RouteCluster.class, Level.SEVERE)) {
            assertThatThrownBy(() -> TestNode.start(route, A, configure).close())
                    .isInstanceOf(LifecycleException.class);
            List<String> own = errors.messages().stream().filter(m -> !m.contains("A peer joined")).toList();
            assertThat(own).hasSize(1);
            String line = own.get(0);
            assertThat(line).startsWith("RouteCluster cannot start: ");
            assertThat(line).doesNotContain("\n");
            return line;
        }
    }

    @Test
    void aRouteListedTwiceIsRefused() {
        int port = FreePorts.on(A, B);
        assertThat(failedStartLine("jvm1", c -> c.setMembers("jvm1=" + A + ":" + port + ",jvm1=" + B + ":" + port)))
                .contains("route jvm1 is listed twice");
    }

    @Test
    void anEngineRouteMissingFromMembersIsRefused() {
        int port = FreePorts.on(A, B);
        assertThat(failedStartLine("jvm9", c -> c.setMembers("jvm1=" + A + ":" + port + ",jvm2=" + B + ":" + port)))
                .contains("the Engine jvmRoute jvm9 is not among");
    }

    @Test
    void anAddressOfAnotherMachineIsRefused() {
        int port = FreePorts.on(B);
        // 192.0.2.1 is TEST-NET-1: documentation only, never an address of this machine.
        assertThat(failedStartLine("jvm1", c -> c.setMembers("jvm1=192.0.2.1:" + port + ",jvm2=" + B + ":" + port)))
                .contains("192.0.2.1 is not an address of this machine");
    }

    @Test
    void aPortInUseIsRefused() throws Exception {
        int port = FreePorts.on(A, B);
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(A, port));
            assertThat(failedStartLine("jvm1", c -> c.setMembers("jvm1=" + A + ":" + port + ",jvm2=" + B + ":" + port)))
                    .contains("port " + port + " on " + A + " is in use");
        }
    }

    @Test
    void anEngineWithoutJvmRouteIsRefused() {
        int port = FreePorts.on(A, B);
        assertThat(failedStartLine("", c -> c.setMembers("jvm1=" + A + ":" + port + ",jvm2=" + B + ":" + port)))
                .contains("the Engine has no jvmRoute");
    }

    @Test
    void anUnknownReplicateModeIsRefused() {
        int port = FreePorts.on(A, B);
        assertThat(failedStartLine("jvm1", c -> {
            c.setMembers("jvm1=" + A + ":" + port + ",jvm2=" + B + ":" + port);
            c.setReplicate("logins");
        })).contains("replicate: logins (expected: all or login)");
    }

    /**
     * server.xml's Digester sets attributes through IntrospectionUtils and only logs what a setter refuses (and
     * keeps the default); a typo must stop the start instead, with one line naming attribute, value, expectation.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "lanes | eight | lanes: eight (expected: 1..64)",
        "lanes | 0 | lanes: 0 (expected: 1..64)",
        "maxBatch | 0 | maxBatch: 0 (expected: at least 1)",
        "drainOnShutdown | 3s | drainOnShutdown: 3s (expected: 0 or more ms)",
        "drainOnShutdown | -1 | drainOnShutdown: -1 (expected: 0 or more ms)",
        "certificateExpiryWarningDays | thirty | certificateExpiryWarningDays: thirty (expected: 0 or more days)",
        "verifyPeerRoute | flase | verifyPeerRoute: flase (expected: true or false)",
        "insecure | yes | insecure: yes (expected: true, false or trusted-network)",
        "replicate | logins | replicate: logins (expected: all or login)",
        "allowedClasses | com.example.*.Foo | allowedClasses: com.example.*.Foo (expected: com.example.Foo, com.example.*, com.example.** or com.example.Foo*)",
    })
    void aTypoInAnAttributeStopsTheStart(String attribute, String typo, String line) {
        assertThat(failedStartLine("jvm1", c -> {
            c.setMembers("jvm1=" + A + ":4000");
            assertThat(IntrospectionUtils.setProperty(c, attribute, typo)).isTrue();
        })).isEqualTo("RouteCluster cannot start: " + line);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ackTimeout | 10s | ackTimeout: 10s (expected: at least 1 ms)",
        "stateTransferRetries | -1 | stateTransferRetries: -1 (expected: 0 or more)",
    })
    void aTypoInANestedRouteManagerStopsTheClustersStart(String attribute, String typo, String line) {
        RouteManager manager = new RouteManager();
        assertThat(IntrospectionUtils.setProperty(manager, attribute, typo)).isTrue();
        assertThat(failedStartLine("jvm1", c -> {
            c.setMembers("jvm1=" + A + ":4000");
            c.setManagerTemplate(manager);
        })).isEqualTo("RouteCluster cannot start: " + line);
    }

    @Test
    void aTypoInARouteManagerOfAContextStopsThatContext() throws Exception {
        RouteManager manager = new RouteManager();
        manager.setAckTimeout("0");
        TestNode node = TestNode.create("jvm1", A, null);
        node.context.setManager(manager);
        try (LogCapture errors = LogCapture.juli(RouteManager.class, Level.SEVERE)) {
            node.tomcat.start(); // Tomcat keeps the server up and marks the context failed
            assertThat(node.context.getState().isAvailable()).isFalse();
            assertThat(errors.messages()).singleElement().asString()
                    .endsWith("cannot start: ackTimeout: 0 (expected: at least 1 ms)");
        } finally {
            node.close();
        }
    }

    @Test
    void missingMembersAreRefused() {
        assertThat(failedStartLine("jvm1", c -> { })).contains("members: not set");
    }

    @Test
    void aPeerWithOtherSettingsIsRefusedAndTheRunningNodeKeepsServing() throws Exception {
        int[] picked = new int[1];
        TestNode started = FreePorts.retryOnLostPort(attempt -> {
            picked[0] = FreePorts.on(A, B);
            return TestNode.start("jvm2", B, c -> {
                c.setMembers("jvm1=" + A + ":" + picked[0] + ",jvm2=" + B + ":" + picked[0]);
                c.setLoginAttributes("userid,sessionkey");
            });
        });
        int port = picked[0];
        String members = "jvm1=" + A + ":" + port + ",jvm2=" + B + ":" + port;
        try (TestNode jvm2 = started) {
            try (LogCapture errors = LogCapture.juli(RouteCluster.class, Level.SEVERE)) {
                assertThat(failedStartLine("jvm1", c -> {
                    c.setMembers(members);
                    c.setLoginAttributes("userid");
                })).contains("peer jvm2 at " + B + ":" + port + " has settings fingerprint");
                // The running node names the newcomer too.
                await().atMost(Duration.ofSeconds(5)).until(() -> errors.messages().stream()
                        .anyMatch(m -> m.contains("peer jvm1 at " + A + ":" + port + " has settings fingerprint")));
            }

            await().atMost(Duration.ofSeconds(15)).until(() -> jvm2.cluster.getMembers().length == 0);
            assertThat(Http.get(jvm2.url("/login?user=u"), null).status()).isEqualTo(200);
        }
    }
}
