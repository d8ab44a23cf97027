package io.jvmroute.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteIndexTest {

    @Test
    void findsEachRouteByARegionOfLargerText() {
        RouteIndex index = RouteIndex.of(List.of("jvm1", "jvm2", "dc1.n7"));
        String text = "xxjvm2yy";

        assertThat(index.indexOf(text, 2, 6)).isEqualTo(1);
        assertThat(index.indexOf("dc1.n7")).isEqualTo(2);
        assertThat(index.indexOf("jvm")).isEqualTo(RouteIndex.ABSENT);
        assertThat(index.indexOf("JVM1")).isEqualTo(RouteIndex.ABSENT);
        assertThat(index.indexOf("")).isEqualTo(RouteIndex.ABSENT);
    }

    @Test
    void holdsManyRoutesWithoutLosingAny() {
        List<String> routes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            routes.add("n" + i);
        }
        RouteIndex index = RouteIndex.of(routes);

        for (int i = 0; i < routes.size(); i++) {
            assertThat(index.indexOf(routes.get(i))).isEqualTo(i);
        }
        assertThat(index.indexOf("n1000")).isEqualTo(RouteIndex.ABSENT);
    }

    @Test
    void anEmptyIndexFindsNothing() {
        assertThat(RouteIndex.of(List.of()).indexOf("jvm1")).isEqualTo(RouteIndex.ABSENT);
    }

    @Test
    void duplicateRoutesAreAConfigurationError() {
        assertThatIllegalArgumentException().isThrownBy(() -> RouteIndex.of(List.of("jvm1", "jvm2", "jvm1")))
                .withMessage("routes: jvm1 appears twice (expected: unique routes)");
    }
}
