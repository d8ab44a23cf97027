package io.jvmroute.balancer.ajp;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jvmroute.balancer.Balancer;
import io.jvmroute.balancer.routing.WorkerState;
import io.jvmroute.config.WorkersPropertiesParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What a wrong secret, a hung connector and a worker sending garbage do to requests through the balancer. */
class AjpFailuresTest {

    private final List<AutoCloseable> started = new ArrayList<>();
    private Balancer balancer;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger ajpLogger = (Logger) LoggerFactory.getLogger(AjpClientHandler.class);

    @AfterEach
    void stop() throws Exception {
        ajpLogger.detachAppender(log);
        if (balancer != null) {
            balancer.close();
        }
        for (AutoCloseable c : started) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T started(T c) {
        started.add(c);
        return c;
    }

    private void start(String properties) throws Exception {
        balancer = Balancer.start(WorkersPropertiesParser.parse("workers.properties", properties + AjpBackendTest.TEST_SETTINGS), 2);
    }

    private static String worker(String name, int port, String extra) {
        return "worker." + name + ".type=ajp13\nworker." + name + ".host=127.0.0.1\nworker." + name + ".port=" + port
                + "\n" + extra;
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + balancer.frontAddress().getPort() + path))
                .timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private WorkerState state(String name) {
        return balancer.runtime().router().workers().stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aWrongOrMissingSecretIsSaidInOneLine() throws Exception {
        log.start();
        ajpLogger.addAppender(log);
        AjpTomcat jvm1 = started(new AjpTomcat("jvm1", AjpBackendTest.SECRET));
        AjpTomcat jvm2 = started(new AjpTomcat("jvm2", AjpBackendTest.SECRET));
        start("worker.list=wlb\nworker.wlb.type=lb\nworker.wlb.balance_workers=jvm1,jvm2\n"
                + worker("jvm1", jvm1.port(), "worker.jvm1.secret=not-the-secret\n") + worker("jvm2", jvm2.port(), ""));

        HttpResponse<String> wrong = get("/app/echo", "Cookie", "JSESSIONID=A.jvm1");
        HttpResponse<String> missing = get("/app/echo", "Cookie", "JSESSIONID=A.jvm2");
        get("/app/echo", "Cookie", "JSESSIONID=A.jvm1");

        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "worker jvm1 (127.0.0.1:" + jvm1.port() + "): Tomcat's AJP connector answered 403 and closed the"
                        + " connection, as it does for a wrong secret: set worker.jvm1.secret to the secret of the node's AJP <Connector>",
                "worker jvm2 (127.0.0.1:" + jvm2.port() + "): Tomcat's AJP connector answered 403 and closed the"
                        + " connection, as it does for a missing secret: set worker.jvm2.secret to the secret of the node's AJP <Connector>");
    }

    @Test
    void aConnectorThatNeverAnswersACPingIsFailedOverAndMarkedDown() throws Exception {
        FakeAjpServer hung = started(new FakeAjpServer(null));
        AjpTomcat jvm2 = started(new AjpTomcat("jvm2", AjpBackendTest.SECRET));
        start("worker.list=wlb\nworker.wlb.type=lb\nworker.wlb.balance_workers=jvm1,jvm2\n"
                + worker("jvm1", hung.port(), "worker.jvm1.ping_mode=A\nworker.jvm1.ping_timeout=300\n")
                + worker("jvm2", jvm2.port(), "worker.jvm2.secret=" + AjpBackendTest.SECRET + "\n"));

        long t0 = System.nanoTime();
        HttpResponse<String> r = get("/app/echo", "Cookie", "JSESSIONID=A.jvm1");

        assertThat(AjpBackendTest.echo(r.body())).containsEntry("node", "jvm2").containsEntry("header.x-jvmroute-failover", "jvm1");
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms: the CPing timeout, not the 60 s response timeout")
                .isLessThan(30_000);
        assertThat(state("jvm1").isUp()).isFalse();
        // the health checks (a CPing too) keep it out: it never answers
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3)).until(() -> !state("jvm1").isUp());
        assertThat(state("jvm1").lastCheckResult()).contains("no CPong within");
    }

    @Test
    void aWorkerSendingGarbageFailsItsRequestsCleanlyAndTheBalancerGoesOn() throws Exception {
        byte[] garbage = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi".getBytes(StandardCharsets.ISO_8859_1);
        FakeAjpServer bad = started(new FakeAjpServer(garbage));
        AjpTomcat jvm2 = started(new AjpTomcat("jvm2", AjpBackendTest.SECRET));
        start("worker.list=wlb\nworker.wlb.type=lb\nworker.wlb.balance_workers=jvm1,jvm2\nbalancer.retries=0\n"
                + worker("jvm1", bad.port(), "") + worker("jvm2", jvm2.port(), "worker.jvm2.secret=" + AjpBackendTest.SECRET + "\n"));

        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + balancer.frontAddress().getPort() + "/app/echo")).timeout(Duration.ofSeconds(10))
                .header("Cookie", "JSESSIONID=A.jvm1").POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(502);
        assertThat(refused.body()).contains("does not start with 'AB'");
        assertThat(AjpBackendTest.echo(get("/app/echo", "Cookie", "JSESSIONID=A.jvm2").body())).containsEntry("node", "jvm2");
    }
}
