package io.jvmroute.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvmroute.balancer.Fixture;
import io.jvmroute.balancer.TestBackend;
import io.jvmroute.balancer.cluster.FakeCluster;
import io.jvmroute.membership.MemberState;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code jvmroute doctor} against a balancer reading a cluster whose nodes behave as jvmroute nodes do (a session
 * made on one is known on the others when they replicate; a trusted failover header renames it to the serving
 * node's route), and against the same cluster with a fault: one line per check, a table, exit 1 on a failure.
 */
class DoctorCommandTest {

    private final Fixture f = new Fixture();
    private final FakeCluster cluster = new FakeCluster();
    /** Node route to the session bases it holds; with replication every node shares one set. */
    private final Map<String, Set<String>> held = new ConcurrentHashMap<>();
    private volatile int clockSkewSeconds;

    @BeforeEach
    void start() throws Exception {
        cluster.join(1);
        cluster.join(2);
        Set<String> shared = ConcurrentHashMap.newKeySet();
        held.put("n1", shared);
        held.put("n2", shared);
        cluster.app = this::node;
        f.start(cluster.balancerConfig());
        await().atMost(Duration.ofSeconds(5)).until(() -> f.balancer.runtime().router().workers().size() == 2);
    }

    @AfterEach
    void stop() {
        f.close();
        cluster.close();
    }

    /** A node of a jvmroute cluster, as far as the doctor can see one. */
    private void node(TestBackend self, ChannelHandlerContext ctx, FullHttpRequest request) {
        String route = self.name;
        Set<String> sessions = held.get(route);
        String cookie = Optional.ofNullable(request.headers().get("Cookie")).orElse("");
        String id = cookie.startsWith("JSESSIONID=") ? cookie.substring(11) : null;
        String base = id == null ? null : id.substring(0, id.indexOf('.'));
        String setId = null;
        if (base == null || !sessions.contains(base)) {
            base = UUID.randomUUID().toString().replace("-", "").toUpperCase();
            sessions.add(base);
            setId = base + "." + route;
        } else if (id.substring(id.indexOf('.') + 1).equals(request.headers().get("X-JvmRoute-Failover"))) {
            setId = base + "." + route;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER);
        response.headers().set("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(clockSkewSeconds)));
        if (setId != null) {
            response.headers().set("Set-Cookie", "JSESSIONID=" + setId + "; Path=/; HttpOnly");
        }
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        HttpUtil.setKeepAlive(response, HttpUtil.isKeepAlive(request));
        ctx.writeAndFlush(response);
    }

    private CliRun doctor() {
        return CliRun.of(new JvmrouteCommand(), "doctor", "http://127.0.0.1:" + f.balancer.frontAddress().getPort(),
                "--admin", "http://127.0.0.1:" + f.balancer.adminAddress().getPort(), "--path", "/app/login");
    }

    @Test
    void a_healthy_cluster_passes_every_check_with_a_test_session_of_its_own() {
        CliRun run = doctor();

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out())
                .contains("ok   balancer: 2 worker(s)\n", "ok   workers up: all up and active\n",
                        "ok   cluster view: every worker is a cluster member\n", "ok   drain-ready: 2 active nodes",
                        "ok   settings: every node publishing one has fingerprint cafe01\n")
                .containsPattern("ok   login: test session on n[12]\n")
                .contains("ok   sticky: 3 more requests kept session", "ok   replicated: the test session is on every other node\n")
                .containsPattern("ok   failover: the test session moved to n[12] as n[12] \\(route rewritten\\)\n")
                .contains("ok   clocks: every node within a second of this host\n", "skip tls: the balancer's front is plain HTTP\n")
                .contains("CHECK          RESULT\n", "replicated     ok\n")
                .endsWith("healthy: nothing failed\n");
    }

    @Test
    void a_node_without_replication_a_wrong_clock_and_a_drained_peer_each_fail_their_check() {
        held.put("n2", ConcurrentHashMap.newKeySet()); // n2 holds nothing of n1's: no replication
        held.put("n1", ConcurrentHashMap.newKeySet());
        clockSkewSeconds = 30;
        cluster.fingerprints.put("n2", "beef02");
        cluster.states.put("n2", MemberState.DRAINING);
        await().atMost(Duration.ofSeconds(5)).until(() -> doctor().out().contains("warn workers up: up, but n2 disabled"));

        CliRun run = doctor();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out())
                .contains("FAIL drain-ready: 1 active node(s): draining one would leave its users nowhere to go\n")
                .contains("ok   login: test session on n1\n")
                .contains("FAIL settings: nodes differ: {beef02=[n2], cafe01=[n1]}\n")
                .contains("FAIL replicated: n2 does not know it\n")
                .contains("FAIL failover: n2 answered a new session: the user would have to log in again\n")
                .containsPattern("FAIL clocks: n1 (29|30|31) s off; n2 (29|30|31) s off\n")
                .endsWith("5 check(s) failed\n");
    }

    @Test
    void an_unreachable_balancer_is_one_failed_check() {
        CliRun run = CliRun.of(new JvmrouteCommand(), "doctor", "http://127.0.0.1:1", "--admin", "http://127.0.0.1:1");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("FAIL balancer: cannot read its admin listener: ").endsWith("1 check(s) failed\n");
    }
}
