package io.jvmroute.balancer.routing;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a worker did over the last minutes, in fixed time slots ({@link #SLOT_SECONDS} s each, the last
 * {@link #SLOTS}): requests started, requests failed, sticky requests (its own sessions) — what the status
 * page draws as small charts. Recording is a clock read, a volatile read and an adder increment, with no
 * allocation; memory is fixed.
 *
 * <p>Slots are reused as time comes round ({@link SlotRing}). Counts here are not reset by the admin
 * "reset" (they age out by themselves).
 */
public final class RecentActivity {

    /** Seconds per slot. */
    public static final int SLOT_SECONDS = 5;
    /** Slots kept: five minutes. */
    public static final int SLOTS = 60;
    /** What is counted, as an index. */
    public static final int REQUESTS = 0;
    public static final int ERRORS = 1;
    public static final int STICKY = 2;
    private static final int KINDS = 3;
    private static final long SLOT_NANOS = SLOT_SECONDS * 1_000_000_000L;

    private final SlotRing ring = new SlotRing(SLOT_NANOS, SLOTS);
    /** Adders rather than one atomic array: every event loop counts into the same slot at the same time. */
    private final LongAdder[] counts = new LongAdder[SLOTS * KINDS];

    public RecentActivity() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Counts one event of {@code kind} at {@code nanoTime} ({@link System#nanoTime()}). */
    public void record(int kind, long nanoTime) {
        long period = ring.period(nanoTime);
        int slot = ring.position(period);
        if (ring.claim(period)) {
            for (int k = 0; k < KINDS; k++) {
                counts[slot * KINDS + k].reset();
            }
        }
        counts[slot * KINDS + kind].increment();
    }

    /**
     * The counts of {@code kind} in the {@link #SLOTS} slots before the current one, oldest first (the
     * current slot is still filling, so a chart would show it as a dip).
     */
    public long[] completedSlots(int kind, long nanoTime) {
        long current = ring.period(nanoTime);
        long[] out = new long[SLOTS];
        for (int i = 0; i < SLOTS; i++) {
            long period = current - SLOTS + i;
            out[i] = ring.holds(period) ? counts[ring.position(period) * KINDS + kind].sum() : 0;
        }
        return out;
    }
}
