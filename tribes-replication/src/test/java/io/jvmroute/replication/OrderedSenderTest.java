package io.jvmroute.replication;

import io.jvmroute.testsupport.LogCapture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.ha.session.SessionMessage;
import org.apache.catalina.ha.session.SessionMessageImpl;
import org.junit.jupiter.api.Test;

class OrderedSenderTest {

    private static SessionMessage delta(String sessionId, int n) {
        return new SessionMessageImpl("ctx", SessionMessage.EVT_SESSION_DELTA, new byte[] {(byte) n}, sessionId,
                sessionId + "-" + n);
    }

    @Test
    void aSessionsMessagesLeaveInOrderInBatchesWhileTheLaneIsBusy() throws Exception {
        List<List<String>> sent = new ArrayList<>();
        CountDownLatch firstBatchSending = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        OrderedSender sender = new OrderedSender("test", 1, 100, 64, batch -> {
            synchronized (sent) {
                sent.add(batch.stream().map(SessionMessage::getUniqueId).toList());
            }
            firstBatchSending.countDown();
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
        });
        sender.start();
        CompletableFuture<Void> first = sender.send(delta("A.jvm1", 0));
        assertThat(firstBatchSending.await(10, TimeUnit.SECONDS)).isTrue();
        // While the lane waits for the first ack, the rest queues up and leaves as one batch, in order.
        List<CompletableFuture<Void>> rest = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            rest.add(sender.send(delta("A.jvm2", i)));
        }
        assertThat(first).isNotDone();
        assertThat(sender.queued()).isEqualTo(5);
        long queuedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).until(() -> sender.oldestQueuedMillis() >= 1);
        assertThat(sender.oldestQueuedMillis()).isLessThanOrEqualTo((System.nanoTime() - queuedAt) / 1_000_000 + 1_000);
        release.countDown();
        CompletableFuture.allOf(rest.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
        sender.stop(5_000);
        assertThat(sent).containsExactly(List.of("A.jvm1-0"),
                List.of("A.jvm2-1", "A.jvm2-2", "A.jvm2-3", "A.jvm2-4", "A.jvm2-5"));
    }

    /** A plain delta's failed send has nobody waiting for it: it is counted and logged, not only at DEBUG. */
    @Test
    void aFailedSendIsCountedAndLoggedAsAWarning() throws Exception {
        OrderedSender sender = new OrderedSender("test", 1, 100, 64, batch -> {
            throw new org.apache.catalina.tribes.ChannelException("peer jvm2 did not acknowledge");
        });
        sender.start();
        try (LogCapture warnings = LogCapture.juli(RouteCluster.class, java.util.logging.Level.WARNING)) {
            CompletableFuture<Void> failed = sender.send(delta("A.jvm1", 0));
            await().atMost(Duration.ofSeconds(5)).until(failed::isDone);
            assertThat(failed).isCompletedExceptionally();
            assertThat(sender.messagesNotReplicated()).isEqualTo(1);
            assertThat(warnings.messages()).singleElement().asString()
                    .startsWith("Replication of [1] session messages failed since the last report")
                    .contains("peer jvm2 did not acknowledge").contains("messagesNotReplicated");
        } finally {
            sender.stop(5_000);
        }
    }

    @Test
    void aDeferredMessageIsMadeWhenItsLaneSendsIt() throws Exception {
        List<String> sent = new ArrayList<>();
        OrderedSender sender = new OrderedSender("test", 2, 100, 64,
                batch -> batch.forEach(m -> sent.add(m.getUniqueId())));
        sender.start();
        StringBuilder madeAt = new StringBuilder();
        CompletableFuture<Void> made = new CompletableFuture<>();
        sender.sendLater("B.jvm1", () -> {
            madeAt.append(Thread.currentThread().getName());
            return delta("B.jvm1", 7);
        }, made);
        made.get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> empty = new CompletableFuture<>();
        sender.sendLater("B.jvm1", () -> null, empty); // nothing left to send: still completes
        empty.get(10, TimeUnit.SECONDS);
        sender.stop(5_000);
        assertThat(madeAt.toString()).startsWith("test-lane-");
        assertThat(sent).containsExactly("B.jvm1-7");
    }

    @Test
    void aFailedSendFailsTheFuturesOfItsBatch() throws Exception {
        OrderedSender sender = new OrderedSender("test", 1, 100, 64, batch -> {
            throw new IllegalStateException("peer jvm2 gone");
        });
        sender.start();
        CompletableFuture<Void> applied = sender.send(delta("C.jvm1", 1));
        assertThat(OrderedSender.await(applied, 10_000)).isEqualTo("peer jvm2 gone");
        sender.stop(5_000);
    }
}
