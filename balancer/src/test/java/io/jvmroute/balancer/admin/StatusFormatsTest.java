package io.jvmroute.balancer.admin;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StatusFormatsTest {

    private static final WorkerStatus ODD = new WorkerStatus("<b>\"x", "r\"1", "", "h:1", "http", "active", false, 0, 1, 0, 0,
            0, 0, 0, 0, 0, "connect failed: <refused>", 0, "w<s>.properties", 0, 0, 0, WorkerTrend.NONE);

    @Test
    void htmlEscapesEverythingFromConfigAndHealthResults() {
        String html = StatusPage.html("lb", List.of(ODD), "abc", 1000, "n0nce");

        assertThat(html).doesNotContain("<b>\"x", "<refused>").contains("&lt;b&gt;&quot;x", "&lt;refused&gt;", "w&lt;s&gt;.properties", "class=\"pill down\"");
    }

    @Test
    void jsonAndPrometheusQuoteTheirStrings() {
        assertThat(StatusFormats.json("lb", List.of(ODD))).contains("\"name\":\"<b>\\\"x\"", "\"state\":\"ERR\"");
        assertThat(StatusFormats.prometheus("lb", List.of(ODD))).contains("worker=\"<b>\\\"x\",route=\"r\\\"1\"} 0");
    }

    @Test
    void aReadOnlyPageHasNoForms() {
        assertThat(StatusPage.html("lb", List.of(ODD), null, 1000, "n0nce")).doesNotContain("<form", "csrf");
    }
}
