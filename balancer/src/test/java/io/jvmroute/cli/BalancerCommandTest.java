package io.jvmroute.cli;

import io.jvmroute.config.HostPort;
import io.jvmroute.config.WorkersConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BalancerCommandTest {

    @TempDir
    Path dir;

    private static BalancerCommand parse(String... args) {
        BalancerCommand command = new BalancerCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void theSimpleCaseNeedsOnlyListenAndWorkerFlags() throws Exception {
        WorkersConfig c = parse("--listen", ":8080", "--worker", "jvm1=127.0.0.11:8080", "--worker", "jvm2=127.0.0.12:8080").config();

        assertThat(c.settings().listen()).isEqualTo(new HostPort("0.0.0.0", 8080));
        assertThat(c.lb().members()).containsExactly("jvm1", "jvm2");
        assertThat(c.workers().get("jvm2").httpAddress()).isEqualTo(new HostPort("127.0.0.12", 8080));
        assertThat(c.lb().stickySession()).isTrue();
    }

    @Test
    void cloudStackOnJettyIsTwoWorkersNamedAfterTheirJettyWorkerNamesAndTheAgentPort() throws Exception {
        WorkersConfig c = parse("--worker", "node1=127.0.0.11:8080", "--worker", "node2=127.0.0.12:8080",
                "--tcp-listen", ":8250").config();

        assertThat(c.workers().get("node1").route()).isEqualTo("node1");
        assertThat(c.settings().tcpListen()).contains(new HostPort("0.0.0.0", 8250));
        assertThat(c.settings().tcpWorkerPort()).isEqualTo(8250);
        assertThatThrownBy(() -> parse("--worker", "node1=127.0.0.11:8080", "--tcp-listen", "x:y").config())
                .hasMessageStartingWith("--listen/--admin-listen/--tcp-listen: ");
    }

    @Test
    void aClusterNeedsNoWorkersListNorFile() throws Exception {
        WorkersConfig c = parse("--cluster", "127.0.0.11:8080,127.0.0.12:8080", "--cluster-token", "t0123456789abcdef",
                "--admin-token", "admin").config();

        assertThat(c.workers()).isEmpty();
        assertThat(c.source()).isEqualTo("cluster");
        assertThat(c.settings().cluster().seeds()).containsExactly(new HostPort("127.0.0.11", 8080), new HostPort("127.0.0.12", 8080));
        assertThat(c.settings().cluster().token()).contains("t0123456789abcdef");
        assertThat(c.settings().adminToken()).contains("admin");
        assertThatThrownBy(() -> parse("--cluster", "127.0.0.11:x").config()).hasMessage("--cluster: x (expected: a port 1-65535)");
        assertThatThrownBy(() -> parse("--cluster", "127.0.0.11:8080").config())
                .hasMessageStartingWith("balancer.cluster needs balancer.cluster.token");
        assertThatThrownBy(() -> parse().config()).hasMessageStartingWith("no workers");
    }

    @Test
    void aBadWorkerFlagIsOneClearLine() {
        assertThatThrownBy(() -> parse("--worker", "jvm1:8080").config())
                .hasMessage("--worker jvm1:8080 (expected: NAME=HOST:PORT, as jvm1=127.0.0.11:8080)");
        assertThatThrownBy(() -> parse("--worker", "jvm1=host:99999").config())
                .hasMessage("--worker jvm1=host:99999: 99999 (expected: a port 1-65535)");
    }

    @Test
    void theSeedFileIsReadAsItIsWithItsWorkersSpokenToInAjp13() throws Exception {
        // the one copy of the seed file, kept with the parser's tests (surefire runs in the module directory)
        Path file = dir.resolve("workers.properties");
        Files.copy(Path.of("../jvmroute-tools/src/test/resources/seed-workers.properties"), file);

        WorkersConfig c = parse(file.toString()).config();

        assertThat(c.lb().name()).isEqualTo("wlb");
        assertThat(c.members()).allSatisfy(w -> assertThat(w.protocol()).isEqualTo("ajp13"));
        assertThat(c.workers().get("jvm1").address()).isEqualTo(new HostPort("192.168.174.137", 20400));
    }

    @Test
    void theJvmrouteCommandOffersTheBalancerBesideTheOperatorsTools() {
        CommandLine cli = new CommandLine(new JvmrouteCommand());

        assertThat(cli.getSubcommands().keySet()).contains("balancer", "check", "gen", "decode", "tls");
    }

    @Test
    void flagsOverrideTheFilesListenAddress() throws Exception {
        Path file = dir.resolve("workers.properties");
        Files.writeString(file, "worker.list=wlb\nworker.wlb.type=lb\nworker.wlb.balance_workers=a\n"
                + "worker.a.type=http\nworker.a.port=8080\nbalancer.listen=:80\nbalancer.health.rise=5\n");

        WorkersConfig c = parse(file.toString(), "--listen", "127.0.0.1:9000").config();

        assertThat(c.settings().listen()).isEqualTo(new HostPort("127.0.0.1", 9000));
        assertThat(c.settings().healthRise()).isEqualTo(5);
    }
}
