package io.jvmroute.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class SessionIdPropertyTest {

    private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

    @Provide
    Arbitrary<String> bases() {
        return Arbitraries.strings().withChars(ID_CHARS.toCharArray()).ofMinLength(1).ofMaxLength(64);
    }

    @Provide
    Arbitrary<String> routes() {
        return Arbitraries.strings().withChars(ID_CHARS.toCharArray()).ofMinLength(1).ofMaxLength(12)
                .list().ofMinSize(1).ofMaxSize(4).map(segments -> String.join(".", segments));
    }

    @Property
    void parseAfterFormatIsTheIdentity(@ForAll("bases") String base, @ForAll("routes") String route) {
        SessionId formatted = SessionId.of(base, route);

        SessionId parsed = SessionId.parse(formatted.toString()).id().orElseThrow();

        assertThat(parsed).isEqualTo(formatted);
        assertThat(parsed.base()).isEqualTo(base);
        assertThat(parsed.route()).isEqualTo(route);
        assertThat(parsed.domain()).isEqualTo(route.split("\\.")[0]);
    }

    @Property
    void failoverChangesOnlyTheRoute(@ForAll("bases") String base, @ForAll("routes") String from, @ForAll("routes") String to) {
        SessionId moved = SessionId.of(base, from).withRoute(to);

        assertThat(moved.base()).isEqualTo(base);
        assertThat(moved.route()).isEqualTo(to);
    }

    @Property
    void anyTextParsesWithoutThrowingAndUsableIdsRoundTrip(@ForAll @Size(max = 300) String text) {
        ParsedId parsed = SessionId.parse(text);

        parsed.id().ifPresent(id -> assertThat(id.toString()).isEqualTo(text));
    }

    @Property
    void anyCookieHeaderAndUriAreScannedWithoutThrowing(@ForAll @Size(max = 500) String header, @ForAll @Size(max = 200) String uri) {
        RouteIndex workers = RouteIndex.of(List.of("jvm1", "jvm2"));

        int worker = SessionIdFinder.DEFAULT.findRoute(uri, List.of(header), workers);

        assertThat(worker).isBetween(SessionIdFinder.NOT_FOUND, 1);
        SessionIdFinder.DEFAULT.requestedId(uri, List.of(header));
        assertThat(SessionIdFinder.DEFAULT.candidates(uri, List.of(header))).hasSizeLessThanOrEqualTo(64);
    }

    @Property
    void theSessionCookieIsFoundAmongAnyOtherCookies(@ForAll("bases") String base,
                                                     @ForAll("otherCookies") List<String> before,
                                                     @ForAll("otherCookies") List<String> after) {
        String header = String.join("; ", before) + (before.isEmpty() ? "" : "; ") + "JSESSIONID=" + base + ".jvm2"
                + (after.isEmpty() ? "" : "; ") + String.join("; ", after);

        assertThat(SessionIdFinder.DEFAULT.findRoute("/", List.of(header), RouteIndex.of(List.of("jvm1", "jvm2"))))
                .isEqualTo(1);
    }

    @Provide
    Arbitrary<List<String>> otherCookies() {
        Arbitrary<String> names = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10)
                .filter(n -> !n.equals("JSESSIONID"));
        Arbitrary<String> values = Arbitraries.strings().ascii().ofMaxLength(20)
                .map(v -> v.replace(";", "").replace("\"", ""));
        return names.flatMap(n -> values.map(v -> n + "=" + v)).list().ofMaxSize(8);
    }
}
