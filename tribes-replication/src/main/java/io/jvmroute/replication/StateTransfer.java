package io.jvmroute.replication;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.catalina.Session;
import org.apache.catalina.ha.session.SessionMessage;
import org.apache.catalina.ha.session.SessionMessageImpl;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * The receiving side's account of one state transfer: sessions received so far and the count the sender
 * announced in its TRANSFERCOMPLETE message, so that a node that did not get the whole state says so.
 */
final class StateTransfer {

    private static final Log log = LogFactory.getLog(RouteManager.class); // RouteManager's messages keep its logger
    private static final StringManager sm = StringManager.getManager(StateTransfer.class);

    /** The sender's count travels as the 4-byte payload of TRANSFERCOMPLETE, which stock Tomcat leaves empty. */
    static byte[] encodeCount(int count) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(count).array();
    }

    /** The announced count, or -1 if the sender did not announce one (a stock DeltaManager). */
    static int decodeCount(byte[] data) {
        return data != null && data.length == Integer.BYTES ? ByteBuffer.wrap(data).getInt() : -1;
    }

    /** The sessions a peer that asks for the state gets: valid ones, and (login-only) those that logged in. */
    static List<Session> sendable(Session[] sessions) {
        List<Session> sendable = new ArrayList<>();
        for (Session session : sessions) {
            if (session.isValid() && (!(session instanceof RouteSession rs) || rs.isReplicated())) {
                sendable.add(session);
            }
        }
        return sendable;
    }

    /** The TRANSFERCOMPLETE message that ends a transfer of {@code count} sessions, announcing the count. */
    static SessionMessage completeMessage(String managerName, int count, long snapshotTime) {
        SessionMessage complete = new SessionMessageImpl(managerName, SessionMessage.EVT_ALL_SESSION_TRANSFERCOMPLETE,
                encodeCount(count), "SESSION-STATE-TRANSFERRED", "SESSION-STATE-TRANSFERRED" + managerName);
        complete.setTimestamp(snapshotTime);
        return complete;
    }

    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger batches = new AtomicInteger();
    private volatile int announced = -1;
    private final AtomicLong started = new AtomicLong();

    void reset() {
        received.set(0);
        batches.set(0);
        announced = -1;
        started.set(System.nanoTime());
    }

    /** @return the number of sessions received so far */
    int batchReceived(int sessions) {
        batches.incrementAndGet();
        return received.addAndGet(sessions);
    }

    void completed(int announcedCount) {
        this.announced = announcedCount;
    }

    int received() {
        return received.get();
    }

    int batches() {
        return batches.get();
    }

    int announced() {
        return announced;
    }

    long elapsedMillis() {
        return (System.nanoTime() - started.get()) / 1_000_000;
    }

    /**
     * Asks a peer for all sessions ({@code ask}, DeltaManager's request and wait), and asks again, once a second
     * and at most {@code retries} times, while the peer answers that its context is not up yet, instead of
     * starting empty. The outcome is logged with the received and announced counts; a node that did not get the
     * whole state logs an error.
     */
    void fetch(String managerName, int retries, Runnable ask, BooleanSupplier alone, BooleanSupplier transferred,
            BooleanSupplier noContext) {
        for (int attempt = 0; ; attempt++) {
            reset();
            ask.run();
            if (alone.getAsBoolean()) {
                return; // nobody to get sessions from
            }
            if (transferred.getAsBoolean()) {
                report(managerName);
                return;
            }
            if (!noContext.getAsBoolean() || attempt >= retries) {
                log.error(sm.getString("routeManager.noState", managerName,
                        noContext.getAsBoolean() ? "the peer's context never came up" : "no answer in time",
                        Integer.valueOf(received())));
                return;
            }
            log.info(sm.getString("routeManager.stateRetry", managerName, Integer.valueOf(attempt + 1),
                    Integer.valueOf(retries)));
            if (!pauseBeforeRetry()) {
                return;
            }
        }
    }

    /** Logs the outcome of a transfer that completed: an error when fewer sessions arrived than were announced. */
    private void report(String managerName) {
        int receivedCount = received();
        if (announced >= 0 && receivedCount != announced) {
            log.error(sm.getString("routeManager.stateIncomplete", managerName, Integer.valueOf(receivedCount),
                    Integer.valueOf(announced)));
        } else {
            log.info(sm.getString("routeManager.stateReceived", managerName, Integer.valueOf(receivedCount),
                    Integer.valueOf(batches()), Long.valueOf(elapsedMillis())));
        }
    }

    /** Waits a second before asking again (the peer's context is starting); false if interrupted. */
    private boolean pauseBeforeRetry() {
        synchronized (this) {
            try {
                wait(1_000);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
