package io.jvmroute.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SessionIdTest {

    // An empty (unquoted) column is null in @CsvSource: no route, no domain.
    @ParameterizedTest(name = "{0} has base {1}, route [{2}], domain [{3}]")
    @CsvSource(delimiter = '|', textBlock = """
            4F2A9C1B7D3E5F608192A3B4C5D6E7F8.jvm1 | 4F2A9C1B7D3E5F608192A3B4C5D6E7F8 | jvm1   | jvm1
            ABC.dc1.n7                            | ABC                              | dc1.n7 | dc1
            ABC.a.b.c                             | ABC                              | a.b.c  | a
            ABC                                   | ABC                              |        |
            node0abc_-9.jvm-2_x                   | node0abc_-9                      | jvm-2_x| jvm-2_x
            """)
    void theRouteIsEverythingAfterTheFirstDotAndItsDomainIsItsFirstPart(String text, String base, String route, String domain) {
        route = route == null ? "" : route;
        domain = domain == null ? "" : domain;
        SessionId id = SessionId.parse(text).id().orElseThrow();

        assertThat(id.base()).isEqualTo(base);
        assertThat(id.route()).isEqualTo(route);
        assertThat(id.hasRoute()).isEqualTo(!route.isEmpty());
        assertThat(id.domain()).isEqualTo(domain);
        assertThat(id.toString()).isEqualTo(text);
    }

    @ParameterizedTest(name = "[{0}] is unusable: {1}")
    @CsvSource(delimiter = '|', emptyValue = "", textBlock = """
                            | EMPTY
            ABC.            | EMPTY_ROUTE
            .jvm1           | EMPTY_BASE
            .               | EMPTY_BASE
            ABC..jvm1       | EMPTY_ROUTE_SEGMENT
            ABC.dc1.        | EMPTY_ROUTE_SEGMENT
            ABC.dc1..n7     | EMPTY_ROUTE_SEGMENT
            AB C.jvm1       | ILLEGAL_CHARACTER
            ABC.jvm1;x=1    | ILLEGAL_CHARACTER
            "ABC.jvm1"      | ILLEGAL_CHARACTER
            ÄBC.jvm1        | ILLEGAL_CHARACTER
            ABC.jvm💥1       | ILLEGAL_CHARACTER
            ABC/../x.jvm1   | ILLEGAL_CHARACTER
            """)
    void malformedIdsAreUnusableWithTheirReason(String text, IdProblem expected) {
        ParsedId parsed = SessionId.parse(text);

        assertThat(parsed.isUsable()).isFalse();
        assertThat(parsed.id()).isEmpty();
        assertThat(parsed).isEqualTo(new ParsedId.Unusable(expected));
    }

    @Test
    void controlCharactersAreRefusedNotPassedOn() {
        for (char c = 0; c < 0x20; c++) {
            assertThat(SessionId.parse("ABC.jvm" + c + "1")).isEqualTo(new ParsedId.Unusable(IdProblem.ILLEGAL_CHARACTER));
        }
        assertThat(SessionId.parse("ABC.jvm1\u007f").isUsable()).isFalse();
    }

    @Test
    void idsLongerThan256CharactersAreRefused() {
        String longest = "A".repeat(251) + ".jvm1";
        assertThat(longest).hasSize(256);

        assertThat(SessionId.parse(longest).isUsable()).isTrue();
        assertThat(SessionId.parse("A" + longest)).isEqualTo(new ParsedId.Unusable(IdProblem.TOO_LONG));
        assertThat(SessionId.parse("A".repeat(1 << 20))).isEqualTo(new ParsedId.Unusable(IdProblem.TOO_LONG));
    }

    @Test
    void nullIsNoIdRatherThanAnException() {
        assertThat(SessionId.parse(null)).isEqualTo(new ParsedId.Unusable(IdProblem.EMPTY));
    }

    @Test
    void parsingARegionReadsOnlyThatRegion() {
        String header = "a=1; JSESSIONID=ABC.jvm2; b=2";

        SessionId id = SessionId.parse(header, 16, 24).id().orElseThrow();

        assertThat(id).isEqualTo(SessionId.of("ABC", "jvm2"));
    }

    @Test
    void failoverKeepsTheBaseAndTakesTheNewRoute() {
        SessionId id = SessionId.of("4F2A9C", "jvm2");

        SessionId failedOver = id.withRoute("jvm1");

        assertThat(failedOver.toString()).isEqualTo("4F2A9C.jvm1");
        assertThat(failedOver.base()).isEqualTo(id.base());
        assertThat(failedOver.hasRoute("jvm1")).isTrue();
        assertThat(id.withoutRoute().toString()).isEqualTo("4F2A9C");
        assertThat(id.withRoute("dc2.n1").domain()).isEqualTo("dc2");
    }

    @Test
    void formattingRejectsValuesThatWouldNotParseBack() {
        assertThatIllegalArgumentException().isThrownBy(() -> SessionId.of("AB.C", "jvm1")).withMessageContaining("base: AB.C");
        assertThatIllegalArgumentException().isThrownBy(() -> SessionId.of("ABC", "jvm 1")).withMessageContaining("ABC.jvm 1");
        assertThatIllegalArgumentException().isThrownBy(() -> SessionId.of("", "jvm1"));
        assertThatIllegalArgumentException().isThrownBy(() -> SessionId.of("ABC", "dc1..n7"));
        assertThatIllegalArgumentException().isThrownBy(() -> SessionId.of("A".repeat(300), "jvm1")).withMessageContaining("longer than 256");
        assertThat(SessionId.of("ABC", "")).isEqualTo(SessionId.parse("ABC").id().orElseThrow());
    }

    @ParameterizedTest(name = "route [{0}] -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", emptyValue = "", textBlock = """
            jvm1     | NULL
            dc1.n7   | NULL
                     | EMPTY_ROUTE
            NULL     | EMPTY_ROUTE
            .jvm1    | EMPTY_ROUTE_SEGMENT
            jvm1.    | EMPTY_ROUTE_SEGMENT
            jvm 1    | ILLEGAL_CHARACTER
            """)
    void operatorRoutesAreCheckedWithTheSameRules(String route, IdProblem expected) {
        assertThat(SessionId.checkRoute(route)).isEqualTo(expected);
    }

    @Test
    void idsAreEqualByTheirText() {
        assertThat(SessionId.parse("ABC.jvm1").id()).contains(SessionId.of("ABC", "jvm1"));
        assertThat(SessionId.of("ABC", "jvm1")).hasSameHashCodeAs(SessionId.of("ABC", "jvm1"));
        assertThat(SessionId.of("ABC", "jvm1")).isNotEqualTo(SessionId.of("ABC", "jvm2"));
    }
}
