package io.jvmroute.balancer.proxy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 16, item 15: no session id in the access log, the route kept. */
class SessionIdRedactionTest {

    @Test
    void thePathParametersIdGoesAndItsRouteStays() {
        assertThat(SessionIdRedaction.redact("/app/;jsessionid=4F2A9C.jvm1?x=1", "jsessionid")).isEqualTo("/app/;jsessionid=*.jvm1?x=1");
        assertThat(SessionIdRedaction.redact("/a;JSESSIONID=SECRET/b;v=1", "jsessionid")).isEqualTo("/a;JSESSIONID=*/b;v=1");
        assertThat(SessionIdRedaction.redact("/a;x=1;jsessionid=S.dc.n7#f", "jsessionid")).isEqualTo("/a;x=1;jsessionid=*.dc.n7#f");
        assertThat(SessionIdRedaction.redact("/a;jsessionid=A.r1;jsessionid=B", "jsessionid")).isEqualTo("/a;jsessionid=*.r1;jsessionid=*");
        assertThat(SessionIdRedaction.redact("/a;sid=S.r", "sid")).isEqualTo("/a;sid=*.r");
    }

    @Test
    void everythingElseIsUntouched() {
        for (String uri : new String[] {"/", "/a;b=c", "/a;jsessionidx=S", "/a;jsessionid", "/a?jsessionid=S.r", ";"}) {
            assertThat(SessionIdRedaction.redact(uri, "jsessionid")).isEqualTo(uri);
        }
    }
}
