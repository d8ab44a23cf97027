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
    void aBadWorkerFlagIsOneClearLine() {
        assertThatThrownBy(() -> parse("--worker", "jvm1:8080").config())
                .hasMessage("--worker jvm1:8080 (expected: NAME=HOST:PORT, as jvm1=127.0.0.11:8080)");
        assertThatThrownBy(() -> parse("--worker", "jvm1=host:99999").config())
                .hasMessage("--worker jvm1=host:99999: 99999 (expected: a port 1-65535)");
    }

    @Test
    void theSeedFileRefusesToStartWithOneLinePerWorkerAndExitCode2() throws Exception {
        // the one copy of the seed file, kept with the parser's tests (surefire runs in the module directory)
        Path file = dir.resolve("workers.properties");
        Files.copy(Path.of("../jvmroute-tools/src/test/resources/seed-workers.properties"), file);
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new JvmrouteCommand());
        cli.setErr(new PrintWriter(err));

        int code = cli.execute("balancer", file.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly(
                "workers.properties:5: worker jvm1 is type=ajp13, which jvmroute does not speak yet:"
                        + " add worker.jvm1.http_port=<the node's HTTP connector port> (or set type=http)",
                "workers.properties:9: worker jvm2 is type=ajp13, which jvmroute does not speak yet:"
                        + " add worker.jvm2.http_port=<the node's HTTP connector port> (or set type=http)");
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
