package io.jvmroute.balancer.routing;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What a worker did over the last minutes, in fixed time slots ({@link #SLOT_SECONDS} s each, the last
 * {@link #SLOTS}): requests started, requests failed, sticky requests (its own sessions) — what the status
 * page draws as small charts. Recording is two atomic operations and no allocation; memory is fixed.
 *
 * <p>A slot is reused when time comes round to it again: the first thread to notice claims it and zeroes
 * it. An increment racing with that claim may be lost or land in the new slot; for a chart of rates that is
 * noise, and it keeps the request path free of locks. Counts here are not reset by the admin "reset" (they
 * age out by themselves).
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

    /** The slot number (time / slot length) each position holds now. */
    private final AtomicLongArray epochs = new AtomicLongArray(SLOTS);
    private final AtomicLongArray counts = new AtomicLongArray(SLOTS * KINDS);

    public RecentActivity() {
        for (int i = 0; i < SLOTS; i++) {
            epochs.set(i, Long.MIN_VALUE); // nanoTime may be negative: no real slot number is this low
        }
    }

    /** Counts one event of {@code kind} at {@code nanoTime} ({@link System#nanoTime()}). */
    public void record(int kind, long nanoTime) {
        long epoch = Math.floorDiv(nanoTime, SLOT_NANOS);
        int slot = (int) Math.floorMod(epoch, SLOTS);
        long held = epochs.get(slot);
        if (held != epoch && held < epoch && epochs.compareAndSet(slot, held, epoch)) {
            for (int k = 0; k < KINDS; k++) {
                counts.set(slot * KINDS + k, 0);
            }
        }
        counts.incrementAndGet(slot * KINDS + kind);
    }

    /**
     * The counts of {@code kind} in the {@link #SLOTS} slots before the current one, oldest first (the
     * current slot is still filling, so a chart would show it as a dip).
     */
    public long[] completedSlots(int kind, long nanoTime) {
        long current = Math.floorDiv(nanoTime, SLOT_NANOS);
        long[] out = new long[SLOTS];
        for (int i = 0; i < SLOTS; i++) {
            long epoch = current - SLOTS + i;
            int slot = (int) Math.floorMod(epoch, SLOTS);
            out[i] = epochs.get(slot) == epoch ? counts.get(slot * KINDS + kind) : 0;
        }
        return out;
    }
}
