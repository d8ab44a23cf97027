package io.jvmroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmroute.check.ClusterCheck;
import io.jvmroute.config.WorkersConfig;
import io.jvmroute.config.WorkersPropertiesParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenCommandTest {

    @TempDir
    Path dir;

    @Test
    void genOutputPassesCheck() throws Exception {
        Path out = dir.resolve("cluster");

        CliRun run = CliRun.of(new GenCommand(), "--routes", "jvm1=10.0.0.1,jvm2=10.0.0.2,jvm3=10.0.0.3", "--out", out.toString(),
                "--login-attributes", "userid,sessionkey");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(ClusterCheck.check(List.of(out.resolve("jvm1/server.xml"), out.resolve("jvm2/server.xml"),
                out.resolve("jvm3/server.xml"), out.resolve("workers.properties")))).isEmpty();
        CliRun check = CliRun.of(new CheckCommand(), out.resolve("jvm1/server.xml").toString(), out.resolve("workers.properties").toString());
        assertThat(check.exitCode()).as(check.out()).isZero();
    }

    @Test
    void everyNodeListsTheSameMembersAndItsOwnMaterial() throws Exception {
        Path out = dir.resolve("cluster");
        CliRun.of(new GenCommand(), "--routes", "jvm1=10.0.0.1,jvm2=10.0.0.2", "--out", out.toString());

        String node1 = Files.readString(out.resolve("jvm1/server.xml"));
        String node2 = Files.readString(out.resolve("jvm2/server.xml"));

        assertThat(node1).contains("jvmRoute=\"jvm1\"").contains("members=\"jvm1=10.0.0.1:4000,jvm2=10.0.0.2:4000\"")
                .contains("certificateKeyFile=\"${catalina.base}/conf/jvmroute/jvm1.key\"").doesNotContain("insecure");
        assertThat(node2).contains("jvmRoute=\"jvm2\"").contains("members=\"jvm1=10.0.0.1:4000,jvm2=10.0.0.2:4000\"");
        assertThat(out.resolve("tls/jvm2.key")).exists();
        WorkersConfig workers = WorkersPropertiesParser.parse(out.resolve("workers.properties"));
        assertThat(workers.workers().keySet()).containsExactly("jvm1", "jvm2");
        assertThat(workers.lb().stickySession()).isTrue();
    }

    @Test
    void insecureIsSaidOutLoudAndCheckWarnsAboutIt() {
        Path out = dir.resolve("cluster");
        CliRun.of(new GenCommand(), "--routes", "jvm1=127.0.0.11", "--out", out.toString(), "--insecure");

        CliRun check = CliRun.of(new CheckCommand(), out.resolve("jvm1/server.xml").toString());

        assertThat(out.resolve("tls")).doesNotExist();
        assertThat(check.out()).contains("warning: replication without TLS");
    }

    /** The stock shutdown command lets anyone on the machine stop the node: each node gets its own random one. */
    @Test
    void generatedServerXmlHasARandomShutdownCommand() throws Exception {
        Path out = dir.resolve("cluster");
        CliRun.of(new GenCommand(), "--routes", "jvm1=10.0.0.1,jvm2=10.0.0.2", "--out", out.toString());

        String node1 = Files.readString(out.resolve("jvm1/server.xml"));
        String node2 = Files.readString(out.resolve("jvm2/server.xml"));
        java.util.regex.Pattern shutdown = java.util.regex.Pattern.compile("shutdown=\"([0-9a-f]{32})\"");
        java.util.regex.Matcher one = shutdown.matcher(node1);
        java.util.regex.Matcher two = shutdown.matcher(node2);
        assertThat(one.find()).as(node1).isTrue();
        assertThat(two.find()).as(node2).isTrue();
        assertThat(one.group(1)).isNotEqualTo(two.group(1));
        assertThat(node1).doesNotContain("SHUTDOWN").contains("address=\"127.0.0.1\"");
    }

    /** RouteCluster refuses insecure="true" off loopback: gen writes the acknowledgement, check still warns. */
    @Test
    void insecureBetweenMachinesIsWrittenAsTrustedNetwork() throws Exception {
        Path out = dir.resolve("cluster");
        CliRun.of(new GenCommand(), "--routes", "jvm1=10.0.0.1,jvm2=10.0.0.2", "--out", out.toString(), "--insecure");

        assertThat(Files.readString(out.resolve("jvm1/server.xml"))).contains("insecure=\"trusted-network\"");
        assertThat(CliRun.of(new CheckCommand(), out.resolve("jvm1/server.xml").toString()).out())
                .contains("warning: replication without TLS (insecure=\"trusted-network\")");
    }

    @Test
    void badListsAreRefusedWithoutWritingAnything() {
        Path out = dir.resolve("cluster");

        assertThat(CliRun.of(new GenCommand(), "--routes", "jvm1", "--out", out.toString()).err()).contains("expected: ROUTE=HOST");
        assertThat(CliRun.of(new GenCommand(), "--routes", "jvm 1=h", "--out", out.toString()).err()).contains("route: jvm 1");
        assertThat(CliRun.of(new GenCommand(), "--routes", "a=h,a=i", "--out", out.toString()).err()).contains("a twice");
        assertThat(out).doesNotExist();
    }
}
