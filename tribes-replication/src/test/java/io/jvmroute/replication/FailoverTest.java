package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
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
        int port = TestNode.freePort(A, B, C);
        String members = "jvm1=" + A + ":" + port + ",jvm2=" + B + ":" + port + ",jvm3=" + C + ":" + port;
        TestNode jvm2 = start("jvm2", B, members);
        TestNode jvm3 = start("jvm3", C, members);
        ChildNode jvm1 = ChildNode.start("jvm1", A, members, "userid,sessionkey");
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
        int port = TestNode.freePort(A, B);
        String members = "jvm1=" + A + ":" + port + ",jvm2=" + B + ":" + port;
        TestNode jvm1 = start("jvm1", A, members);
        TestNode jvm2 = start("jvm2", B, members);
        await().atMost(Duration.ofSeconds(20)).until(() -> jvm1.cluster.getMembers().length == 1
                && jvm2.cluster.getMembers().length == 1);

        // 1. The protected page on jvm1 shows the login form and saves the request in the session's notes.
        HttpResponse<String> form = Http.get(jvm1.url("/secure/page"), null);
        assertThat(form.body()).isEqualTo("login form");
        String anonymous = Http.sessionCookie(form).orElseThrow();

        // 2. The credentials go to jvm1, which authenticates, rotates the id and redirects.
        HttpResponse<String> login = Http.postForm(jvm1.url("/j_security_check"), anonymous,
                "j_username=alice&j_password=secret");
        assertThat(login.statusCode()).isEqualTo(303);
        String authenticated = Http.sessionCookie(login).orElseThrow();
        assertThat(authenticated).isNotEqualTo(anonymous);

        // 3. jvm1 goes away; the redirect is followed on jvm2, which must know the login and the saved request.
        jvm1.close();
        nodes.remove(jvm1);
        HttpResponse<String> page = Http.get(jvm2.url("/secure/page"), authenticated);
        assertThat(page.statusCode()).isEqualTo(200);
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
