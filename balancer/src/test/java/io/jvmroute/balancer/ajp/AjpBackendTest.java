package io.jvmroute.balancer.ajp;

import io.jvmroute.balancer.Balancer;
import io.jvmroute.balancer.Fixture;
import io.jvmroute.balancer.routing.WorkerState;
import io.jvmroute.config.WorkersPropertiesParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The balancer in front of real Tomcat AJP/1.3 connectors (embedded, 127.0.0.1, free ports, with a secret). */
class AjpBackendTest {

    static final String SECRET = "Ghostcat-free";
    private final List<AjpTomcat> nodes = new ArrayList<>();
    private final Fixture f = new Fixture();
    private Balancer balancer;

    @AfterEach
    void stop() {
        f.close();
        nodes.forEach(AjpTomcat::close);
    }

    private AjpTomcat node(String route) throws Exception {
        AjpTomcat t = new AjpTomcat(route, SECRET);
        nodes.add(t);
        return t;
    }

    /** A mod_jk file over the given nodes: ajp13 workers with the secret, lb wlb, sticky. */
    static String workers(List<AjpTomcat> nodes, String extra) {
        StringBuilder sb = new StringBuilder("worker.list=wlb,jk-status\nworker.wlb.type=lb\nworker.wlb.sticky_session=1\n"
                + "worker.wlb.balance_workers=" + String.join(",", nodes.stream().map(n -> n.route).toList()) + "\n");
        for (AjpTomcat n : nodes) {
            sb.append("worker.").append(n.route).append(".type=ajp13\n");
            sb.append("worker.").append(n.route).append(".host=127.0.0.1\n");
            sb.append("worker.").append(n.route).append(".port=").append(n.port()).append('\n');
            sb.append("worker.").append(n.route).append(".secret=").append(SECRET).append('\n');
        }
        return sb.append("worker.jk-status.type=status\n").append(TEST_SETTINGS).append(extra).toString();
    }

    static final String TEST_SETTINGS = "balancer.listen=127.0.0.1:0\nbalancer.admin.listen=127.0.0.1:0\n"
            + "balancer.health.interval=100ms\nbalancer.health.timeout=1s\nbalancer.connect_timeout=500ms\n"
            + "balancer.shutdown_timeout=1s\n";

    private void start(String properties) throws Exception {
        balancer = f.start(WorkersPropertiesParser.parse("workers.properties", properties));
    }

    private URI uri(String path) {
        return f.uri(path);
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        return f.get(path, headers);
    }

    private String raw(String request) throws IOException {
        return f.rawResponse(request);
    }

    static Map<String, String> echo(String body) {
        Map<String, String> m = new HashMap<>();
        for (String line : body.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }

    private WorkerState worker(String name) {
        return balancer.runtime().router().workers().stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aLoggedInUserStaysOnTheNodeOfTheSessionRouteAndTomcatSeesTheRealRequest() throws Exception {
        node("jvm1");
        node("jvm2");
        start(workers(nodes, ""));

        HttpResponse<String> login = get("/app/login?user=alice");
        String home = login.body();
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        assertThat(cookie).endsWith("." + home);

        for (int i = 0; i < 10; i++) {
            Map<String, String> e = echo(get("/app/echo/x%20y?a=1&b=%C3%A9", "Cookie", cookie, "Accept", "text/plain",
                    "X-Custom", "v " + i).body());
            assertThat(e).containsEntry("node", home).containsEntry("user", "alice")
                    .containsEntry("uri", "/app/echo/x%20y").containsEntry("query", "a=1&b=%C3%A9")
                    .containsEntry("method", "GET").containsEntry("protocol", "HTTP/1.1")
                    .containsEntry("remote", "127.0.0.1").containsEntry("secure", "false")
                    .containsEntry("activation", "ACT").containsEntry("header.accept", "text/plain")
                    .containsEntry("header.x-custom", "v " + i)
                    .containsEntry("server", "127.0.0.1:" + balancer.frontAddress().getPort());
            assertThat(e).doesNotContainKey("header.x-forwarded-for"); // AJP carries the client's address itself
        }
    }

    @Test
    void fixedAndChunkedRequestBodiesArriveWhole() throws Exception {
        node("jvm1");
        start(workers(nodes, ""));
        byte[] body = new byte[300_000];
        new Random(7).nextBytes(body);
        String digest = AjpTomcat.sha256(body);

        HttpResponse<String> fixed = f.send(HttpRequest.newBuilder(uri("/app/upload")).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        HttpResponse<String> chunked = f.send(HttpRequest.newBuilder(uri("/app/upload")).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build());
        HttpResponse<String> empty = f.send(HttpRequest.newBuilder(uri("/app/upload")).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.noBody()).build());

        assertThat(echo(fixed.body())).containsEntry("body", body.length + " " + digest);
        assertThat(echo(chunked.body())).containsEntry("body", body.length + " " + digest)
                .doesNotContainKey("header.transfer-encoding");
        assertThat(echo(empty.body())).containsEntry("body", "0 " + AjpTomcat.sha256(new byte[0]));
    }

    @Test
    void aClientWaitingFor100ContinueGetsItFromTheBalancer() throws Exception {
        node("jvm1");
        start(workers(nodes, ""));

        HttpResponse<String> r = f.send(HttpRequest.newBuilder(uri("/app/upload")).timeout(Duration.ofSeconds(20))
                .expectContinue(true).POST(HttpRequest.BodyPublishers.ofString("after the interim answer")).build());

        byte[] sent = "after the interim answer".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(echo(r.body())).containsEntry("body", sent.length + " " + AjpTomcat.sha256(sent))
                .doesNotContainKey("header.expect");
    }

    @Test
    void anUnsizedResponseComesChunkedAndWhole() throws Exception {
        node("jvm1");
        start(workers(nodes, ""));

        HttpResponse<String> r = get("/app/stream?parts=40");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).hasSize(40_000).startsWith("a".repeat(1000) + "b");
        assertThat(r.headers().firstValue("Transfer-Encoding")).contains("chunked");
        assertThat(r.headers().firstValue("X-Node")).contains("jvm1");
    }

    @Test
    void largeHeadersPassUpToThePacketSizeAndBeyondItTheClientIsTold() throws Exception {
        node("jvm1");
        start(workers(nodes, ""));

        HttpResponse<String> bigCookie = get("/app/echo", "Cookie", "pref=" + "c".repeat(6000));
        HttpResponse<String> bigResponseHeader = get("/app/big-header?size=7000");
        HttpResponse<String> tooBig = get("/app/echo", "X-Huge", "h".repeat(9000));

        assertThat(echo(bigCookie.body())).containsEntry("header.cookie", "pref=" + "c".repeat(6000));
        assertThat(bigResponseHeader.headers().firstValue("X-Big")).contains("b".repeat(7000));
        assertThat(tooBig.statusCode()).isEqualTo(431);
        assertThat(tooBig.body()).contains("max_packet_size 8192");
        assertThat(get("/app/echo").statusCode()).isEqualTo(200); // and the balancer goes on
    }

    @Test
    void withALargerPacketSizeOnBothSidesLargerHeadersPass() throws Exception {
        nodes.add(new AjpTomcat("jvm1", SECRET, 65536));
        start(workers(nodes, "worker.jvm1.max_packet_size=65536\n"));

        HttpResponse<String> r = get("/app/echo", "X-Huge", "h".repeat(12_000)); // balancer.max_header_size: 16384

        assertThat(echo(r.body())).containsEntry("header.x-huge", "h".repeat(12_000));
    }

    @Test
    void keepAliveConnectionsAreReused() throws Exception {
        node("jvm1");
        start(workers(nodes, ""));

        for (int i = 0; i < 50; i++) {
            assertThat(get("/app/echo?i=" + i).statusCode()).isEqualTo(200);
            assertThat(f.send(HttpRequest.newBuilder(uri("/app/upload")).timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("x".repeat(i * 300))).build()).statusCode()).isEqualTo(200);
        }

        assertThat(balancer.pools().openConnections(worker("jvm1"))).isEqualTo(1);
    }

    @Test
    void aHeadRequestAndA304HaveNoBodyAndKeepTheConnection() throws Exception {
        node("jvm1");
        start(workers(nodes, ""));

        HttpResponse<String> head = f.send(HttpRequest.newBuilder(uri("/app/echo")).timeout(Duration.ofSeconds(10))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(get("/app/echo").statusCode()).isEqualTo(200);
        assertThat(balancer.pools().openConnections(worker("jvm1"))).isEqualTo(1);
    }

    @Test
    void anUpgradeToAnAjpWorkerIsAClear501() throws Exception {
        node("jvm1");
        start(workers(nodes, ""));

        String answer = raw("GET /app/ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 501 Not Implemented").contains("AJP13, which cannot carry an Upgrade");
    }

    @Test
    void anH2cOfferIsIgnoredAsAServerMayAndTheRequestIsServed() throws Exception {
        node("jvm1");
        start(workers(nodes, ""));

        String answer = raw("GET /app/echo HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                + "HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200 OK").contains("node=jvm1").doesNotContain("header.upgrade")
                .doesNotContain("header.http2-settings");
    }

    @Test
    void aDisabledWorkerTellsTomcatSoForTheDrainingValve() throws Exception {
        node("jvm1");
        node("jvm2");
        start(workers(nodes, "worker.jvm2.activation=D\n"));

        Map<String, String> e = echo(get("/app/echo", "Cookie", "JSESSIONID=ABC.jvm2").body());

        assertThat(e).containsEntry("node", "jvm2").containsEntry("activation", "DIS");
    }

    @Test
    void aRequestForADeadNodeGoesToTheOtherWithTheFailoverHeader() throws Exception {
        AjpTomcat jvm1 = node("jvm1");
        node("jvm2");
        start(workers(nodes, ""));
        String cookie = get("/app/login?user=bob", "Cookie", "JSESSIONID=X.jvm1").headers()
                .firstValue("Set-Cookie").map(c -> c.split(";")[0]).orElse("JSESSIONID=ABC.jvm1");

        jvm1.close();
        Map<String, String> e = echo(get("/app/echo", "Cookie", cookie.replace(".jvm2", ".jvm1")).body());

        assertThat(e).containsEntry("node", "jvm2").containsEntry("header.x-jvmroute-failover", "jvm1");
        assertThat(worker("jvm1").isUp()).isFalse();
    }
}
