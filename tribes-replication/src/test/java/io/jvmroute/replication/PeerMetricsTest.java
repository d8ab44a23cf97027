package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.membership.MemberImpl;
import org.junit.jupiter.api.Test;

/** Peer counters are keyed by the member a frame names, which the sender chooses: they must stay bounded. */
class PeerMetricsTest {

    @Test
    void madeUpMembersShareOneLinePastTheLimit() throws Exception {
        PeerMetrics metrics = new PeerMetrics();
        for (int i = 0; i < 5_000; i++) {
            metrics.of(new MemberImpl("127.0.0." + (1 + i % 200), 4000 + i, 0)).messagesReceived.increment();
        }
        assertThat(metrics.describe(new Member[0])).hasSize(PeerMetrics.MAX_PEERS + 1)
                .anySatisfy(line -> assertThat(line).startsWith("others state=gone")
                        .contains("messagesReceived=" + (5_000 - PeerMetrics.MAX_PEERS)));
    }

    @Test
    void aKnownMemberKeepsItsOwnLineAfterTheLimit() throws Exception {
        PeerMetrics metrics = new PeerMetrics();
        MemberImpl jvm2 = new MemberImpl("127.0.0.2", 4000, 0);
        metrics.of(jvm2).messagesReceived.increment();
        for (int i = 0; i < 1_000; i++) {
            metrics.of(new MemberImpl("127.0.0.3", 5000 + i, 0));
        }
        metrics.of(jvm2).messagesReceived.increment();
        assertThat(metrics.describe(new Member[0])).anySatisfy(line -> assertThat(line)
                .startsWith("127.0.0.2:4000 ").contains("messagesReceived=2"));
    }
}
