package io.jvmroute.balancer.routing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SessionSightingsTest {

    private static final long MINUTE = 60_000_000_000L;
    private static final long T0 = 1000 * MINUTE + 5;

    private static int hash(String id) {
        return id.hashCode();
    }

    @Test
    void differentSessionsAreCountedOnceEachWithinAFewPercent() {
        SessionSightings s = new SessionSightings();
        for (int repeat = 0; repeat < 3; repeat++) {
            for (int i = 0; i < 1000; i++) {
                s.seen(hash("0123456789ABCDEF" + i), T0 + i);
            }
        }

        SessionSightings.Estimate e = s.minute(0, T0);
        assertThat(e.atLeast()).isFalse();
        assertThat((double) e.sessions()).isCloseTo(1000, within(50.0));
    }

    @Test
    void minutesAreKeptApartAndTheWindowCountsASessionSeenInSeveralOnlyOnce() {
        SessionSightings s = new SessionSightings();
        for (int i = 0; i < 100; i++) {
            s.seen(hash("A" + i), T0);
        }
        for (int i = 50; i < 60; i++) {
            s.seen(hash("A" + i), T0 + MINUTE);
        }

        assertThat(s.minute(1, T0 + MINUTE).sessions()).isBetween(95L, 105L);
        assertThat(s.minute(0, T0 + MINUTE).sessions()).isBetween(9L, 11L);
        assertThat(s.lastMinutes(T0 + MINUTE).sessions()).isBetween(95L, 105L);
        assertThat(s.lastMinutes(T0 + 6 * MINUTE).sessions()).as("aged out").isZero();
    }

    @Test
    void tooManyToCountIsSaidAsALowerBound() {
        SessionSightings s = new SessionSightings();
        for (int i = 0; i < 50_000; i++) {
            s.seen(hash("S" + i), T0);
        }

        SessionSightings.Estimate e = s.minute(0, T0);
        assertThat(e.atLeast()).isTrue();
        assertThat(e.sessions()).isGreaterThan(8000);
    }
}
