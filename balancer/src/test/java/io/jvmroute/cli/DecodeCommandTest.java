package io.jvmroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
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
        Path workers = Files.writeString(dir.resolve("workers.properties"), """
                worker.list=wlb
                worker.jvm1.type=http
                worker.jvm1.host=127.0.0.11
                worker.jvm1.port=8080
                worker.jvm2.type=http
                worker.jvm2.host=127.0.0.12
                worker.jvm2.port=8080
                worker.jvm2.activation=stopped
                worker.jvm2.redirect=jvm1
                worker.wlb.type=lb
                worker.wlb.balance_workers=jvm1,jvm2
                """);

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
