package io.jvmroute.balancer.routing;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Response times in logarithmic buckets (each ~19% wide, from 0.1 ms to ~100 s), so p50/p99 cost a few
 * atomic increments per request and no memory growth. Percentiles are the upper bound of their bucket.
 */
public final class LatencyHistogram {

    private static final double BASE_MICROS = 100;
    private static final double GROWTH = 1.1892; // 2^(1/4): four buckets per doubling
    private static final int BUCKETS = 82;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    public void record(long nanos) {
        counts.incrementAndGet(bucket(nanos / 1000.0));
    }

    private static int bucket(double micros) {
        if (micros <= BASE_MICROS) {
            return 0;
        }
        int b = 1 + (int) (Math.log(micros / BASE_MICROS) / Math.log(GROWTH));
        return Math.min(b, BUCKETS - 1);
    }

    /** The upper bound in milliseconds of the bucket holding the {@code q} quantile, or 0 without data. */
    public double percentileMillis(double q) {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += counts.get(i);
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return BASE_MICROS * Math.pow(GROWTH, i) / 1000.0;
            }
        }
        return BASE_MICROS * Math.pow(GROWTH, BUCKETS - 1) / 1000.0;
    }

    public void reset() {
        for (int i = 0; i < BUCKETS; i++) {
            counts.set(i, 0);
        }
    }
}
