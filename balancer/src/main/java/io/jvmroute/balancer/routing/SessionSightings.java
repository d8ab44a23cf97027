package io.jvmroute.balancer.routing;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How many different sessions asked for a worker recently, per minute: the sessions pointing at a node,
 * which is what an operator watches while it drains. Each minute has a bitmap of {@link #BITS} bits; a
 * session id sets the bit of its hash, and the count is estimated from the bits still clear (linear
 * counting: within a few percent while the bitmap is less than about 90 % full, i.e. up to ~9 000
 * sessions a minute; above that {@link #estimate} says "at least"). Minutes are a {@link SlotRing}. Recording
 * is a read and, the first time
 * a session is seen in a minute, one CAS; nothing is allocated and no session id is kept.
 */
public final class SessionSightings {

    /** Bits per minute. */
    public static final int BITS = 4096;
    /** Minutes kept (the current one and the four before it). */
    public static final int MINUTES = 5;
    private static final int WORDS = BITS / 64;
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final SlotRing ring = new SlotRing(MINUTE_NANOS, MINUTES);
    private final AtomicLongArray bits = new AtomicLongArray(MINUTES * WORDS);

    /** A request for this worker's route carried the session id whose base (before the '.') hashes to {@code hash}. */
    public void seen(int hash, long nanoTime) {
        long period = ring.period(nanoTime);
        int minute = ring.position(period);
        if (ring.claim(period)) {
            for (int w = 0; w < WORDS; w++) {
                bits.set(minute * WORDS + w, 0);
            }
        }
        int bit = mix(hash) & (BITS - 1);
        int index = minute * WORDS + (bit >>> 6);
        long mask = 1L << (bit & 63);
        long word = bits.get(index);
        if ((word & mask) == 0) {
            bits.getAndUpdate(index, v -> v | mask);
        }
    }

    /** Different sessions seen in the minute {@code minutesAgo} before the current one (0 = the current minute). */
    public Estimate minute(int minutesAgo, long nanoTime) {
        long period = ring.period(nanoTime) - minutesAgo;
        if (minutesAgo < 0 || minutesAgo >= MINUTES || !ring.holds(period)) {
            return new Estimate(0, false);
        }
        int minute = ring.position(period);
        long[] words = new long[WORDS];
        for (int w = 0; w < WORDS; w++) {
            words[w] = bits.get(minute * WORDS + w);
        }
        return estimate(words);
    }

    /** Different sessions seen in all the minutes kept (the union of their bitmaps). */
    public Estimate lastMinutes(long nanoTime) {
        long current = ring.period(nanoTime);
        long[] words = new long[WORDS];
        for (int m = 0; m < MINUTES; m++) {
            int minute = ring.position(current - m);
            if (ring.holds(current - m)) {
                for (int w = 0; w < WORDS; w++) {
                    words[w] |= bits.get(minute * WORDS + w);
                }
            }
        }
        return estimate(words);
    }

    /**
     * @param sessions the estimate
     * @param atLeast  true when the bitmap was too full to count: there were at least this many
     */
    public record Estimate(long sessions, boolean atLeast) {
    }

    static Estimate estimate(long[] words) {
        int set = 0;
        for (long w : words) {
            set += Long.bitCount(w);
        }
        int clear = BITS - set;
        if (clear <= BITS / 10) {
            return new Estimate(Math.round(BITS * Math.log(BITS / (double) Math.max(clear, BITS / 10))), true);
        }
        return new Estimate(Math.round(BITS * Math.log(BITS / (double) clear)), false);
    }

    /** Spreads String-style hashes, whose low bits are poor for ids differing only at the end. */
    private static int mix(int h) {
        int x = h * 0x9E3779B9;
        return x ^ (x >>> 16);
    }
}
