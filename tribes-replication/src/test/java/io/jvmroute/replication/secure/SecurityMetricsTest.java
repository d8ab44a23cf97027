package io.jvmroute.replication.secure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Handshake counters are keyed by the address a connection comes from, which a scan chooses: bounded. */
class SecurityMetricsTest {

    @Test
    void aScanOfManyAddressesIsCountedOnOneLinePastTheLimit() {
        SecurityMetrics metrics = new SecurityMetrics();
        metrics.handshakeSucceeded("10.0.0.2");
        for (int i = 0; i < 20_000; i++) {
            metrics.handshakeFailed("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255) + "x");
        }
        metrics.handshakeSucceeded("10.0.0.2");

        assertThat(metrics.describeHandshakes()).hasSize(SecurityMetrics.MAX_ADDRESSES + 1)
                .contains("10.0.0.2 ok=2 failed=0");
        assertThat(metrics.getHandshakesFailed()).isEqualTo(20_000);
        assertThat(metrics.handshakesFailed(SecurityMetrics.OTHER_ADDRESSES))
                .isEqualTo(20_000 - SecurityMetrics.MAX_ADDRESSES + 1);
    }
}
