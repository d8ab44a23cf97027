package io.jvmroute.balancer.routing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecentActivityTest {

    private static final long SLOT = RecentActivity.SLOT_SECONDS * 1_000_000_000L;
    private static final long T0 = -7 * SLOT + 123; // nanoTime may be negative

    @Test
    void countsLandInTheirSlotAndShowOnceTheSlotIsComplete() {
        RecentActivity a = new RecentActivity();
        a.record(RecentActivity.REQUESTS, T0);
        a.record(RecentActivity.REQUESTS, T0 + 1);
        a.record(RecentActivity.ERRORS, T0 + 2);

        assertThat(a.completedSlots(RecentActivity.REQUESTS, T0)).containsOnly(0L);
        long[] later = a.completedSlots(RecentActivity.REQUESTS, T0 + SLOT);
        assertThat(later).hasSize(RecentActivity.SLOTS);
        assertThat(later[RecentActivity.SLOTS - 1]).isEqualTo(2);
        assertThat(a.completedSlots(RecentActivity.ERRORS, T0 + SLOT)[RecentActivity.SLOTS - 1]).isEqualTo(1);
        assertThat(a.completedSlots(RecentActivity.REQUESTS, T0 + 3 * SLOT)[RecentActivity.SLOTS - 3]).isEqualTo(2);
    }

    @Test
    void aSlotComingRoundAgainStartsFromZeroAndOldCountsAgeOut() {
        RecentActivity a = new RecentActivity();
        a.record(RecentActivity.STICKY, T0);
        long roundAgain = T0 + RecentActivity.SLOTS * SLOT;
        a.record(RecentActivity.STICKY, roundAgain);

        assertThat(a.completedSlots(RecentActivity.STICKY, roundAgain + SLOT)).containsOnly(0L, 1L)
                .matches(s -> java.util.Arrays.stream(s).sum() == 1);
        assertThat(a.completedSlots(RecentActivity.STICKY, roundAgain + (RecentActivity.SLOTS + 1) * SLOT)).containsOnly(0L);
    }
}
