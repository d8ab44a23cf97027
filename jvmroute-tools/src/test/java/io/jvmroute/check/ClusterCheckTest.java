package io.jvmroute.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per rule, over real files in src/test/resources/check (good/ passes, each broken/ file fails one rule). */
class ClusterCheckTest {

    private static Path file(String name) {
        try {
            return Path.of(ClusterCheckTest.class.getResource("/check/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> check(String... names) {
        return ClusterCheck.check(Arrays.stream(names).map(ClusterCheckTest::file).toList()).stream()
                .map(f -> f.toString().replace(file("").toString() + "/", ""))
                .toList();
    }

    @Test
    void aConsistentClusterHasNothingToReport() {
        assertThat(check("good/node1-server.xml", "good/node2-server.xml", "good/workers.properties", "good/web.xml")).isEmpty();
    }

    @Test
    void anEngineWithoutJvmRouteIsReportedAtItsLine() {
        assertThat(check("broken/no-jvmroute-server.xml"))
                .singleElement().asString().startsWith("broken/no-jvmroute-server.xml:5: error: <Engine> has no jvmRoute");
    }

    @Test
    void aJvmRouteThatNoWorkerCarriesBreaksStickiness() {
        assertThat(check("broken/jvm3-server.xml", "good/workers.properties"))
                .singleElement().asString()
                .startsWith("broken/jvm3-server.xml:5: error: jvmRoute \"jvm3\" matches no worker route in")
                .contains("(jvm1, jvm2)");
    }

    @Test
    void aRouteThatDiffersOnlyInCaseSaysSo() {
        assertThat(check("broken/upper-case-server.xml", "good/workers.properties"))
                .singleElement().asString().contains("\"jvm1\" differs only in case");
    }

    @Test
    void workersWithoutANodeAreWarnedAboutWhenSeveralNodesAreGiven() {
        assertThat(check("good/node1-server.xml", "broken/duplicate-jvm1-server.xml", "good/workers.properties"))
                .anyMatch(line -> line.contains("warning: worker jvm2 has route \"jvm2\", which no given server.xml uses"));
    }

    @Test
    void twoNodesWithOneRouteAreReported() {
        assertThat(check("good/node1-server.xml", "broken/duplicate-jvm1-server.xml"))
                .singleElement().asString()
                .startsWith("broken/duplicate-jvm1-server.xml:5: error: jvmRoute \"jvm1\" is also the jvmRoute at")
                .contains("good/node1-server.xml:5");
    }

    @Test
    void aClusterWithoutOurValveIsReported() {
        assertThat(check("broken/cluster-without-valve-server.xml"))
                .singleElement().asString().contains(":6: error: <Cluster> without <Valve className=\"io.jvmroute.valve.JvmRouteValve\"/>");
    }

    @Test
    void theStockBinderValveBesideOursIsReported() {
        assertThat(check("broken/stock-valve-beside-ours-server.xml"))
                .singleElement().asString().contains(":7: error: JvmRouteBinderValve beside io.jvmroute.valve.JvmRouteValve");
    }

    @Test
    void aStockClusterIsPlaintextJavaSerialization() {
        assertThat(check("broken/stock-cluster-server.xml"))
                .singleElement().asString().contains(":6: error: <Cluster className=\"org.apache.catalina.ha.tcp.SimpleTcpCluster\">")
                .contains("plaintext Java serialization");
    }

    @Test
    void replicationWithoutTlsIsWarnedAbout() {
        assertThat(check("broken/insecure-server.xml"))
                .singleElement().asString().contains(":6: warning: replication without TLS");
    }

    @Test
    void nodesListingDifferentMembersAreReported() {
        assertThat(check("good/node1-server.xml", "broken/other-members-server.xml"))
                .singleElement().asString()
                .startsWith("broken/other-members-server.xml:6: error: cluster members [jvm1=10.0.0.1:4000,jvm2=10.0.0.9:4000]")
                .contains("at good/node1-server.xml:6");
    }

    @Test
    void anAjpConnectorWithoutSecretIsReported() {
        assertThat(check("broken/ajp-no-secret-server.xml"))
                .singleElement().asString().contains(":4: error: AJP <Connector> without secret: Tomcat refuses to start it");
        assertThat(check("broken/ajp-secret-not-required-server.xml"))
                .singleElement().asString().contains(":4: error: AJP <Connector> with secretRequired=\"false\" and no secret");
    }

    @Test
    void aWebappWithoutDistributableIsReported() {
        assertThat(check("broken/web.xml"))
                .singleElement().asString().startsWith("broken/web.xml:2: error: <web-app> has no <distributable/>");
    }

    @Test
    void aRouteThatCannotBeInASessionIdIsReported() {
        assertThat(check("broken/bad-route-server.xml"))
                .singleElement().asString().contains(":5: error: jvmRoute \"jvm 1\" is not usable in a session id");
    }

    @Test
    void brokenFilesGiveTheirPositionNotAStackTrace() {
        assertThat(check("broken/not-well-formed-server.xml"))
                .singleElement().asString().startsWith("broken/not-well-formed-server.xml:3: error: not well-formed XML");
        assertThat(check("broken/workers.properties"))
                .singleElement().asString().startsWith("broken/workers.properties:4: error: ").contains("80x");
    }

    @Test
    void findingsKnowWhetherTheyAreErrors() {
        List<Finding> findings = ClusterCheck.check(List.of(file("broken/insecure-server.xml"), file("broken/web.xml")));

        assertThat(findings).extracting(Finding::isError).containsExactly(false, true);
    }

    @Test
    void theClassicModJkFilePassesAsItIs() {
        assertThat(check("seed-workers.properties")).isEmpty();
    }

    @Test
    void anAjpWorkerWithoutTheSecretItsConnectorRequiresIsReported() {
        List<String> findings = check("seed-node1-server.xml", "seed-node2-server.xml", "seed-workers.properties");

        assertThat(findings).containsExactly(
                "seed-workers.properties:5: error: worker jvm1 sends no secret, but the AJP <Connector> at "
                        + "seed-node1-server.xml:5 requires one: Tomcat answers every request with 403;"
                        + " set worker.jvm1.secret to the connector's secret",
                "seed-workers.properties:9: error: worker jvm2 sends no secret, but the AJP <Connector> at "
                        + "seed-node2-server.xml:5 requires one: Tomcat answers every request with 403;"
                        + " set worker.jvm2.secret to the connector's secret");
        assertThat(String.join("\n", findings)).doesNotContain("change-me");
    }

    @Test
    void theClassicFileWithItsNodesSecretPassesWithItsNodes() {
        assertThat(check("seed-node1-server.xml", "seed-node2-server.xml", "seed-workers-with-secret.properties")).isEmpty();
    }

    @Test
    void aJvmRouteMatchingNoAjpWorkerIsReported() {
        assertThat(check("broken/jvm3-server.xml", "seed-workers.properties"))
                .singleElement().asString()
                .startsWith("broken/jvm3-server.xml:5: error: jvmRoute \"jvm3\" matches no worker route in")
                .contains("(jvm1, jvm2)");
    }

    @Test
    void theRouteMismatchIsReportedWhateverElseIsWrongInBothFiles() {
        List<String> findings = check("several/JVM1-server.xml", "several/workers.properties");

        assertThat(findings).anyMatch(f -> f.startsWith("several/workers.properties:6: error: worker.jvm1.lbfactor: lots"))
                .anyMatch(f -> f.startsWith("several/workers.properties:7: error: worker.jvm2.port: 20400x"))
                .anyMatch(f -> f.startsWith("several/workers.properties:13: error: worker.wlb.method: Traffic"))
                .anyMatch(f -> f.contains("several/JVM1-server.xml:4: error: AJP <Connector> without secret"))
                .anyMatch(f -> f.contains("several/JVM1-server.xml:6: error: <Cluster className=\"org.apache.catalina.ha.tcp.SimpleTcpCluster\">"))
                .anyMatch(f -> f.startsWith("several/JVM1-server.xml:5: error: jvmRoute \"JVM1\" matches no worker route in")
                        && f.contains("(jvm1, jvm2)") && f.contains("\"jvm1\" differs only in case"))
                .anyMatch(f -> f.contains("several/JVM1-server.xml:6: error: <Cluster> without <Valve"));
        assertThat(findings).hasSize(7);
    }

    @Test
    void theRouteMismatchIsReportedWhenTheFileHasNoUsableLb() {
        List<String> findings = check("several/JVM1-server.xml", "several/no-lb-workers.properties");

        assertThat(findings).anyMatch(f -> f.startsWith("several/no-lb-workers.properties: error: worker.list names no worker of type=lb"))
                .anyMatch(f -> f.startsWith("several/JVM1-server.xml:5: error: jvmRoute \"JVM1\" matches no worker route in")
                        && f.contains("(jvm1, jvm2)"));
    }
}
