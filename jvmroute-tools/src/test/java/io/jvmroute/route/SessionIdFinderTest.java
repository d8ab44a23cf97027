package io.jvmroute.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SessionIdFinderTest {

    private static final RouteIndex WORKERS = RouteIndex.of(List.of("jvm1", "jvm2", "dc1.n7"));
    private final SessionIdFinder finder = SessionIdFinder.DEFAULT;

    /** Which worker (by route) a request sticks to; "-" for none. Cookie headers are separated by " ~~ "; none if empty. */
    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource(delimiter = '|', emptyValue = "", quoteCharacter = '\'', textBlock = """
            /app/                              | JSESSIONID=ABC.jvm1                                      | jvm1
            /app/                              | a=1; b=2; JSESSIONID=ABC.jvm2; c=3                       | jvm2
            /app/;jsessionid=ABC.jvm2          | JSESSIONID=ABC.jvm1                                      | jvm2
            /app/x;jsessionid=ABC.jvm2?q=1     |                                                          | jvm2
            /app/x;jsessionid=ABC.jvm2/y       |                                                          | jvm2
            /app/x;foo=1;jsessionid=ABC.jvm2;b |                                                          | jvm2
            /app/x?;jsessionid=ABC.jvm2        |                                                          | -
            /app/x#;jsessionid=ABC.jvm2        |                                                          | -
            /app/x;JSESSIONID=ABC.jvm2         |                                                          | -
            /app/x;jsessionid=ABC.jvm9         | JSESSIONID=ABC.jvm1                                      | jvm1
            /app/x;jsessionid=                 | JSESSIONID=ABC.jvm1                                      | jvm1
            /app/x;jsessionid                  | JSESSIONID=ABC.jvm1                                      | jvm1
            /app/                              | JSESSIONID=OLD.gone; JSESSIONID=NEW.jvm2                 | jvm2
            /app/                              | JSESSIONID=OLD.gone ~~ x=1; JSESSIONID=NEW.jvm1          | jvm1
            /app/                              | JSESSIONID="ABC.jvm1"                                    | jvm1
            /app/                              | JSESSIONID = ABC.jvm2 ;                                  | jvm2
            /app/                              | JSESSIONID="ABC.jvm1                                     | -
            /app/                              | JSESSIONID=ABC.dc1.n7                                    | dc1.n7
            /app/                              | jsessionid=ABC.jvm1                                      | -
            /app/                              | XJSESSIONID=ABC.jvm1; JSESSIONIDX=ABC.jvm2               | -
            /app/                              | JSESSIONID=ABC                                           | -
            /app/                              | JSESSIONID=ABC.; JSESSIONID=ABC..jvm1; JSESSIONID=.jvm1  | -
            /app/                              | JSESSIONID=AB C.jvm1; JSESSIONID=ABC.jvm2                | jvm2
            /app/                              | JSESSIONID; JSESSIONID=ABC.jvm2                          | jvm2
            /app/                              | ;;; ; =; =x; JSESSIONID=ABC.jvm1                         | jvm1
            /app/                              | JSESSIONID=ABC.jvm1,JSESSIONID=ABC.jvm2                  | -
            /app/                              |                                                          | -
            """)
    void followsModJkCandidateOrder(String uri, String cookies, String expectedRoute) {
        List<String> headers = cookies == null ? List.of() : Arrays.asList(cookies.split(" ~~ "));

        int worker = finder.findRoute(uri, headers, WORKERS);

        assertThat(worker == SessionIdFinder.NOT_FOUND ? "-" : WORKERS.routes().get(worker)).isEqualTo(expectedRoute);
    }

    @Test
    void cookieAndPathParameterNamesAreConfigurableAsModJkWritesThem() {
        SessionIdFinder custom = new SessionIdFinder("MGMTSESSION", ";mgmtsession");

        assertThat(custom.findRoute("/", List.of("JSESSIONID=A.jvm1; MGMTSESSION=B.jvm2"), WORKERS)).isEqualTo(1);
        assertThat(custom.findRoute("/x;mgmtsession=A.jvm1", List.of(), WORKERS)).isEqualTo(0);
        assertThat(custom.findRoute("/x;jsessionid=A.jvm1", List.of(), WORKERS)).isEqualTo(SessionIdFinder.NOT_FOUND);
        assertThat(custom.pathParameterName()).isEqualTo("mgmtsession");
    }

    @Test
    void badNamesAreRejectedWhenConfigured() {
        assertThatIllegalArgumentException().isThrownBy(() -> new SessionIdFinder("", "jsessionid")).withMessageContaining("cookieName");
        assertThatIllegalArgumentException().isThrownBy(() -> new SessionIdFinder("JSESSION ID", "jsessionid")).withMessageContaining("JSESSION ID");
        assertThatIllegalArgumentException().isThrownBy(() -> new SessionIdFinder("JSESSIONID", "a=b")).withMessageContaining("pathParameterName");
    }

    @Test
    void aResolverSeesEachRouteInOrderAndCanFallBackToTheDomain() {
        List<String> seen = new ArrayList<>();
        RouteIndex domains = RouteIndex.of(List.of("dc1", "dc2"));
        RouteResolver byDomain = (text, start, end) -> {
            seen.add(text.subSequence(start, end).toString());
            int dot = start;
            while (dot < end && text.charAt(dot) != '.') {
                dot++;
            }
            return domains.indexOf(text, start, dot);
        };

        int domain = finder.resolve("/;jsessionid=A.x9", List.of("JSESSIONID=B.dc3.n1; JSESSIONID=C.dc2.n5"), byDomain);

        assertThat(seen).containsExactly("x9", "dc3.n1", "dc2.n5");
        assertThat(domain).isEqualTo(1);
    }

    @Test
    void requestedIdIsTheFirstUsableCandidateWithOrWithoutRoute() {
        assertThat(finder.requestedId("/;jsessionid=", List.of("JSESSIONID=bad id; JSESSIONID=ABC"))).contains(SessionId.of("ABC", ""));
        assertThat(finder.requestedId("/;jsessionid=P.jvm2", List.of("JSESSIONID=C.jvm1"))).contains(SessionId.of("P", "jvm2"));
        assertThat(finder.requestedId(null, null)).isEmpty();
        assertThat(finder.requestedId("/", Arrays.asList(null, "JSESSIONID=X.jvm1"))).contains(SessionId.of("X", "jvm1"));
    }

    @Test
    void candidatesShowAnOperatorEveryIdAndWhyItIsUnusable() {
        List<ParsedId> all = finder.candidates("/a;jsessionid=P.", List.of("JSESSIONID=\"Q.jvm1\"; JSESSIONID=R..x"));

        assertThat(all).containsExactly(
                new ParsedId.Unusable(IdProblem.EMPTY_ROUTE),
                new ParsedId.Usable(SessionId.of("Q", "jvm1")),
                new ParsedId.Unusable(IdProblem.EMPTY_ROUTE_SEGMENT));
    }

    @Test
    void candidatesAreCappedSoAHostileHeaderCannotBuildAHugeList() {
        String header = "JSESSIONID=A.x; ".repeat(5000);

        assertThat(finder.candidates("/", List.of(header))).hasSize(64);
    }

    @Test
    void thousandsOfCookiesInA64KiBHeaderAreScannedToTheLastOne() {
        StringBuilder header = new StringBuilder();
        while (header.length() < 64 * 1024 - 40) {
            header.append("JSESSIONID=GONE").append(header.length()).append(".jvm9; ");
        }
        header.append("JSESSIONID=LAST.jvm2");

        assertThat(finder.findRoute("/", List.of(header), WORKERS)).isEqualTo(1);
        assertThat(finder.requestedId("/", List.of(header)).orElseThrow().base()).startsWith("GONE");
    }

    @Test
    void a64KiBValueIsNotAnId() {
        String header = "JSESSIONID=" + "A".repeat(64 * 1024) + ".jvm1";

        assertThat(finder.findRoute("/", List.of(header), WORKERS)).isEqualTo(SessionIdFinder.NOT_FOUND);
        assertThat(finder.candidates("/", List.of(header))).containsExactly(new ParsedId.Unusable(IdProblem.TOO_LONG));
    }

    @Test
    void routesFromStringBuildersAndOtherCharSequencesWorkToo() {
        StringBuilder header = new StringBuilder("JSESSIONID=ABC.jvm2");

        assertThat(finder.resolveInCookieHeader(header, WORKERS)).isEqualTo(1);
        assertThat(finder.resolveInCookieHeader(null, WORKERS)).isEqualTo(SessionIdFinder.NOT_FOUND);
        assertThat(finder.resolveInPath(null, WORKERS)).isEqualTo(SessionIdFinder.NOT_FOUND);
    }
}
