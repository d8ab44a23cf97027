package io.jvmroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsCommandTest {

    @TempDir
    Path dir;

    @Test
    void initWritesACaAndEveryNodeAndPrintsTheirAttributes() {
        Path out = dir.resolve("tls");

        CliRun run = CliRun.of(new TlsCommand(), "init", "--routes", "jvm1,jvm2,jvm3", "--out", out.toString(), "--host", "jvm1=127.0.0.11");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(out).isDirectoryContaining("glob:**/ca.crt").isDirectoryContaining("glob:**/jvm3.key");
        assertThat(run.out()).contains("node jvm2: add to its <Cluster").contains("certificateFile=\"" + out.resolve("jvm2.crt") + "\"");
    }

    @Test
    void addIssuesANewNodeWithTheSameCa() {
        Path out = dir.resolve("tls");
        CliRun.of(new TlsCommand(), "init", "--routes", "jvm1", "--out", out.toString());

        CliRun run = CliRun.of(new TlsCommand(), "add", "--route", "jvm4", "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(out.resolve("jvm4.crt")).exists();
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsWritten() {
        Path out = dir.resolve("tls");

        CliRun badHost = CliRun.of(new TlsCommand(), "init", "--routes", "jvm1", "--out", out.toString(), "--host", "jvm9=x");
        CliRun badRoute = CliRun.of(new TlsCommand(), "init", "--routes", "jvm 1", "--out", out.toString());
        CliRun twice = CliRun.of(new TlsCommand(), "init", "--routes", "jvm1,jvm1", "--out", out.toString());

        assertThat(badHost.exitCode()).isEqualTo(2);
        assertThat(badHost.err()).contains("--host jvm9=x");
        assertThat(badRoute.exitCode()).isNotZero();
        assertThat(twice.err()).contains("each route once");
        assertThat(out).doesNotExist();
    }
}
