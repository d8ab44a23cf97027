package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvmroute.testsupport.FormLogin;
import io.jvmroute.testsupport.FreePorts;
import io.jvmroute.testsupport.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.catalina.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** replicate="login": exactly the sessions that logged in reach the peers, whole, at the moment of the login. */
class LoginOnlyTest {

    private static final String A = "127.0.0.11";
    private static final String B = "127.0.0.12";

    private TestNode jvm1;
    private TestNode jvm2;

    @BeforeEach
    void startCluster() throws Exception {
        FreePorts.retryOnLostPort(started -> {
            int port = FreePorts.on(A, B);
            String members = "jvm1=" + A + ":" + port + ",jvm2=" + B + ":" + port;
            jvm1 = started.add(TestNode.start("jvm1", A, c -> {
                c.setMembers(members);
                c.setLoginAttributes("userid");
                c.setReplicate("login");
            }));
            jvm2 = started.add(TestNode.start("jvm2", B, c -> {
                c.setMembers(members);
                c.setLoginAttributes("userid");
                c.setReplicate("login");
            }));
            return null;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> jvm1.cluster.getMembers().length == 1
                && jvm2.cluster.getMembers().length == 1);
    }

    @AfterEach
    void stopCluster() {
        jvm1.close();
        jvm2.close();
    }

    @Test
    void onlyLoggedInSessionsReachThePeerWithEverythingSetBeforeTheLogin() throws Exception {
        for (int i = 0; i < 20; i++) {
            String anonymous = Http.get(jvm1.url("/touch"), null).requireNewId();
            Http.get(jvm1.url("/touch"), anonymous);
        }
        List<String> loggedIn = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String id = Http.get(jvm1.url("/touch"), null).requireNewId();
            Http.get(jvm1.url("/touch"), id);
            assertThat(jvm2.session(id)).as("not logged in yet").isNull();
            Http.get(jvm1.url("/login?user=u" + i), id);

            Session copy = jvm2.session(id);
            assertThat(copy).as("logged-in session %s on jvm2", id).isNotNull();
            assertThat(copy.getSession().getAttribute("userid")).isEqualTo("u" + i);
            assertThat(copy.getSession().getAttribute("counter")).isEqualTo(2);
            assertThat(copy.getSession().getAttribute("payload")).isNotNull();
            loggedIn.add(id);
        }

        assertThat(jvm1.manager().findSessions()).hasSize(30);
        assertThat(Arrays.stream(jvm2.manager().findSessions()).map(Session::getIdInternal))
                .containsExactlyInAnyOrderElementsOf(loggedIn);

        // A restarted peer gets the same by state transfer: the logged-in sessions, not the anonymous ones.
        String members = jvm2.cluster.getMemberList();
        jvm2.close();
        jvm2 = TestNode.start("jvm2", B, c -> {
            c.setMembers(members);
            c.setLoginAttributes("userid");
            c.setReplicate("login");
        });
        assertThat(Arrays.stream(jvm2.manager().findSessions()).map(Session::getIdInternal))
                .containsExactlyInAnyOrderElementsOf(loggedIn);
        assertThat(jvm2.manager().getStateTransferAnnounced()).isEqualTo(loggedIn.size());
    }

    @Test
    void aFormLoginSendsTheSessionUnderItsRotatedId() {
        Http.Reply form = Http.get(jvm1.url("/secure/page"), null);
        String anonymous = form.requireNewId();
        Http.Reply login = Http.postForm(jvm1.url("/j_security_check"), anonymous,
                FormLogin.credentials());
        assertThat(login.status()).isEqualTo(303);
        String authenticated = login.requireNewId();

        assertThat(jvm2.manager().findSessions()).extracting(Session::getIdInternal).containsExactly(authenticated);
        Http.Reply page = Http.get(jvm2.url("/secure/page"), authenticated);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("remoteUser=alice");
    }
}
