package io.jvmroute.valve;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmroute.testsupport.FormLogin;
import io.jvmroute.testsupport.Http;
import org.apache.catalina.authenticator.Constants;
import org.junit.jupiter.api.Test;

/** A FORM login begun on a node that then dies completes on the node that takes the session over. */
class FormLoginClusterTest {

    @Test
    void aFormLoginStartedBeforeAFailoverCompletesAfterIt() throws Exception {
        try (TestCluster cluster = TestCluster.start(2)) {
            Http.Reply form = Http.get(cluster.node(1).baseUrl() + "/secure/page", null);
            assertThat(form.body()).isEqualTo(FormLogin.LOGIN_PAGE);
            String loginId = form.newId();
            assertThat(loginId).endsWith(".n1");
            // FormAuthenticator noted the id it expects j_security_check to come with; the note replicates.
            cluster.awaitSession(loginId, session -> loginId.equals(session.getNote(Constants.SESSION_ID_NOTE)), 2);
            cluster.kill(1);
            ClusterNode node2 = cluster.node(2);

            Http.Reply login = Http.postForm(node2.baseUrl() + "/j_security_check", loginId,
                    FormLogin.credentials());

            assertThat(login.status()).as(login.body()).isBetween(300, 399);
            assertThat(login.location()).endsWith("/app/secure/page");
            assertThat(login.newId()).endsWith(".n2");
            assertThat(node2.valve.getRenames()).isEqualTo(1);
            Http.Reply page = Http.get(node2.baseUrl() + "/secure/page", login.newId());
            assertThat(page.body()).isEqualTo("SECRET remoteUser=" + TestApp.USER);
        }
    }
}
