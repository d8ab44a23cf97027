package io.jvmroute.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterReportTest {

    @Test
    void aReportReadsBackAsWritten() {
        ClusterReport report = new ClusterReport("n1", 12, List.of(
                new ClusterReport.Member("n1", MemberState.ACTIVE, "10.0.0.1:8080", "10.0.0.1:8009", "ab12"),
                new ClusterReport.Member("n2", MemberState.DRAINING, "10.0.0.2:8080", "")));

        assertThat(report.format()).isEqualTo("""
                jvmroute-cluster 1
                self n1 sessions=12
                member n1 active http=10.0.0.1:8080 ajp=10.0.0.1:8009 fingerprint=ab12
                member n2 draining http=10.0.0.2:8080
                """);
        assertThat(ClusterReport.parse(report.format()).reportOrNull()).isEqualTo(report);
        assertThat(report.member("n2").state()).isEqualTo(MemberState.DRAINING);
        assertThat(report.member("n3")).isNull();
    }

    @Test
    void wordsOfALaterVersionAreSkipped() {
        ClusterReport.Parsed parsed = ClusterReport.parse("jvmroute-cluster 1\nself n1 sessions=0 zone=a\n"
                + "member n1 active http=h:1 weight=3\n# comment\n");

        assertThat(parsed.reportOrNull().members()).containsExactly(new ClusterReport.Member("n1", MemberState.ACTIVE, "h:1", ""));
    }

    @Test
    void anythingElseIsRefusedWithAReason() {
        assertThat(ClusterReport.parse("<html>login</html>").problem()).startsWith("not a jvmroute cluster report");
        assertThat(ClusterReport.parse("jvmroute-cluster 2\n").problem()).startsWith("not a jvmroute cluster report");
        assertThat(ClusterReport.parse("jvmroute-cluster 1\n").problem()).startsWith("no self line");
        assertThat(ClusterReport.parse("jvmroute-cluster 1\nself n1 sessions=-1\n").problem()).startsWith("line 2: bad self line");
        assertThat(ClusterReport.parse("jvmroute-cluster 1\nself n1 sessions=1\nmember n;1 active\n").problem())
                .startsWith("line 3: bad member line");
        assertThat(ClusterReport.parse("jvmroute-cluster 1\nself n1 sessions=1\nmember n2 stopping\n").problem())
                .startsWith("line 3: bad member line");
        assertThat(ClusterReport.parse("jvmroute-cluster 1\nself n1 sessions=1\nmember n2 active http=x\n").problem())
                .startsWith("line 3: bad member line");
        assertThat(ClusterReport.parse("jvmroute-cluster 1\nself n1 sessions=1\nmember n2 active fingerprint=a\tb\n").problem())
                .startsWith("line 3: bad member line");
        assertThat(ClusterReport.parse("jvmroute-cluster 1\nself n1 sessions=1\nrm -rf\n").problem()).startsWith("line 3: unknown line");
        assertThat(ClusterReport.parse("x".repeat(ClusterReport.MAX_LENGTH + 1)).problem()).startsWith("answer of");
        StringBuilder many = new StringBuilder("jvmroute-cluster 1\nself n1 sessions=1\n");
        for (int i = 0; i <= ClusterReport.MAX_MEMBERS; i++) {
            many.append("member r").append(i).append(" active\n");
        }
        assertThat(ClusterReport.parse(many.toString()).isOk()).isFalse();
    }
}
