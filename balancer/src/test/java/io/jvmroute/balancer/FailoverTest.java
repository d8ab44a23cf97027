package io.jvmroute.balancer;

import io.jvmroute.balancer.routing.WorkerState;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The retry rules, timeouts, passive detection and active health checks, against real sockets. */
class FailoverTest {

    private final Fixture f = new Fixture();

    @AfterEach
    void stop() {
        f.close();
    }

    private WorkerState state(String name) {
        return f.balancer.runtime().router().workers().stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
    }

    private static final TestBackend.Behaviour HANG_UP = (self, ctx, request) -> ctx.close();
    private static final TestBackend.Behaviour NEVER_ANSWER = (self, ctx, request) -> { };

    private HttpResponse<String> post(String method, String body, String cookie) throws Exception {
        return f.send(HttpRequest.newBuilder(f.uri("/app/save")).timeout(Duration.ofSeconds(10))
                .header("Cookie", cookie).method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void aRequestThatCouldNotConnectGoesToTheNextWorkerWhateverItsMethod() throws Exception {
        f.backends(2).start("");
        f.backend("jvm1").stop();

        HttpResponse<String> r = post("POST", "form=data", "JSESSIONID=ABC.jvm1");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("jvm2");
        TestBackend.Received got = f.backend("jvm2").received.get(0);
        assertThat(got.body()).isEqualTo("form=data");
        assertThat(got.headers().get("X-JvmRoute-Failover")).isEqualTo("jvm1");
        assertThat(state("jvm1").isUp()).isFalse();
    }

    @Test
    void anIdempotentRequestDroppedByItsWorkerIsRetriedElsewhere() throws Exception {
        f.backends(2).start("");
        f.backend("jvm1").respond(HANG_UP);

        HttpResponse<String> r = post("PUT", "small body", "JSESSIONID=ABC.jvm1");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("jvm2");
        assertThat(f.backend("jvm2").received.get(0).body()).isEqualTo("small body");
        assertThat(f.backend("jvm2").received.get(0).headers().get("X-JvmRoute-Failover")).isEqualTo("jvm1");
    }

    @Test
    void aPostThatReachedItsWorkerIsNotRetriedButAnswered502() throws Exception {
        f.backends(2).start("");
        f.backend("jvm1").respond(HANG_UP);

        HttpResponse<String> r = post("POST", "form=data", "JSESSIONID=ABC.jvm1");

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(f.backend("jvm1").received).hasSize(1);
        assertThat(f.backend("jvm2").received).isEmpty();
    }

    @Test
    void anIdempotentRequestWhoseBodyWasTooLargeToKeepIsNotRetried() throws Exception {
        f.backends(2).start("balancer.retry_buffer=16\n");
        f.backend("jvm1").respond(HANG_UP);

        HttpResponse<String> r = post("PUT", "a body longer than sixteen bytes", "JSESSIONID=ABC.jvm1");

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(f.backend("jvm2").received).isEmpty();
    }

    @Test
    void retriesAreBounded() throws Exception {
        f.backends(3).start("balancer.retries=1\n");
        f.backends.forEach(b -> b.respond(HANG_UP));

        HttpResponse<String> r = f.get("/");

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(f.backends.stream().mapToInt(b -> b.received.size()).sum()).isEqualTo(2);
    }

    @Test
    void noResponseHeadersWithinTheResponseTimeoutGive504() throws Exception {
        f.backends(1).start("balancer.response_timeout=300ms\n");
        f.backend("jvm1").respond(NEVER_ANSWER);

        long start = System.nanoTime();
        HttpResponse<String> r = f.get("/");

        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).contains("did not answer in time").doesNotContain("jvm1");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    /** Issue 16, item 14: what failed, and where, is in the log; the client learns no worker, address or exception. */
    @Test
    void errorAnswersNameNoWorkerAddressOrException() throws Exception {
        f.backends(2).start("balancer.retries=0\n");
        f.backend("jvm1").respond(HANG_UP);

        HttpResponse<String> failed = post("POST", "x", "JSESSIONID=ABC.jvm1");
        f.backend("jvm1").stop();
        f.backend("jvm2").stop();
        HttpResponse<String> unreachable = f.get("/");

        for (HttpResponse<String> r : List.of(failed, unreachable)) {
            assertThat(r.statusCode()).isBetween(502, 504);
            assertThat(r.body()).doesNotContain("jvm1", "jvm2", "127.0.0.", "Exception", "closed", "refused");
        }
    }

    @Test
    void failOnStatusTakesTheWorkerOut() throws Exception {
        f.backends(2).start("worker.jvm1.fail_on_status=503\n");
        f.backend("jvm1").respond((self, ctx, request) -> self.send(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "busy"));

        f.get("/", "Cookie", "JSESSIONID=ABC.jvm1");

        assertThat(state("jvm1").lastCheckResult()).contains("fail_on_status");
        assertThat(f.get("/", "Cookie", "JSESSIONID=ABC.jvm1").body()).isEqualTo("jvm2");
    }

    @Test
    void aDeadWorkerIsSkippedAndBackWithinSecondsOfHealing() throws Exception {
        f.backends(2).start("");
        TestBackend jvm1 = f.backend("jvm1");
        int port = jvm1.port();

        jvm1.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> !state("jvm1").isUp());
        for (int i = 0; i < 4; i++) {
            assertThat(f.get("/").body()).isEqualTo("jvm2");
        }

        jvm1.start(port);
        await().atMost(Duration.ofSeconds(3)).until(() -> state("jvm1").isUp());
        List<String> served = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            served.add(f.get("/").body());
        }
        assertThat(served).contains("jvm1", "jvm2");
        assertThat(f.get("/", "Cookie", "JSESSIONID=ABC.jvm1").body()).isEqualTo("jvm1");
    }

    /**
     * The measurement, in small: a logged-in user keeps polling; its node dies between two polls
     * (every connection closed, port refused). No request may fail, and the failover must not wait for a
     * timeout or a health check: the connect timeout is 2 s here and the bound well below it (the bound
     * is loose because this machine's 2 cores are shared; typical is ~10 ms).
     */
    @Test
    void killingTheStickyWorkerFailsNoPollAndWaitsForNoTimeout() throws Exception {
        f.backends(2).start("balancer.connect_timeout=2s\nbalancer.health.interval=5s\n");
        long worstNanos = 0;
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            if (i == 10) {
                f.backend("jvm1").stop();
            }
            long start = System.nanoTime();
            HttpResponse<String> r = f.get("/poll", "Cookie", "JSESSIONID=ABC.jvm1");
            long took = System.nanoTime() - start;
            statuses.add(r.statusCode());
            if (i >= 10) {
                worstNanos = Math.max(worstNanos, took);
                assertThat(r.body()).isEqualTo("jvm2");
            }
        }

        assertThat(statuses).containsOnly(200);
        assertThat(Duration.ofNanos(worstNanos)).isLessThan(Duration.ofMillis(300));
        System.out.printf("worst poll after the kill: %.1f ms%n", worstNanos / 1e6);
    }
}
