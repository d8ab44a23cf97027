package io.jvmroute.balancer.routing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyHistogramTest {

    @Test
    void percentilesAreTheUpperBoundOfTheirBucketWithinOneBucketWidth() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 98; i++) {
            h.record(2_000_000); // 2 ms
        }
        h.record(50_000_000); // 50 ms
        h.record(50_000_000);

        assertThat(h.percentileMillis(0.5)).isCloseTo(2.0, within(2.0 * 0.19));
        assertThat(h.percentileMillis(0.99)).isCloseTo(50.0, within(50.0 * 0.19));
        assertThat(h.percentileMillis(0.5)).isGreaterThanOrEqualTo(2.0);
    }

    @Test
    void emptyAndResetHistogramsSayZero() {
        LatencyHistogram h = new LatencyHistogram();
        assertThat(h.percentileMillis(0.99)).isZero();
        h.record(1_000_000);
        h.reset();
        assertThat(h.percentileMillis(0.5)).isZero();
    }

    @Test
    void extremesLandInTheFirstAndLastBuckets() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(1);
        assertThat(h.percentileMillis(1.0)).isEqualTo(0.1);
        h.reset();
        h.record(3_600_000_000_000L); // an hour
        assertThat(h.percentileMillis(1.0)).isGreaterThan(10_000);
    }
}
