package io.jvmroute.balancer.admin;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChartsTest {

    @Test
    void aFewErrorsAmongManyRequestsStillShowAsAVisibleMark() {
        String svg = Charts.traffic(new long[] {1000, 1000, 1000}, new long[] {0, 2, 0}, "t");

        assertThat(svg).containsOnlyOnce("class=\"err\"").contains("height=\"6.0\"");
    }

    @Test
    void theLabelIsEscapedAndAnEmptyHistoryIsAnEmptyChart() {
        assertThat(Charts.traffic(new long[0], new long[0], "<x>")).contains("&lt;x&gt;").doesNotContain("<polyline");
        assertThat(Charts.bars(new long[] {3, 0, 1}, "s")).contains("class=\"bar now\"");
    }
}
