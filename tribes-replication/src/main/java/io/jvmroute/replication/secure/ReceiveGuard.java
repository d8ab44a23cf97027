package io.jvmroute.replication.secure;

import java.io.ObjectInputStream;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * Puts the {@link ClassAllowList} on every stream that replication reads, and tells what a refusal means.
 *
 * <p>Two layers are read on a receive: the Tribes message itself ({@link FilteringGroupChannel}) and the session
 * data inside it — deltas, full sessions and state-transfer batches — which {@code RouteManager} reads through
 * {@link #filter}. Both run on the receiving thread, which remembers the peer and the session id being handled
 * so that the one log line can name them.
 *
 * <p>What happens to a refused session: a delta is read completely before any of it is applied, so a refusal
 * applies nothing; the session is then <em>dropped on this node</em> (expired locally, the peers are not told),
 * because a copy that missed a change would be wrong if a user failed over to it. The sender keeps its session
 * and the other peers theirs. In a state-transfer batch the refused session and the rest of that batch are
 * not added; the transfer's count check then reports the state as incomplete.
 */
public final class ReceiveGuard {

    private static final Log log = LogFactory.getLog(ReceiveGuard.class);
    private static final StringManager sm = StringManager.getManager(ReceiveGuard.class);
    private static final ThreadLocal<Receiving> CURRENT = new ThreadLocal<>();
    /** Who the transport authenticated for the frame handled on this thread (TLS); null in plaintext. */
    private static final ThreadLocal<String> CONNECTION = new ThreadLocal<>();

    private final ClassAllowList allowList;
    private final SecurityMetrics metrics;

    public ReceiveGuard(ClassAllowList allowList, SecurityMetrics metrics) {
        this.allowList = allowList;
        this.metrics = metrics;
    }

    public ClassAllowList allowList() {
        return allowList;
    }

    /** Sets the allow-list on a stream before anything is read from it; returns the stream. */
    public <T extends ObjectInputStream> T filter(T stream) {
        stream.setObjectInputFilter(allowList.filter(this::rejected));
        return stream;
    }

    /**
     * Handles one session message from {@code peer}: runs {@code handler} and, if it read something the list
     * refuses, calls {@code drop} with the session id once the handler is done (see the class comment).
     */
    public void receiveSessionMessage(String manager, String sessionId, boolean stateTransfer, Supplier<String> peer,
            Runnable handler, Consumer<String> drop) {
        Receiving outer = CURRENT.get();
        Receiving receiving = new Receiving(peer, sessionId, manager, stateTransfer);
        CURRENT.set(receiving);
        try {
            handler.run();
        } finally {
            CURRENT.set(outer);
        }
        if (receiving.refused && !stateTransfer && sessionId != null) {
            drop.accept(sessionId);
            log.warn(sm.getString("receiveGuard.dropped", manager, sessionId, peer.get()));
        }
    }

    /** Runs a Tribes message's handling on behalf of {@code peer}, so refusals inside name it. */
    void receiveFrom(String peer, Runnable handler) {
        Receiving outer = CURRENT.get();
        CURRENT.set(new Receiving(() -> peer, null, null, false));
        try {
            handler.run();
        } finally {
            CURRENT.set(outer);
        }
    }

    /**
     * Runs a frame's processing on behalf of an authenticated connection: a refusal then names it besides the
     * member the frame claims to come from (which the frame itself says, unauthenticated).
     */
    static void overConnection(String authenticated, Runnable processing) {
        CONNECTION.set(authenticated);
        try {
            processing.run();
        } finally {
            CONNECTION.remove();
        }
    }

    private void rejected(ClassAllowList.Rejection rejection) {
        metrics.rejected(rejection);
        Receiving receiving = CURRENT.get();
        if (receiving == null) {
            log.error(sm.getString("receiveGuard.refused", "unknown", "-", rejection.describe()));
            return;
        }
        if (receiving.refused) {
            return; // one line per message: the stream stops at the first refusal anyway
        }
        receiving.refused = true;
        String what = receiving.sessionId == null ? "a replication message (not read, session unknown)"
                : receiving.stateTransfer ? "a state-transfer batch of manager " + receiving.manager
                : "session " + receiving.sessionId + " of manager " + receiving.manager;
        String connection = CONNECTION.get();
        String peer = connection == null ? receiving.peer.get() : receiving.peer.get() + "] over [" + connection;
        log.error(sm.getString("receiveGuard.refused", peer, what, rejection.describe()));
    }

    /** Whether the message handled on this thread was refused so far. */
    static boolean currentRefused() {
        Receiving receiving = CURRENT.get();
        return receiving != null && receiving.refused;
    }

    private static final class Receiving {
        /** Described only if a refusal is logged: formatting it for every message cost more than the rest. */
        final Supplier<String> peer;
        final String sessionId;
        final String manager;
        final boolean stateTransfer;
        boolean refused;

        Receiving(Supplier<String> peer, String sessionId, String manager, boolean stateTransfer) {
            this.peer = peer;
            this.sessionId = sessionId;
            this.manager = manager;
            this.stateTransfer = stateTransfer;
        }
    }
}
