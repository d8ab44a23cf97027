package io.jvmroute.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkersPropertiesParserTest {

    private static final String HTTP_PORTS = "worker.jvm1.http_port=8080\nworker.jvm2.http_port=8080\n";

    private static String seed() throws IOException {
        try (var in = Objects.requireNonNull(
                WorkersPropertiesParserTest.class.getResourceAsStream("/seed-workers.properties"))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static WorkersConfig parse(String text) throws ConfigException {
        return WorkersPropertiesParser.parse("workers.properties", text);
    }

    @Test
    void theSeedFileRunsUnchangedWithItsWorkersSpokenToInAjp13() throws Exception {
        WorkersConfig config = parse(seed());

        assertThat(config.lb().name()).isEqualTo("wlb");
        assertThat(config.lb().members()).containsExactly("jvm1", "jvm2");
        WorkerDef jvm1 = config.workers().get("jvm1");
        assertThat(jvm1.speaksAjp()).isTrue();
        assertThat(jvm1.protocol()).isEqualTo("ajp13");
        assertThat(jvm1.address()).isEqualTo(new HostPort("192.168.174.137", 20400));
        assertThat(jvm1.ajp()).isEqualTo(AjpOptions.DEFAULTS);
        assertThat(config.status()).contains(new StatusDef("jk-status", true));
        assertThatThrownBy(jvm1::httpAddress).hasMessageContaining("AJP13, on port 20400");
    }

    @Test
    void modJksAjpKeysAreRead() throws Exception {
        WorkersConfig config = parse(seed() + """
                worker.jvm1.secret=s3cret
                worker.jvm1.ping_mode=CI
                worker.jvm1.ping_timeout=2500
                worker.jvm1.connection_ping_interval=30
                worker.jvm1.max_packet_size=65536
                worker.jvm2.ping_mode=a
                """);

        AjpOptions jvm1 = config.workers().get("jvm1").ajp();
        assertThat(jvm1.secret()).contains("s3cret");
        assertThat(jvm1.pingOnConnect()).isTrue();
        assertThat(jvm1.pingBeforeRequest()).isFalse();
        assertThat(jvm1.pingWhenIdle()).isTrue();
        assertThat(jvm1.pingTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(jvm1.effectivePingInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(jvm1.maxPacketSize()).isEqualTo(65536);
        assertThat(jvm1.toString()).doesNotContain("s3cret");
        AjpOptions jvm2 = config.workers().get("jvm2").ajp();
        assertThat(jvm2.pingMode()).isEqualTo("CPI");
        assertThat(jvm2.effectivePingInterval()).isEqualTo(Duration.ofSeconds(100)); // mod_jk: ping_timeout x 10
        assertThat(config.warnings()).noneMatch(w -> w.contains("secret") || w.contains("ping"));
    }

    @Test
    void badAjpValuesAreErrorsWithWhatWasExpected() throws IOException {
        String text = seed() + "worker.jvm1.ping_mode=X\nworker.jvm2.max_packet_size=100\n";

        assertThatThrownBy(() -> parse(text)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                .containsExactly(
                        "workers.properties:19: worker.jvm1.ping_mode: X (expected: letters of C, P, I, A; e.g. CI or A)",
                        "workers.properties:20: worker.jvm2.max_packet_size: 100 (expected: an integer 8192-65536)"));
    }

    @Test
    void examineReadsEveryProblemAndStillGivesTheWorkersRoutes() throws Exception {
        Path file = Files.createTempFile("workers", ".properties");
        try {
            Files.writeString(file, seed() + "worker.jvm1.port=80x\nworker.wlb.method=Traffic\n");
            WorkersPropertiesParser.Outcome outcome = WorkersPropertiesParser.examine(file);

            assertThat(outcome.config()).isEmpty();
            assertThat(outcome.problems()).hasSize(2);
            assertThat(outcome.routes()).extracting(WorkersPropertiesParser.WorkerRoute::route).containsExactly("jvm1", "jvm2");
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void withoutAnLbEveryWorkerThatIsNotLbOrStatusGivesItsRoute() throws Exception {
        Path file = Files.createTempFile("workers", ".properties");
        try {
            Files.writeString(file, "worker.list=jk-status\nworker.jk-status.type=status\n"
                    + "worker.a.port=8009\nworker.b.type=ajp13\nworker.b.route=n2\n");
            WorkersPropertiesParser.Outcome outcome = WorkersPropertiesParser.examine(file);

            assertThat(outcome.problems()).singleElement().asString().contains("names no worker of type=lb");
            assertThat(outcome.routes()).containsExactly(
                    new WorkersPropertiesParser.WorkerRoute("a", "a", 3, true, java.util.Optional.empty()),
                    new WorkersPropertiesParser.WorkerRoute("b", "n2", 4, true, java.util.Optional.empty()));
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void theSeedFilePlusHttpPortsGivesTheStickyLbOverBothNodes() throws Exception {
        WorkersConfig config = parse(seed() + HTTP_PORTS);

        assertThat(config.lb().name()).isEqualTo("wlb");
        assertThat(config.lb().members()).containsExactly("jvm1", "jvm2");
        assertThat(config.lb().stickySession()).isTrue();
        assertThat(config.lb().stickySessionForce()).isFalse();
        assertThat(config.lb().method()).isEqualTo(LbMethod.REQUEST);
        WorkerDef jvm1 = config.workers().get("jvm1");
        assertThat(jvm1.host()).isEqualTo("192.168.174.137");
        assertThat(jvm1.port()).isEqualTo(20400);
        assertThat(jvm1.httpAddress()).isEqualTo(new HostPort("192.168.174.137", 8080));
        assertThat(jvm1.speaksAjp()).as("http_port keeps the balancer speaking HTTP, as before AJP13").isFalse();
        assertThat(jvm1.route()).isEqualTo("jvm1");
        assertThat(jvm1.activation()).isEqualTo(Activation.ACTIVE);
        assertThat(config.workers().get("jvm2").host()).isEqualTo("192.168.174.129");
        assertThat(config.status()).contains(new StatusDef("jk-status", true));
    }

    @Test
    void theSeedsLegacyKeysAreReportedOnceEachNotSilentlyIgnored() throws Exception {
        WorkersConfig config = parse(seed() + HTTP_PORTS);

        assertThat(config.warnings()).containsExactly(
                "workers.properties:1: workers.tomcat_home is not used by jvmroute and is ignored",
                "workers.properties:2: workers.java_home is not used by jvmroute and is ignored",
                "workers.properties:3: ps is not used by jvmroute and is ignored");
    }

    @Test
    void anUnsupportedWorkerKeyIsReportedOnceWithEveryLine() throws Exception {
        WorkersConfig config = parse(seed() + HTTP_PORTS
                + "worker.jvm1.socket_timeout=10\nworker.jvm2.socket_timeout=10\n");

        assertThat(config.warnings()).filteredOn(w -> w.contains("socket_timeout")).containsExactly(
                "workers.properties:21: worker.jvm1.socket_timeout is not supported by jvmroute and is ignored (and on lines [22])");
    }

    @Test
    void everyMemberKeyIsRead() throws Exception {
        WorkersConfig config = parse("""
                worker.list=lb
                worker.lb.type=lb
                worker.lb.balance_workers=a
                worker.lb.balance_workers=b
                worker.lb.method=B
                worker.lb.sticky_session_force=true
                worker.lb.session_cookie=SID
                worker.a.type=http
                worker.a.host=127.0.0.11
                worker.a.port=8081
                worker.a.lbfactor=3
                worker.a.route=n1
                worker.a.domain=dc1
                worker.a.redirect=b
                worker.a.distance=1
                worker.a.activation=D
                worker.a.fail_on_status=500,503
                worker.b.type=http
                worker.b.port=8082
                worker.b.activation=stopped
                """);

        assertThat(config.lb().members()).containsExactly("a", "b");
        assertThat(config.lb().method()).isEqualTo(LbMethod.BUSYNESS);
        assertThat(config.lb().stickySessionForce()).isTrue();
        assertThat(config.lb().sessionCookie()).isEqualTo("SID");
        WorkerDef a = config.workers().get("a");
        assertThat(a).isEqualTo(new WorkerDef("a", "http", "127.0.0.11", 8081, 8081, 3, Activation.DISABLED, "n1",
                "dc1", "b", 1, java.util.Set.of(500, 503), 8));
        assertThat(config.workers().get("b").activation()).isEqualTo(Activation.STOPPED);
        assertThat(config.workers().get("b").host()).isEqualTo("localhost");
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void balancerSettingsLiveInTheSameFile() throws Exception {
        WorkersConfig config = parse(seed() + HTTP_PORTS + """
                balancer.listen=127.0.0.5:9090
                balancer.health.interval=250ms
                balancer.health.path=/health
                balancer.connect_timeout=2s
                balancer.admin.token=secret
                balancer.trusted_proxies=10.0.0.0/8, 127.0.0.1
                """);

        BalancerSettings s = config.settings();
        assertThat(s.listen()).isEqualTo(new HostPort("127.0.0.5", 9090));
        assertThat(s.healthInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.healthPath()).isEqualTo("/health");
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.adminToken()).contains("secret");
        assertThat(s.trustedProxies()).containsExactly("10.0.0.0/8", "127.0.0.1");
        assertThat(s.adminListen()).isEqualTo(new HostPort("127.0.0.1", 8081));
    }

    @Test
    void badValuesAreErrorsWithTheirLineAndWhatWasExpected() throws IOException {
        String text = seed() + HTTP_PORTS + "worker.jvm1.lbfactor=many\nbalancer.health.timeout=soon\nworker.wlb.method=Traffic\n";

        assertThatThrownBy(() -> parse(text)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                .containsExactlyInAnyOrder(
                        "workers.properties:22: balancer.health.timeout: soon (expected: a duration such as 250ms, 2s or 1m)",
                        "workers.properties:23: worker.wlb.method: Traffic (expected: Request, Busyness or Session;"
                                + " mod_jk's Traffic and Next are not supported)",
                        "workers.properties:21: worker.jvm1.lbfactor: many (expected: an integer 1-100000)"));
    }

    @Test
    void duplicateRoutesAndDanglingRedirectsAreRefused() {
        String text = """
                worker.list=lb
                worker.lb.type=lb
                worker.lb.balance_workers=a,b
                worker.a.type=http
                worker.a.port=8081
                worker.a.route=same
                worker.b.type=http
                worker.b.port=8082
                worker.b.route=same
                worker.b.redirect=nowhere
                """;

        assertThatThrownBy(() -> parse(text)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                .containsExactly(
                        "workers.properties:7: workers a and b share route same (expected: a unique route per worker,"
                                + " the node's Engine jvmRoute)",
                        "workers.properties:10: worker.b.redirect: nowhere (expected: the name or route of another member of the lb)"));
    }

    @Test
    void twoJettyServersLeftAtTheirDefaultWorkerNameAreToldToSetJettyWorkerInstance() {
        String text = """
                worker.list=cloudstack
                worker.cloudstack.type=lb
                worker.cloudstack.balance_workers=ms1,ms2
                worker.ms1.type=http
                worker.ms1.route=node0
                worker.ms2.type=http
                worker.ms2.route=node0
                """;

        assertThatThrownBy(() -> parse(text)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                .containsExactly("workers.properties:6: workers ms1 and ms2 share route node0 (expected: a unique route"
                        + " per worker, the node's Engine jvmRoute; for Jetty, \"node\" + a JETTY_WORKER_INSTANCE of its own"
                        + " per server (node0 is Jetty's default on every server))"));
    }

    @Test
    void aFileWithoutAnLbOrWithGarbageLinesIsRefused() {
        assertThatThrownBy(() -> parse("worker.list=jk-status\nworker.jk-status.type=status\n"))
                .hasMessage("workers.properties: worker.list names no worker of type=lb (expected: worker.list=wlb and worker.wlb.type=lb)");
        assertThatThrownBy(() -> parse("worker.list=wlb\nthis is not a property\n"))
                .hasMessage("workers.properties:2: this is not a property (expected: key=value)");
    }

    @Test
    void variablesAndContinuationLinesWorkAsInModJk() throws Exception {
        WorkersConfig config = parse("""
                base=127.0.0
                worker.list=lb
                worker.lb.type=lb
                worker.lb.balance_workers=a,\\
                  b
                worker.a.type=http
                worker.a.host=$(base).11
                worker.a.port=8080
                worker.b.type=http
                worker.b.host=$(base).12
                worker.b.port=8080
                """);

        assertThat(config.lb().members()).containsExactly("a", "b");
        assertThat(config.workers().get("b").host()).isEqualTo("127.0.0.12");
        assertThatThrownBy(() -> parse("worker.a.host=$(nope)\n"))
                .hasMessage("workers.properties:1: worker.a.host: $(nope) is not defined above (expected: name=value on an earlier line)");
    }

    @Test
    void tlsSettingsThatContradictEachOtherAreRefused() throws Exception {
        String base = seed() + HTTP_PORTS;

        assertThatThrownBy(() -> parse(base + "balancer.tls.cert=/etc/front.pem\n"))
                .hasMessage("workers.properties: balancer.tls.cert and balancer.tls.key go together (expected: both or neither)");
        assertThat(parse(base + "balancer.tls.keystore=/etc/front.p12\n").settings().tls()).isTrue();
        assertThat(parse(base).settings().tls()).isFalse();
    }

    @Test
    void theTcpRelayConnectsToItsOwnListenPortUnlessTcpPortSaysOtherwise() throws Exception {
        String base = seed() + HTTP_PORTS;

        assertThat(parse(base).settings().tcpListen()).isEmpty();
        BalancerSettings agents = parse(base + "balancer.tcp.listen=:8250\n").settings();
        assertThat(agents.tcpListen()).contains(new HostPort("0.0.0.0", 8250));
        assertThat(agents.tcpWorkerPort()).isEqualTo(8250);
        assertThat(parse(base + "balancer.tcp.listen=127.0.0.1:18250\nbalancer.tcp.port=8250\n").settings().tcpWorkerPort())
                .isEqualTo(8250);
        assertThatThrownBy(() -> parse(base + "balancer.tcp.port=0\n")).hasMessageContaining("balancer.tcp.port: 0");
    }

    @Test
    void hostPortAcceptsTheShapesOperatorsWrite() {
        assertThat(HostPort.parse(":8080", "0.0.0.0")).isEqualTo(new HostPort("0.0.0.0", 8080));
        assertThat(HostPort.parse("8080", "0.0.0.0")).isEqualTo(new HostPort("0.0.0.0", 8080));
        assertThat(HostPort.parse("127.0.0.11:81", "x")).isEqualTo(new HostPort("127.0.0.11", 81));
        assertThat(HostPort.parse("[::1]:81", "x")).isEqualTo(new HostPort("::1", 81));
        assertThatThrownBy(() -> HostPort.parse("host:0", "x")).hasMessage("0 (expected: a port 1-65535)");
    }
}
