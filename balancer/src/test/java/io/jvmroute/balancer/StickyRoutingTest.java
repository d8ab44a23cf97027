package io.jvmroute.balancer;

import io.jvmroute.config.Activation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every routing rule of the issue, end to end over real sockets to real backends on 127.0.0.x. */
class StickyRoutingTest {

    private final Fixture f = new Fixture();

    @AfterEach
    void stop() {
        f.close();
    }

    private void activation(String worker, Activation a) {
        f.balancer.runtime().router().workers().stream().filter(w -> w.name().equals(worker)).findFirst()
                .orElseThrow().activation(a);
    }

    @Test
    void aSessionCookieWithARouteAlwaysReachesItsWorker() throws Exception {
        f.backends(3).start("");

        for (int i = 0; i < 6; i++) {
            HttpResponse<String> r = f.get("/app/", "Cookie", "JSESSIONID=ABC.jvm2");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("jvm2");
        }
        assertThat(f.backend("jvm1").received).isEmpty();
        assertThat(f.backend("jvm3").received).isEmpty();
    }

    @Test
    void thePathParameterIsTriedBeforeTheCookie() throws Exception {
        f.backends(2).start("");

        HttpResponse<String> r = f.get("/app/page;jsessionid=ABC.jvm1?x=1", "Cookie", "JSESSIONID=ABC.jvm2");

        assertThat(r.body()).isEqualTo("jvm1");
        assertThat(f.backend("jvm1").received.get(0).uri()).isEqualTo("/app/page;jsessionid=ABC.jvm1?x=1");
    }

    @Test
    void requestsWithoutARouteAreSpreadRoundRobin() throws Exception {
        f.backends(2).start("");

        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            counts.merge(f.get("/").body(), 1, Integer::sum);
        }

        assertThat(counts).containsEntry("jvm1", 5).containsEntry("jvm2", 5);
    }

    @Test
    void aSessionOfAStoppedWorkerMovesAndTheNewWorkerIsToldTheOldRoute() throws Exception {
        f.backends(2).start("");
        activation("jvm1", Activation.STOPPED);

        HttpResponse<String> r = f.get("/app/", "Cookie", "JSESSIONID=ABC.jvm1");

        assertThat(r.body()).isEqualTo("jvm2");
        assertThat(f.backend("jvm2").received.get(0).headers().get("X-JvmRoute-Failover")).isEqualTo("jvm1");
    }

    @Test
    void aClientCannotSendTheFailoverHeaderItself() throws Exception {
        f.backends(2).start("");

        f.get("/app/", "Cookie", "JSESSIONID=ABC.jvm1", "X-JvmRoute-Failover", "jvm2");

        assertThat(f.backend("jvm1").received.get(0).headers().contains("X-JvmRoute-Failover")).isFalse();
    }

    @Test
    void theFailoverHeaderNameIsConfigurable() throws Exception {
        f.backends(2).start("balancer.failover_header=X-Moved-From\n");
        activation("jvm2", Activation.STOPPED);

        f.get("/", "Cookie", "JSESSIONID=ABC.jvm2", "X-Moved-From", "forged");

        assertThat(f.backend("jvm1").received.get(0).headers().getAll("X-Moved-From")).containsExactly("jvm2");
    }

    @Test
    void aDisabledWorkerKeepsItsSessionsButTakesNoNewOnes() throws Exception {
        f.backends(2).start("");
        activation("jvm1", Activation.DISABLED);

        assertThat(f.get("/", "Cookie", "JSESSIONID=ABC.jvm1").body()).isEqualTo("jvm1");
        for (int i = 0; i < 4; i++) {
            assertThat(f.get("/").body()).isEqualTo("jvm2");
        }
    }

    @Test
    void anUnusableWorkersSessionsGoToItsRedirect() throws Exception {
        f.backends(3).start("worker.jvm1.redirect=jvm3\n");
        activation("jvm1", Activation.STOPPED);

        for (int i = 0; i < 3; i++) {
            assertThat(f.get("/", "Cookie", "JSESSIONID=ABC.jvm1").body()).isEqualTo("jvm3");
        }
    }

    @Test
    void anUnusableWorkersSessionsStayInItsDomain() throws Exception {
        f.backends(3).start("worker.jvm1.domain=dc1\nworker.jvm3.domain=dc1\nworker.jvm2.domain=dc2\n");
        activation("jvm1", Activation.STOPPED);

        for (int i = 0; i < 3; i++) {
            assertThat(f.get("/", "Cookie", "JSESSIONID=ABC.jvm1").body()).isEqualTo("jvm3");
        }
    }

    @Test
    void anUnknownRouteWhoseDomainIsKnownGoesToThatDomain() throws Exception {
        f.backends(2).start("worker.jvm1.route=dc1.a\nworker.jvm1.domain=dc1\nworker.jvm2.route=dc2.a\nworker.jvm2.domain=dc2\n");

        assertThat(f.get("/", "Cookie", "JSESSIONID=ABC.dc2.gone").body()).isEqualTo("jvm2");
        assertThat(f.backend("jvm2").received.get(0).headers().get("X-JvmRoute-Failover")).isEqualTo("dc2.gone");
    }

    @Test
    void stickySessionForceAnswers503InsteadOfMovingTheSession() throws Exception {
        f.backends(2).start("worker.wlb.sticky_session_force=true\n");
        activation("jvm1", Activation.STOPPED);

        HttpResponse<String> r = f.get("/", "Cookie", "JSESSIONID=ABC.jvm1");

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("no application server is available").doesNotContain("jvm1");
        assertThat(f.backend("jvm2").received).isEmpty();
    }

    @Test
    void busynessSendsNewRequestsToTheWorkerWithFewestInFlight() throws Exception {
        f.backends(2).start("worker.wlb.method=B\n");
        f.balancer.runtime().router().workers().get(0).started(); // jvm1 looks busy

        for (int i = 0; i < 3; i++) {
            assertThat(f.get("/").body()).isEqualTo("jvm2");
        }
    }

    @Test
    void forwardedHeadersAreSetAndHopByHopHeadersRemoved() throws Exception {
        f.backends(1).start("");

        f.get("/", "X-Forwarded-For", "6.6.6.6", "Keep-Alive", "timeout=5", "Proxy-Connection", "x");

        var h = f.backend("jvm1").received.get(0).headers();
        assertThat(h.get("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(h.get("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(h.get("X-Forwarded-Host")).startsWith("127.0.0.1:");
        assertThat(h.get("Forwarded")).startsWith("for=127.0.0.1;proto=http;host=\"127.0.0.1:");
        assertThat(h.contains("Keep-Alive")).isFalse();
        assertThat(h.contains("Proxy-Connection")).isFalse();
    }

    @Test
    void aTrustedProxysForwardedForIsKeptAndAppendedTo() throws Exception {
        f.backends(1).start("balancer.trusted_proxies=127.0.0.0/8\n");

        f.get("/", "X-Forwarded-For", "203.0.113.7");

        assertThat(f.backend("jvm1").received.get(0).headers().get("X-Forwarded-For")).isEqualTo("203.0.113.7, 127.0.0.1");
    }

    @Test
    void keepAliveConnectionsToWorkersAreReused() throws Exception {
        f.backends(1).start("");

        for (int i = 0; i < 20; i++) {
            assertThat(f.get("/").statusCode()).isEqualTo(200);
        }

        long connections = f.backend("jvm1").received.stream().map(TestBackend.Received::connection).distinct().count();
        assertThat(connections).isLessThanOrEqualTo(2); // one per event loop at most
    }
}
