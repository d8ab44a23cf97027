package io.jvmroute.replication;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.catalina.ha.session.SessionMessage;
import org.apache.catalina.tribes.Member;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * Deltas received for a session this node does not know yet, kept until the session's creation (or rename, or
 * state transfer) arrives, instead of being dropped as stock {@code DeltaManager} does. Bounded in count and
 * age; whatever is dropped is logged, never lost silently.
 */
final class PendingDeltas {

    private static final Log log = LogFactory.getLog(PendingDeltas.class);
    private static final StringManager sm = StringManager.getManager(PendingDeltas.class);

    static final int MAX_HELD = 10_000;
    static final long MAX_AGE_MILLIS = 60_000;

    record Held(SessionMessage message, Member sender, long receivedAt) {
    }

    /** Per session id, in arrival order; sessions in first-arrival order, so the oldest go first. */
    private final Map<String, List<Held>> held = new LinkedHashMap<>();
    private int count;
    /** The manager's name for the log, asked when needed: a manager is named only once it has its context. */
    private final Supplier<String> managerName;

    PendingDeltas(Supplier<String> managerName) {
        this.managerName = managerName;
    }

    /**
     * Holds the delta unless its session is known by now (checked under this buffer's lock, like
     * {@link #release}, so that a delta and its session's arrival cannot miss each other).
     *
     * @return whether the delta was held; if not, the caller applies it
     */
    synchronized boolean holdIfUnknown(SessionMessage msg, Member sender, Predicate<String> known) {
        if (known.test(msg.getSessionID())) {
            return false;
        }
        if (count >= MAX_HELD) {
            dropOldestSession("full");
        }
        held.computeIfAbsent(msg.getSessionID(), id -> new ArrayList<>())
                .add(new Held(msg, sender, System.currentTimeMillis()));
        count++;
        return true;
    }

    /**
     * Takes the deltas held for {@code sessionId} if the session is known now.
     *
     * @param known tells whether the manager has the session
     */
    synchronized List<Held> release(String sessionId, Predicate<String> known) {
        List<Held> list = held.get(sessionId);
        if (list == null || !known.test(sessionId)) {
            return List.of();
        }
        held.remove(sessionId);
        count -= list.size();
        return list;
    }

    /** Applies a held delta as if it had just arrived. */
    @FunctionalInterface
    interface Applier {
        void apply(SessionMessage message, Member sender) throws IOException, ClassNotFoundException;
    }

    /** Applies, in arrival order, the deltas held for {@code sessionId} if the session is known now. */
    void apply(String sessionId, Predicate<String> known, Applier applier) {
        for (Held each : release(sessionId, known)) {
            try {
                applier.apply(each.message(), each.sender());
            } catch (IOException | ClassNotFoundException | RuntimeException e) {
                LogFactory.getLog(RouteManager.class).error(sm.getString("routeManager.pendingFailed", managerName.get(), sessionId), e);
            }
        }
    }

    synchronized List<String> sessionIds() {
        return new ArrayList<>(held.keySet());
    }

    synchronized int size() {
        return count;
    }

    /** Drops deltas older than {@link #MAX_AGE_MILLIS}: their session never arrived. */
    synchronized void expire(long now) {
        for (Iterator<Map.Entry<String, List<Held>>> it = held.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, List<Held>> entry = it.next();
            if (now - entry.getValue().get(0).receivedAt() > MAX_AGE_MILLIS) {
                log.warn(sm.getString("pendingDeltas.dropped", managerName.get(), entry.getKey(),
                        Integer.valueOf(entry.getValue().size()), "expired"));
                count -= entry.getValue().size();
                it.remove();
            }
        }
    }

    private void dropOldestSession(String reason) {
        Iterator<Map.Entry<String, List<Held>>> it = held.entrySet().iterator();
        Map.Entry<String, List<Held>> oldest = it.next();
        log.warn(sm.getString("pendingDeltas.dropped", managerName.get(), oldest.getKey(),
                Integer.valueOf(oldest.getValue().size()), reason));
        count -= oldest.getValue().size();
        it.remove();
    }
}
