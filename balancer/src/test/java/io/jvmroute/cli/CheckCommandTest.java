package io.jvmroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {

    @TempDir
    Path dir;

    private Path server(String name, String route) throws Exception {
        return Files.writeString(dir.resolve(name), """
                <Server port="-1"><Service name="Catalina">
                  <Engine name="Catalina" defaultHost="localhost"%s>
                    <Host name="localhost"/>
                  </Engine>
                </Service></Server>
                """.formatted(route == null ? "" : " jvmRoute=\"" + route + "\""));
    }

    private Path workers() throws Exception {
        return CliRun.twoWorkers(dir, "");
    }

    @Test
    void matchingFilesPassWithExitCode0() throws Exception {
        CliRun run = CliRun.of(new CheckCommand(), server("a.xml", "jvm1").toString(), server("b.xml", "jvm2").toString(), workers().toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("ok: 3 file(s)");
    }

    @Test
    void aRouteTheBalancerDoesNotKnowFailsWithItsLine() throws Exception {
        Path node = server("server.xml", "jvm3");

        CliRun run = CliRun.of(new CheckCommand(), node.toString(), workers().toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains(node + ":2: error: jvmRoute \"jvm3\" matches no worker route").contains("1 error(s), 0 warning(s)");
    }

    @Test
    void aMissingFileIsAFindingNotAStackTrace() {
        CliRun run = CliRun.of(new CheckCommand(), dir.resolve("nope.xml").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("nope.xml: error: cannot read").doesNotContain("Exception");
    }

    @Test
    void theClassicModJkFilePassesAsItIs() throws Exception {
        Path seed = Files.copy(Path.of("../jvmroute-tools/src/test/resources/seed-workers.properties"),
                dir.resolve("workers.properties"));

        CliRun run = CliRun.of(new CheckCommand(), seed.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("ok: 1 file(s)");
    }
}
