package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvmroute.testsupport.FreePorts;
import io.jvmroute.testsupport.Http;
import io.jvmroute.testsupport.LogCapture;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import org.apache.catalina.Context;
import org.apache.catalina.Session;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A restarted node gets every session, in acknowledged batches, renamed ones under their new ids. */
class StateTransferTest {

    private static final String A = "127.0.0.11";
    private static final String B = "127.0.0.12";
    private static final int SESSIONS = 5_000;

    private TestNode jvm1;
    private TestNode jvm2;

    @AfterEach
    void stopNodes() {
        if (jvm2 != null) {
            jvm2.close();
        }
        if (jvm1 != null) {
            jvm1.close();
        }
    }

    @Test
    void aRestartedNodeGetsThousandsOfSessionsIncludingRenamedOnesAndIsAPeerAgain() throws Exception {
        String members = FreePorts.retryOnLostPort(started -> {
            int port = FreePorts.on(A, B);
            String both = "jvm1=" + A + ":" + port + ",jvm2=" + B + ":" + port;
            jvm1 = started.add(TestNode.start("jvm1", A, c -> c.setMembers(both)));
            TestNode.start("jvm2", B, c -> c.setMembers(both)).close();
            return both;
        });

        // While jvm2 is down, jvm1 gets sessions of ~2 KiB; every 50th is renamed as the valve would after a failover.
        RouteManager manager = jvm1.manager();
        Map<String, String> expected = new HashMap<>();
        for (int i = 0; i < SESSIONS; i++) {
            Session session = manager.createSession(null);
            session.getSession().setAttribute("userid", "u" + i);
            session.getSession().setAttribute("blob", "b".repeat(2_000));
            if (i % 50 == 0) {
                String base = session.getIdInternal().substring(0, session.getIdInternal().indexOf('.'));
                manager.changeSessionId(session, base + ".jvm2");
            }
            expected.put(session.getIdInternal(), "u" + i);
        }

        try (LogCapture log = LogCapture.juli(RouteManager.class, Level.INFO)) {
            jvm2 = TestNode.start("jvm2", B, c -> c.setMembers(members));
            assertThat(log.messages()).anyMatch(m -> m.contains("session state received"));
            assertThat(log.messages()).noneMatch(m -> m.contains("NO SESSION STATE") || m.contains("INCOMPLETE"));
            assertThat(jvm2.manager().getStateTransferAnnounced()).isEqualTo(SESSIONS);
            assertThat(jvm2.manager().getStateTransferReceived()).isEqualTo(SESSIONS);
        }
        Session[] received = jvm2.manager().findSessions();
        assertThat(received).hasSize(SESSIONS);
        for (Session session : received) {
            assertThat(session.getSession().getAttribute("userid")).isEqualTo(expected.get(session.getIdInternal()));
        }
        assertThat(expected.keySet().stream().filter(id -> id.endsWith(".jvm2"))).hasSize(SESSIONS / 50);

        // The restarted member (same route, same Tribes id) is a full peer again: a login reaches it at once.
        await().atMost(Duration.ofSeconds(20)).until(() -> jvm1.cluster.getMembers().length == 1);
        String id = Http.get(jvm1.url("/login?user=after"), null).body();
        assertThat(jvm2.session(id).getSession().getAttribute("userid")).isEqualTo("after");
    }

    @Test
    void aJoiningNodeAsksAgainUntilThePeersContextIsUp() throws Exception {
        String members = FreePorts.retryOnLostPort(started -> {
            int port = FreePorts.on(A, B);
            String both = "jvm1=" + A + ":" + port + ",jvm2=" + B + ":" + port;
            jvm1 = started.add(TestNode.start("jvm1", A, c -> c.setMembers(both)));
            return both;
        });
        TestNode joining = TestNode.create("jvm2", B, c -> c.setMembers(members));
        Context late = addLateContext(joining.tomcat);

        try (LogCapture log = LogCapture.juli(RouteManager.class, Level.INFO)) {
            // jvm2's /late asks jvm1, which has no /late yet: jvm2 must keep asking, not start empty.
            CompletableFuture<Void> start = CompletableFuture.runAsync(() -> {
                try {
                    joining.tomcat.start();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            jvm2 = joining;
            await().atMost(Duration.ofSeconds(20)).until(() -> log.messages().stream()
                    .anyMatch(m -> m.contains("context is not up yet")));
            assertThat(start).isNotDone();

            Context lateOnJvm1 = addLateContext(jvm1.tomcat);
            Session session = lateOnJvm1.getManager().createSession(null);
            session.getSession().setAttribute("userid", "late");
            start.get();

            assertThat(late.getManager().findSession(session.getIdInternal())).isNotNull();
            assertThat(log.messages()).noneMatch(m -> m.contains("NO SESSION STATE"));
        }
    }

    /** A distributable context /late; distributable before it is added, as a started host starts it at once. */
    private static Context addLateContext(Tomcat tomcat) {
        StandardContext context = new StandardContext();
        context.setName("/late");
        context.setPath("/late");
        context.setDistributable(true);
        context.addLifecycleListener(new Tomcat.FixContextListener());
        tomcat.getHost().addChild(context);
        return context;
    }
}
