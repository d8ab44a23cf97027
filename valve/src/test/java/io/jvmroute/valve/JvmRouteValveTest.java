package io.jvmroute.valve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvmroute.testsupport.LogCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import org.apache.catalina.Session;
import org.apache.catalina.authenticator.Constants;
import org.apache.catalina.connector.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The valve's {@code invoke} with a recording next valve, no cluster (every foreign route is unknown). */
class JvmRouteValveTest {

    private ValveHarness harness;

    @AfterEach
    void stop() throws Exception {
        if (harness != null) {
            harness.stop();
        }
    }

    private ValveHarness started(String jvmRoute) throws Exception {
        harness = new ValveHarness("unit-" + System.nanoTime(), jvmRoute);
        return harness.start();
    }

    @Test
    void aLocalRouteSessionPassesUntouched() throws Exception {
        ValveHarness h = started("n1");
        Session session = h.addSession("AAA.n1");

        h.invoke(h.request("AAA.n1", "127.0.0.1"));

        assertThat(h.next.last().requestedId()).isEqualTo("AAA.n1");
        assertThat(h.next.last().setCookie()).isNull();
        assertThat(session.getIdInternal()).isEqualTo("AAA.n1");
        assertThat(h.valve.getRenames()).isZero();
    }

    @Test
    void aSessionFromAnUnknownRouteIsTakenOverWithACookieFromTheContext() throws Exception {
        ValveHarness h = started("n1");
        h.context.setSessionCookieName("APPSESSION");
        Session session = h.addSession("AAA.n9");

        Request request = h.request("AAA.n9", "127.0.0.1");
        h.invoke(request);

        assertThat(session.getIdInternal()).isEqualTo("AAA.n1");
        assertThat(h.find("AAA.n9")).isNull();
        assertThat(h.next.last().requestedId()).isEqualTo("AAA.n1");
        assertThat(h.next.last().session()).isSameAs(session);
        assertThat(h.next.last().setCookie()).startsWith("APPSESSION=AAA.n1").contains("Path=/app", "HttpOnly");
        assertThat(request.getAttribute(SessionRouter.ORIGINAL_ID_ATTRIBUTE)).isEqualTo("AAA.n9");
        assertThat(h.valve.getRenames()).isEqualTo(1);
    }

    @Test
    void rewriteNeverServesAForeignSessionWithoutRenamingIt() throws Exception {
        harness = new ValveHarness("unit-never", "n1");
        harness.valve.setRewrite("never");
        ValveHarness h = harness.start();
        Session session = h.addSession("AAA.n9");

        h.invoke(h.request("AAA.n9", "127.0.0.1"));

        assertThat(session.getIdInternal()).isEqualTo("AAA.n9");
        assertThat(h.next.last().session()).isSameAs(session);
        assertThat(h.next.last().setCookie()).isNull();
    }

    @Test
    void anOldIdFindsTheSessionUnderItsNewRouteAndGetsTheNewCookie() throws Exception {
        ValveHarness h = started("n1");
        Session session = h.addSession("AAA.n1");

        h.invoke(h.request("AAA.n9", "127.0.0.1"));

        assertThat(h.next.last().session()).isSameAs(session);
        assertThat(h.next.last().requestedId()).isEqualTo("AAA.n1");
        assertThat(h.next.last().setCookie()).startsWith("JSESSIONID=AAA.n1");
        assertThat(h.valve.getOldIdHits()).isEqualTo(1);
        assertThat(h.valve.getRenames()).isZero();
    }

    @Test
    void anUnknownIdIsLeftToTomcat() throws Exception {
        ValveHarness h = started("n1");
        h.addSession("BBB.n1");

        h.invoke(h.request("AAA.n9", "127.0.0.1"));

        assertThat(h.next.last().requestedId()).isEqualTo("AAA.n9");
        assertThat(h.next.last().session()).isNull();
        assertThat(h.next.last().setCookie()).isNull();
    }

    @Test
    void withoutAJvmRouteOneErrorNamesTheFixAndRequestsPassThroughUnchanged() throws Exception {
        ValveHarness h;
        List<String> errors;
        try (LogCapture log = LogCapture.juli(JvmRouteValve.class, Level.SEVERE)) {
            h = started(null);
            errors = log.messages();
        }
        Session session = h.addSession("AAA.n9");

        h.invoke(h.request("AAA.n9", "127.0.0.1"));
        h.invoke(h.request("AAA.n9", "127.0.0.1"));

        assertThat(errors).singleElement().asString().contains("jvmRoute=\"node1\"", "pass through unchanged");

        assertThat(h.valve.getLocalRoute()).isNull();
        assertThat(session.getIdInternal()).isEqualTo("AAA.n9");
        assertThat(h.next.last().requestedId()).isEqualTo("AAA.n9");
        assertThat(h.next.last().setCookie()).isNull();
    }

    @Test
    void aFormLoginNoteFollowsTheRename() throws Exception {
        ValveHarness h = started("n1");
        Session session = h.addSession("AAA.n9");
        session.setNote(Constants.SESSION_ID_NOTE, "AAA.n9");

        h.invoke(h.request("AAA.n9", "127.0.0.1"));

        assertThat(session.getNote(Constants.SESSION_ID_NOTE)).isEqualTo("AAA.n1");
    }

    @Test
    void aFailoverHeaderFromAnUntrustedAddressIsCountedAsRefused() throws Exception {
        ValveHarness h = started("n1");
        h.addSession("AAA.n9");
        Request trusted = h.request("AAA.n9", "127.0.0.5");
        trusted.getCoyoteRequest().getMimeHeaders().addValue("X-JvmRoute-Failover").setString("n9");
        Request untrusted = h.request("AAA.n1", "203.0.113.7");
        untrusted.getCoyoteRequest().getMimeHeaders().addValue("X-JvmRoute-Failover").setString("n1");
        untrusted.setRequestedSessionId("CCC.n9");

        h.invoke(trusted);
        h.invoke(untrusted);

        assertThat(h.valve.getRefusals()).isEqualTo(1);
    }

    @Test
    void concurrentOldIdRequestsRenameOnceAndAllSeeTheSession() throws Exception {
        ValveHarness h = started("n1");
        Session session = h.addSession("AAA.n9");
        h.manager.holdRenameGap = true;
        AtomicInteger idChanges = new AtomicInteger();
        h.context.addApplicationEventListener(new HttpSessionIdListener() {
            @Override
            public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
                idChanges.incrementAndGet();
            }
        });
        int threads = 16;
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            requests.add(h.request("AAA.n9", "127.0.0.1"));
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Request request : requests) {
                done.add(pool.submit(() -> {
                    go.await();
                    h.invoke(request);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(h.next.seen).hasSize(threads)
                .allSatisfy(seen -> {
                    assertThat(seen.session()).isSameAs(session);
                    assertThat(seen.requestedId()).isEqualTo("AAA.n1");
                });
        assertThat(idChanges).hasValue(1);
        assertThat(h.valve.getRenames()).isEqualTo(1);
        assertThat(h.valve.getOldIdHits()).isEqualTo(threads - 1);
    }

    @Test
    void badSettingsAreRefusedWithTheValueNamed() {
        JvmRouteValve valve = new JvmRouteValve();
        assertThatThrownBy(() -> valve.setRewrite("sometimes")).hasMessageContaining("sometimes");
        assertThatThrownBy(() -> valve.setTrustedProxies("10.(")).hasMessageContaining("10.(");
        assertThatThrownBy(() -> valve.setFailoverHeader(" ")).hasMessageContaining("failoverHeader");
    }
}
