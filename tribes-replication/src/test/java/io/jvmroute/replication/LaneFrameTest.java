package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvmroute.testsupport.FreePorts;
import io.jvmroute.testsupport.Http;
import io.jvmroute.testsupport.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.logging.Level;
import org.apache.catalina.ha.session.SessionMessage;
import org.apache.catalina.ha.session.SessionMessageImpl;
import org.apache.catalina.tribes.ByteMessage;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.ChannelException;
import org.junit.jupiter.api.Test;

/** A lane batch as one byte message: every field arrives, in order; a malformed frame is refused whole. */
class LaneFrameTest {

    @Test
    void everyMessageArrivesWithAllItsFieldsInOrder() throws Exception {
        SessionMessage created = message("/app", SessionMessage.EVT_SESSION_CREATED, null, "s1", 11);
        SessionMessage delta = message("/app", SessionMessage.EVT_SESSION_DELTA, new byte[] {1, 2, 3}, "s1", 12);
        SessionMessage other = message("/other", SessionMessage.EVT_SESSION_EXPIRED, new byte[0], "s\u00e9", 13);
        SessionMessage back = message("/app", SessionMessage.EVT_CHANGE_SESSION_ID, new byte[] {9}, null, 14);

        List<SessionMessage> decoded = LaneFrame.decode(LaneFrame.encode(List.of(created, delta, other, back)));

        assertThat(decoded).hasSize(4);
        for (int i = 0; i < 4; i++) {
            SessionMessage sent = List.of(created, delta, other, back).get(i);
            SessionMessage got = decoded.get(i);
            assertThat(got.getContextName()).isEqualTo(sent.getContextName());
            assertThat(got.getEventType()).isEqualTo(sent.getEventType());
            assertThat(got.getSession()).isEqualTo(sent.getSession());
            assertThat(got.getSessionID()).isEqualTo(sent.getSessionID());
            assertThat(got.getUniqueId()).isEqualTo(sent.getUniqueId());
            assertThat(got.getTimestamp()).isEqualTo(sent.getTimestamp());
        }
    }

    @Test
    void aTruncatedOrCorruptedFrameThrowsIOExceptionOnly() throws Exception {
        byte[] good = LaneFrame.encode(List.of(
                message("/app", SessionMessage.EVT_SESSION_DELTA, new byte[40], "s1", 1),
                message("/app", SessionMessage.EVT_SESSION_DELTA, new byte[7], "s2", 2)));
        for (int length = 0; length < good.length; length++) {
            byte[] truncated = Arrays.copyOf(good, length);
            assertThatThrownBy(() -> LaneFrame.decode(truncated)).isInstanceOf(IOException.class);
        }
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> LaneFrame.decode(trailing)).isInstanceOf(IOException.class);
        Random random = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            byte[] bad = good.clone();
            bad[3 + random.nextInt(bad.length - 3)] = (byte) random.nextInt(256);
            try {
                LaneFrame.decode(bad);
            } catch (IOException expected) {
                // refused whole
            }
        }
        byte[] hugeCount = good.clone();
        Arrays.fill(hugeCount, 3, 7, (byte) 0x7f);
        assertThatThrownBy(() -> LaneFrame.decode(hugeCount)).hasMessageContaining("messages in");
    }

    /**
     * A peer's frame that is valid up to a point and garbage after: the receiver applies none of it, the sender
     * gets a failed acknowledgement (it must not believe the peer has it), and replication goes on.
     */
    @Test
    void aMalformedFrameFromAPeerAppliesNothingAndFailsItsAcknowledgement() throws Exception {
        List<TestNode> pair = FreePorts.retryOnLostPort(started -> {
            int port = FreePorts.on("127.0.0.11", "127.0.0.12");
            String members = "jvm1=127.0.0.11:" + port + ",jvm2=127.0.0.12:" + port;
            return List.of(started.add(TestNode.start("jvm1", "127.0.0.11", c -> c.setMembers(members))),
                    started.add(TestNode.start("jvm2", "127.0.0.12", c -> c.setMembers(members))));
        });
        try (TestNode node1 = pair.get(0); TestNode node2 = pair.get(1)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> node1.cluster.getMembers().length == 1
                    && node2.cluster.getMembers().length == 1);
            String contextName = node2.manager().getName();
            byte[] valid = LaneFrame.encode(List.of(
                    message(contextName, SessionMessage.EVT_SESSION_CREATED, null, "forged.jvm1", 1)));
            byte[] broken = Arrays.copyOf(valid, valid.length + 5);

            try (LogCapture log = LogCapture.juli(RouteCluster.class, Level.SEVERE)) {
                assertThatThrownBy(() -> node1.cluster.getChannel().send(node1.cluster.getMembers(),
                        new ByteMessage(broken), RouteCluster.ORDERED_SEND_OPTIONS | Channel.SEND_OPTIONS_BYTE_MESSAGE))
                        .isInstanceOf(ChannelException.class);
                assertThat(log.messages()).anySatisfy(line -> assertThat(line)
                        .contains("Refused a replication frame from [jvm1").contains("nothing of it applied"));
            }
            assertThat(node2.session("forged.jvm1")).isNull();

            String id = Http.get(node1.url("/login?user=after"), null).body();
            assertThat(node2.session(id).getSession().getAttribute("userid")).isEqualTo("after");
        }
    }

    private static SessionMessage message(String context, int type, byte[] data, String id, long timestamp) {
        SessionMessageImpl message = new SessionMessageImpl(context, type, data, id, id + "-" + timestamp);
        message.setTimestamp(timestamp);
        return message;
    }
}
