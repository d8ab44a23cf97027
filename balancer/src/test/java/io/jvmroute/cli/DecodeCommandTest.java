package io.jvmroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecodeCommandTest {

    @TempDir
    Path dir;

    @Test
    void anIdShowsBaseRouteAndDomain() {
        CliRun run = CliRun.of(new DecodeCommand(), "4F2A9C.dc1.n7");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("1: base=4F2A9C route=dc1.n7 domain=dc1");
    }

    @Test
    void aCookieHeaderShowsEverySessionCookieInOrder() {
        CliRun run = CliRun.of(new DecodeCommand(), "Cookie: a=1; JSESSIONID=OLD.; JSESSIONID=\"NEW.jvm2\"");

        assertThat(run.out()).contains("1: unusable (nothing after the '.')").contains("2: base=NEW route=jvm2 domain=jvm2");
    }

    @Test
    void aUrlUsesItsPathParameter() {
        CliRun run = CliRun.of(new DecodeCommand(), "http://cloud.example/client/;jsessionid=ABC.jvm1?x=1");

        assertThat(run.out()).contains("1: base=ABC route=jvm1");
    }

    @Test
    void withWorkersItShowsTheWorkerTheBalancerChooses() throws Exception {
        Path workers = CliRun.twoWorkers(dir, "worker.jvm2.activation=stopped\nworker.jvm2.redirect=jvm1\n");

        assertThat(CliRun.of(new DecodeCommand(), "ABC.jvm1", "--workers", workers.toString()).out())
                .contains("balancer: worker jvm1 (sticky)");
        assertThat(CliRun.of(new DecodeCommand(), "ABC.jvm2", "--workers", workers.toString()).out())
                .contains("balancer: worker jvm1 (redirect, failed over from jvm2)");
    }

    @Test
    void garbageIsExplainedWithExitCode1() {
        CliRun run = CliRun.of(new DecodeCommand(), "AB C.\u0001");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("unusable (characters other than");
    }
}
