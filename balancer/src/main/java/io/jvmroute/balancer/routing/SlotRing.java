package io.jvmroute.balancer.routing;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A ring of fixed time slots for counters that age out ({@link RecentActivity}, {@link SessionSightings}):
 * which slot a moment falls in, and which period each position holds now. A position is reused when time
 * comes round to it again; the first thread to notice {@link #claim}s it and the owner zeroes its data. An
 * update racing with that claim may be lost or land in the new period: noise for a chart, and no lock on the
 * request path.
 */
final class SlotRing {

    private final long slotNanos;
    private final int slots;
    /** The period (time / slot length) each position holds; nanoTime may be negative, so none starts held. */
    private final AtomicLongArray periods;

    SlotRing(long slotNanos, int slots) {
        this.slotNanos = slotNanos;
        this.slots = slots;
        this.periods = new AtomicLongArray(slots);
        for (int i = 0; i < slots; i++) {
            periods.set(i, Long.MIN_VALUE);
        }
    }

    /** The period of {@code nanoTime} ({@link System#nanoTime()}). */
    long period(long nanoTime) {
        return Math.floorDiv(nanoTime, slotNanos);
    }

    /** The position holding {@code period}. */
    int position(long period) {
        return (int) Math.floorMod(period, slots);
    }

    /** True for the one caller that moves the position of {@code period} on to it: it must zero the data. */
    boolean claim(long period) {
        int p = position(period);
        long held = periods.get(p);
        return held < period && periods.compareAndSet(p, held, period);
    }

    /** Whether the position of {@code period} holds that period (not an older one, nor nothing). */
    boolean holds(long period) {
        return periods.get(position(period)) == period;
    }
}
