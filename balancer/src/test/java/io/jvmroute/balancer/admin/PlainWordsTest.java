package io.jvmroute.balancer.admin;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlainWordsTest {

    private static WorkerStatus worker(String activation, boolean up, String lastCheck) {
        return new WorkerStatus("w", "w", "", "h:1", "http", activation, up, 0, 0, 0, 0, 0, 0, 0, 0, 0, lastCheck, 0,
                "workers.properties", 0, 0, 0, WorkerTrend.NONE);
    }

    @Test
    void eachTransportsConnectErrorBecomesTheSameWords() {
        assertThat(PlainWords.why("connect failed: java.net.ConnectException: io_uring connect(..) failed with error(-111):"
                + " Connection refused")).isEqualTo("connection refused");
        assertThat(PlainWords.why("finishConnect(..) failed with error(-111): Connection refused: /127.0.0.1:1"))
                .isEqualTo("connection refused");
        assertThat(PlainWords.why("Connection refused: /127.0.0.1:8080")).isEqualTo("connection refused");
        assertThat(PlainWords.why("connection timed out after 500 ms: /10.0.0.1:8080")).isEqualTo("no answer in time");
        assertThat(PlainWords.why("no answer within 500 ms")).isEqualTo("no answer in time");
        assertThat(PlainWords.why("io_uring connect(..) failed with error(-113): No route to host")).isEqualTo("host unreachable");
        assertThat(PlainWords.why("HTTP 503")).isEqualTo("health check answered 503");
        assertThat(PlainWords.why("answered 500 (fail_on_status)")).isEqualTo("answered 500 (fail_on_status)");
        assertThat(PlainWords.why("something new")).isEqualTo("unreachable");
    }

    @Test
    void theStateSaysDownWithItsReasonOrTheActivation() {
        assertThat(PlainWords.stateText(worker("active", false, "Connection refused"))).isEqualTo("down \u2014 connection refused");
        assertThat(PlainWords.stateText(worker("disabled", true, "HTTP 200"))).isEqualTo("draining");
        assertThat(PlainWords.stateText(worker("stopped", true, "HTTP 200"))).isEqualTo("stopped");
        assertThat(PlainWords.stateText(worker("active", true, "HTTP 200"))).isEqualTo("up");
    }

    @Test
    void timesAreSaidAsAgo() {
        assertThat(PlainWords.ago(0, 5000)).isEqualTo("never");
        assertThat(PlainWords.ago(4500, 5000)).isEqualTo("just now");
        assertThat(PlainWords.ago(3000, 5000)).isEqualTo("2 s ago");
        assertThat(PlainWords.ago(0 + 1, 1 + 5 * 60_000)).isEqualTo("5 min ago");
        assertThat(PlainWords.ago(1, 1 + 3 * 3_600_000)).isEqualTo("3 h ago");
        assertThat(PlainWords.bytes(999)).isEqualTo("999 B");
        assertThat(PlainWords.bytes(1_234_567)).isEqualTo("1.2 MB");
        assertThat(PlainWords.rate(0.4)).isEqualTo("0.4");
    }
}
