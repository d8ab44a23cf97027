package io.jvmroute.replication;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.catalina.ha.session.SessionMessage;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * {@link RouteManager}'s sending side: every message of a session goes through its {@link OrderedSender} lane,
 * and a request that created a session, logged its user in or changed its id returns only once the peers
 * applied it (or {@code ackTimeout} passed). In login-only mode a session that never logged in is not sent.
 */
final class LoginSending {

    private static final Log log = LogFactory.getLog(RouteManager.class); // RouteManager's messages keep its logger
    private static final StringManager sm = StringManager.getManager(LoginSending.class);

    private final RouteManager manager;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong notAcknowledged = new AtomicLong();

    LoginSending(RouteManager manager) {
        this.manager = manager;
    }

    long acknowledged() {
        return acknowledged.get();
    }

    long notAcknowledged() {
        return notAcknowledged.get();
    }

    /**
     * The end of a request that used {@code session}: queues its delta (produced by the lane when sent, under
     * the session's id at that moment, by {@code produceDelta}) and waits when it carries a creation or a login.
     */
    void requestCompleted(OrderedSender sender, RouteSession session, String sessionId,
            Function<String, SessionMessage> produceDelta) {
        boolean login = session.takeLoginPending();
        if (!session.isReplicated()) {
            if (!login) {
                return; // login-only: the changes accumulate in the session's delta request
            }
            // The login sends the whole session: its creation, then everything done to it so far as one delta.
            session.setReplicated(true);
            manager.sendCreation(session);
        }
        CompletableFuture<Void> creation = session.takeCreation();
        CompletableFuture<Void> applied = session.joinQueuedDelta(
                future -> enqueueDelta(sender, session, future, produceDelta));
        // One wait covers both: the lane applies the creation before the delta queued behind it.
        if (login || creation != null) {
            awaitLogin(applied, sessionId);
        }
    }

    private static void enqueueDelta(OrderedSender sender, RouteSession session, CompletableFuture<Void> applied,
            Function<String, SessionMessage> produceDelta) {
        try {
            sender.sendLater(session.getIdInternal(), () -> {
                session.deltaProduced();
                String id = session.getIdInternal();
                return id == null ? null : produceDelta.apply(id);
            }, applied);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.deltaProduced(); // not queued: the next request queues the changes again
            applied.completeExceptionally(e);
        }
    }

    /** Whether the message belongs in its session's lane (the rest, state transfer say, goes as Tomcat sends it). */
    static boolean isPerSession(int eventType) {
        return eventType == SessionMessage.EVT_SESSION_CREATED || eventType == SessionMessage.EVT_SESSION_EXPIRED
                || eventType == SessionMessage.EVT_CHANGE_SESSION_ID;
    }

    /** Queues a per-session message; a creation is remembered by its session, a rename waits for the peers. */
    void send(OrderedSender sender, SessionMessage msg, RouteSession session) {
        CompletableFuture<Void> applied;
        try {
            applied = sender.send(msg);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            applied = CompletableFuture.failedFuture(e);
        }
        if (msg.getEventType() == SessionMessage.EVT_SESSION_CREATED) {
            if (session != null) {
                session.creationSent(applied);
            }
        } else if (msg.getEventType() == SessionMessage.EVT_CHANGE_SESSION_ID) {
            // The new id may hash to another lane: its later messages must not overtake the rename.
            awaitLogin(applied, msg.getSessionID());
        }
    }

    private void awaitLogin(CompletableFuture<Void> applied, String sessionId) {
        String problem = OrderedSender.await(applied, manager.getAckTimeout());
        if (problem == null) {
            acknowledged.incrementAndGet();
        } else {
            notAcknowledged.incrementAndGet();
            log.warn(sm.getString("routeManager.loginNotAcknowledged", manager.getName(), sessionId, problem));
        }
    }
}
