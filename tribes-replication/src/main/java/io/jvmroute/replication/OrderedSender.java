package io.jvmroute.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.catalina.ha.session.SessionMessage;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * Sends session messages so that the peers apply each session's messages in the order they were produced,
 * while the request threads wait only for the messages that carry a login.
 *
 * <ol>
 *   <li>Every message goes to a lane chosen by its session id's base (the part before the route), so the
 *       creation, the deltas, a route rename by the valve and the expiry of one session share a lane.</li>
 *   <li>A lane is one thread that takes everything queued, sends it as one {@link LaneFrame} and waits
 *       for the peers to acknowledge <em>after applying</em> it (synchronized ack) before sending the next: a
 *       message can therefore never overtake an earlier one of its session, however the receiver schedules its
 *       worker threads.</li>
 *   <li>{@link #send} returns a future completed when the peers have applied the message; the manager waits on
 *       it only for logins, so other changes cost the request nothing but the enqueue.</li>
 *   <li>{@link #sendLater} queues a message that the lane produces only when it sends it: a session's delta is
 *       serialized off the request thread, and all the changes made to the session while it waited travel as
 *       one delta (Tomcat's DeltaRequest keeps only the last action per attribute).</li>
 *   <li>Backpressure: a full lane blocks the producing request thread rather than growing without bound.</li>
 * </ol>
 */
final class OrderedSender {

    private static final Log log = LogFactory.getLog(OrderedSender.class);
    private static final StringManager sm = StringManager.getManager(OrderedSender.class);

    /** What a lane does with a batch: send it to every member and return when all acknowledged, or throw. */
    @FunctionalInterface
    interface Transport {
        void sendAndAwaitAck(List<SessionMessage> batch) throws Exception;
    }

    private record Task(SessionMessage message, Supplier<SessionMessage> producer, CompletableFuture<Void> applied,
            long queuedAtNanos) {
        Task(SessionMessage message, Supplier<SessionMessage> producer, CompletableFuture<Void> applied) {
            this(message, producer, applied, System.nanoTime());
        }

        SessionMessage resolve() {
            return message != null ? message : producer.get();
        }
    }

    private static final Task STOP = new Task(null, null, null);

    private final Lane[] lanes;
    private final Transport transport;
    private final int maxBatch;

    private final SendFailures failures = new SendFailures();

    OrderedSender(String name, int laneCount, int laneCapacity, int maxBatch, Transport transport) {
        this.transport = transport;
        this.maxBatch = maxBatch;
        this.lanes = new Lane[laneCount];
        for (int i = 0; i < laneCount; i++) {
            lanes[i] = new Lane(name + "-lane-" + i, laneCapacity);
        }
    }

    void start() {
        for (Lane lane : lanes) {
            lane.thread.start();
        }
    }

    /** Stops the lanes, giving them 5 s to send what is queued; nothing when {@code sender} is {@code null}. */
    static void stopQuietly(OrderedSender sender) {
        if (sender == null) {
            return;
        }
        try {
            sender.stop(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends what is queued, then ends the lanes; waits at most {@code timeoutMillis} for each. */
    void stop(long timeoutMillis) throws InterruptedException {
        for (Lane lane : lanes) {
            lane.queue.put(STOP);
        }
        for (Lane lane : lanes) {
            lane.thread.join(timeoutMillis);
            if (lane.thread.isAlive()) {
                lane.thread.interrupt();
            }
        }
    }

    /**
     * Queues a message behind the earlier ones of its session.
     *
     * @return completed when every member has applied the message; exceptionally if a member failed to
     */
    CompletableFuture<Void> send(SessionMessage message) throws InterruptedException {
        CompletableFuture<Void> applied = new CompletableFuture<>();
        lanes[laneOf(message.getSessionID())].queue.put(new Task(message, null, applied));
        return applied;
    }

    /**
     * Queues a message that {@code producer} makes when the lane sends it (it may then return {@code null}: nothing
     * left to send).
     *
     * @param sessionId the session's id now, which chooses the lane
     * @param applied   completed when the peers have applied what the producer made
     */
    void sendLater(String sessionId, Supplier<SessionMessage> producer, CompletableFuture<Void> applied)
            throws InterruptedException {
        lanes[laneOf(sessionId)].queue.put(new Task(null, producer, applied));
    }

    /** The number of messages waiting in the lanes: the replication lag in messages. */
    int queued() {
        int sum = 0;
        for (Lane lane : lanes) {
            sum += lane.queue.size();
        }
        return sum;
    }

    /** How long the oldest message still queued has waited, in ms: the replication lag in time. */
    long oldestQueuedMillis() {
        long now = System.nanoTime();
        long oldest = 0;
        for (Lane lane : lanes) {
            Task head = lane.queue.peek();
            if (head != null && head != STOP) {
                oldest = Math.max(oldest, (now - head.queuedAtNanos()) / 1_000_000);
            }
        }
        return oldest;
    }

    /** The lane of the id's base, hashed as String.hashCode would hash it, without making the substring. */
    private int laneOf(String sessionId) {
        int hash = 0;
        for (int i = 0; i < sessionId.length(); i++) {
            char c = sessionId.charAt(i);
            if (c == '.') {
                break;
            }
            hash = 31 * hash + c;
        }
        return Math.floorMod(hash, lanes.length);
    }

    private final class Lane implements Runnable {
        private final BlockingQueue<Task> queue;
        private final Thread thread;

        Lane(String name, int capacity) {
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            List<Task> batch = new ArrayList<>(maxBatch);
            boolean running = true;
            while (running) {
                try {
                    batch.add(queue.take());
                    queue.drainTo(batch, maxBatch - 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                int stop = batch.indexOf(STOP);
                if (stop >= 0) {
                    // Tasks behind STOP cannot exist: the sender is stopped after its producers.
                    batch.subList(stop, batch.size()).clear();
                    running = false;
                }
                if (!batch.isEmpty()) {
                    sendBatch(batch);
                }
                batch.clear();
            }
        }

        private void sendBatch(List<Task> batch) {
            List<SessionMessage> messages = new ArrayList<>(batch.size());
            try {
                for (Task task : batch) {
                    SessionMessage message = task.resolve();
                    if (message != null) {
                        messages.add(message);
                    }
                }
                if (!messages.isEmpty()) {
                    transport.sendAndAwaitAck(messages);
                }
                for (Task task : batch) {
                    task.applied().complete(null);
                }
            } catch (Exception | Error e) {
                failures.record(batch.size(), e); // counted and logged: nobody waits for a plain delta
                for (Task task : batch) {
                    task.applied().completeExceptionally(e);
                }
            }
        }
    }

    /** Messages of batches that failed to replicate since the start (JMX, messagesNotReplicated). */
    long messagesNotReplicated() {
        return failures.messages();
    }

    /** Waits for a future of {@link #send}; a failure or a timeout is reported, not thrown. */
    static String await(CompletableFuture<Void> applied, long timeoutMillis) {
        try {
            applied.get(timeoutMillis, TimeUnit.MILLISECONDS);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (TimeoutException e) {
            return "no acknowledgement within " + timeoutMillis + " ms";
        } catch (ExecutionException e) {
            return String.valueOf(e.getCause().getMessage());
        }
    }
}
