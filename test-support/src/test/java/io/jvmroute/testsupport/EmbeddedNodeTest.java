package io.jvmroute.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmbeddedNodeTest {

    @Test
    void aProtectedPageAsksForTheFormAndShowsTheUserAfterTheLogin() throws Exception {
        try (EmbeddedNode node = EmbeddedNode.builder("t1", "127.0.0.83").start()) {
            Http.Reply form = Http.get(node.url("/secure/page"), null);
            assertThat(form.body()).isEqualTo(FormLogin.LOGIN_PAGE);

            Http.Reply login = Http.postForm(node.url("/j_security_check"), form.requireNewId(),
                    FormLogin.credentials());
            assertThat(login.status()).isEqualTo(303);
            assertThat(login.location()).endsWith("/app/secure/page");

            Http.Reply page = Http.get(node.url("/secure/page"), login.requireNewId());
            assertThat(page.body()).isEqualTo("SECRET remoteUser=" + FormLogin.USER);
            assertThat(login.newId()).as("the Engine's jvmRoute in the id").endsWith(".t1");
        }
    }

    @Test
    void aWrongPasswordGetsTheErrorPage() throws Exception {
        try (EmbeddedNode node = EmbeddedNode.builder("t2", "127.0.0.84").start()) {
            String id = Http.get(node.url("/secure/page"), null).requireNewId();

            Http.Reply refused = Http.postForm(node.url("/j_security_check"), id,
                    "j_username=" + FormLogin.USER + "&j_password=wrong");

            assertThat(refused.body()).isEqualTo(FormLogin.ERROR_PAGE);
        }
    }
}
