package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvmroute.testsupport.FormLogin;
import io.jvmroute.testsupport.FreePorts;
import io.jvmroute.testsupport.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A user who logged in on a node that then dies is still logged in on the others. */
class FailoverTest {

    private static final String A = "127.0.0.11";
    private static final String B = "127.0.0.12";
    private static final String C = "127.0.0.13";

    private final List<AutoCloseable> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() throws Exception {
        for (AutoCloseable node : nodes) {
            node.close();
        }
    }

    @Test
    void aLoginSurvivesItsNodeBeingKilledRightAfterTheResponse() throws Exception {
        List<AutoCloseable> three = FreePorts.retryOnLostPort(started -> {
            int port = FreePorts.on(A, B, C);
            String members = "jvm1=" + A + ":" + port + ",jvm2=" + B + ":" + port + ",jvm3=" + C + ":" + port;
            return List.of(started.add(start("jvm2", B, members)), started.add(start("jvm3", C, members)),
                    started.add(ChildNode.start("jvm1", A, members, "userid,sessionkey")));
        });
        TestNode jvm2 = (TestNode) three.get(0);
        TestNode jvm3 = (TestNode) three.get(1);
        ChildNode jvm1 = (ChildNode) three.get(2);
        nodes.add(jvm1);
        await().atMost(Duration.ofSeconds(20)).until(() -> jvm2.cluster.getMembers().length == 2
                && jvm3.cluster.getMembers().length == 2);

        String id = Http.get(jvm1.url("/login?user=alice"), null).body();
        jvm1.kill();

        assertThat(id).endsWith(".jvm1");
        assertThat(Http.get(jvm2.url("/whoami"), id).body()).startsWith("userid=alice");
        assertThat(Http.get(jvm3.url("/whoami"), id).body()).startsWith("userid=alice");
    }

    @Test
    void aContainerFormLoginSurvivesFailoverEvenMidLogin() throws Exception {
        List<TestNode> pair = FreePorts.retryOnLostPort(started -> {
            int port = FreePorts.on(A, B);
            String members = "jvm1=" + A + ":" + port + ",jvm2=" + B + ":" + port;
            return List.of(started.add(start("jvm1", A, members)), started.add(start("jvm2", B, members)));
        });
        TestNode jvm1 = pair.get(0);
        TestNode jvm2 = pair.get(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> jvm1.cluster.getMembers().length == 1
                && jvm2.cluster.getMembers().length == 1);

        // 1. The protected page on jvm1 shows the login form and saves the request in the session's notes.
        Http.Reply form = Http.get(jvm1.url("/secure/page"), null);
        assertThat(form.body()).isEqualTo(FormLogin.LOGIN_PAGE);
        String anonymous = form.requireNewId();

        // 2. The credentials go to jvm1, which authenticates, rotates the id and redirects.
        Http.Reply login = Http.postForm(jvm1.url("/j_security_check"), anonymous,
                FormLogin.credentials());
        assertThat(login.status()).isEqualTo(303);
        String authenticated = login.requireNewId();
        assertThat(authenticated).isNotEqualTo(anonymous);

        // 3. jvm1 goes away; the redirect is followed on jvm2, which must know the login and the saved request.
        jvm1.close();
        nodes.remove(jvm1);
        Http.Reply page = Http.get(jvm2.url("/secure/page"), authenticated);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("remoteUser=alice");
        assertThat(Http.get(jvm2.url("/secure/page"), authenticated).body()).contains("remoteUser=alice");
    }

    private TestNode start(String route, String host, String members) throws Exception {
        TestNode node = TestNode.start(route, host, c -> {
            c.setMembers(members);
            c.setLoginAttributes("userid,sessionkey");
            c.setLanes("4"); // the rotated id of a FORM login mostly hashes to another lane than the anonymous one
        });
        nodes.add(node);
        return node;
    }
}
