package io.jvmroute.replication;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.catalina.Session;
import org.apache.catalina.ha.ClusterManager;
import org.apache.catalina.ha.ClusterMessage;
import org.apache.catalina.ha.session.DeltaManager;
import org.apache.catalina.ha.session.DeltaRequest;
import org.apache.catalina.ha.session.DeltaSession;
import org.apache.catalina.ha.session.SessionMessage;
import org.apache.catalina.ha.session.SessionMessageImpl;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.io.ReplicationStream;
import io.jvmroute.replication.secure.ReceiveGuard;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * A {@link DeltaManager} that loses no login: every message of a session travels through its
 * {@link RouteCluster}'s {@link OrderedSender} lane, so no delta can overtake its session's creation or rename,
 * and a request that created a session or logged its user in (principal, auth type, or an attribute named in
 * the cluster's {@code loginAttributes}) returns only when the peers have applied it. Other changes are sent
 * without waiting.
 *
 * <p>Peers keep deltas for a session they do not know yet in {@link PendingDeltas} and apply them when the
 * session arrives (a peer with a stock, reordering channel; a creation that raced a state transfer).
 *
 * <p>Outside a {@link RouteCluster} it behaves as a stock {@link DeltaManager}.
 */
public class RouteManager extends DeltaManager {

    private static final Log log = LogFactory.getLog(RouteManager.class);
    private static final StringManager sm = StringManager.getManager(RouteManager.class);

    private volatile Set<String> loginAttributes = Set.of();
    private volatile boolean loginOnly;
    private long ackTimeoutMillis = 10_000;
    private final PendingDeltas pending = new PendingDeltas();

    private int stateTransferRetries = 30;
    private final StateTransfer stateTransfer = new StateTransfer();
    private final Object contextRetry = new Object();

    private final AtomicLong loginsAcknowledged = new AtomicLong();
    private final AtomicLong loginsNotAcknowledged = new AtomicLong();

    public RouteManager() {
        // State transfer in batches, each acknowledged after the receiver applied it (DeltaManager sends batches
        // with synchronized acks): memory stays bounded on both sides. No pause between batches: the ack paces.
        setSendAllSessions(false);
        setSendAllSessionsSize(500);
        setSendAllSessionsWaitTime(0);
    }

    // ------------------------------------------------------------- Properties

    /** Attribute names whose change counts as a login, as parsed by {@link RouteCluster#setLoginAttributes}. */
    void setLoginAttributeSet(Set<String> names) {
        this.loginAttributes = Set.copyOf(names);
    }

    /** {@code true}: sessions stay local until they log in (RouteCluster {@code replicate="login"}). */
    void setLoginOnly(boolean loginOnly) {
        this.loginOnly = loginOnly;
    }

    boolean isLoginAttribute(String name) {
        return loginAttributes.contains(name);
    }

    public long getAckTimeout() {
        return ackTimeoutMillis;
    }

    /** How long a login request waits for the peers' acknowledgement before it is answered anyway, in ms. */
    public void setAckTimeout(long ackTimeoutMillis) {
        if (ackTimeoutMillis < 1) {
            throw new IllegalArgumentException("ackTimeout: " + ackTimeoutMillis + " (expected: at least 1 ms)");
        }
        this.ackTimeoutMillis = ackTimeoutMillis;
    }

    public int getStateTransferRetries() {
        return stateTransferRetries;
    }

    /** How often (once a second) a joining node asks again while the peer's context is not up yet. */
    public void setStateTransferRetries(int retries) {
        if (retries < 0) {
            throw new IllegalArgumentException("stateTransferRetries: " + retries + " (expected: 0 or more)");
        }
        this.stateTransferRetries = retries;
    }

    /** Sessions received by the last state transfer. */
    public int getStateTransferReceived() {
        return stateTransfer.received();
    }

    /** Sessions the sender said it sent in the last state transfer, -1 if unknown. */
    public int getStateTransferAnnounced() {
        return stateTransfer.announced();
    }

    /** Requests that waited for the peers (creation, login, id change) and got their acknowledgement. */
    public long getLoginsAcknowledged() {
        return loginsAcknowledged.get();
    }

    /** Requests that waited for the peers and were answered without a complete acknowledgement. */
    public long getLoginsNotAcknowledged() {
        return loginsNotAcknowledged.get();
    }

    public int getPendingDeltas() {
        return pending.size();
    }

    // ------------------------------------------------------------- Sending

    @Override
    public Session createEmptySession() {
        return new RouteSession(this);
    }

    @Override
    public Session createSession(String sessionId, boolean distribute) {
        if (!loginOnly || !distribute) {
            return super.createSession(sessionId, distribute);
        }
        Session session = super.createSession(sessionId, false);
        ((RouteSession) session).setReplicated(false);
        return session;
    }

    @Override
    protected void sendChangeSessionId(String newSessionID, String orgSessionID) {
        if (findSessionQuietly(newSessionID) instanceof RouteSession session && !session.isReplicated()) {
            return; // the peers do not know the old id; the login will send the session under the new one
        }
        super.sendChangeSessionId(newSessionID, orgSessionID);
    }

    @Override
    public ClusterMessage requestCompleted(String sessionId, boolean expires) {
        OrderedSender sender = sender();
        if (sender == null) {
            return super.requestCompleted(sessionId, expires);
        }
        if (expires) {
            return null; // the session is going: its expiry follows in its lane, a last delta would be pointless
        }
        if (!(findSessionQuietly(sessionId) instanceof RouteSession session)) {
            return super.requestCompleted(sessionId, false);
        }
        boolean login = session.takeLoginPending();
        if (!session.isReplicated()) {
            if (!login) {
                return null; // login-only: the changes accumulate in the session's delta request
            }
            // The login sends the whole session: its creation, then everything done to it so far as one delta.
            session.setReplicated(true);
            sendCreateSession(session.getIdInternal(), session);
        }
        CompletableFuture<Void> creation = session.takeCreation();
        CompletableFuture<Void> applied = session.joinQueuedDelta(future -> enqueueDelta(sender, session, future));
        // One wait covers both: the lane applies the creation before the delta queued behind it.
        if (login || creation != null) {
            awaitLogin(applied, sessionId);
        }
        // Sent by the lane, in order; the ReplicationValve has nothing left to send.
        return null;
    }

    /** Queues the session's delta, produced by its lane when sent: under the session's id at that moment. */
    private void enqueueDelta(OrderedSender sender, RouteSession session, CompletableFuture<Void> applied) {
        try {
            sender.sendLater(session.getIdInternal(), () -> {
                session.deltaProduced();
                String id = session.getIdInternal();
                return id == null ? null : (SessionMessage) super.requestCompleted(id, false);
            }, applied);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.deltaProduced(); // not queued: the next request queues the changes again
            applied.completeExceptionally(e);
        }
    }

    @Override
    protected void send(SessionMessage msg) {
        OrderedSender sender = sender();
        if (sender == null || !isPerSession(msg.getEventType())) {
            super.send(msg);
            return;
        }
        CompletableFuture<Void> applied = enqueue(sender, msg);
        if (msg.getEventType() == SessionMessage.EVT_SESSION_CREATED) {
            if (findSessionQuietly(msg.getSessionID()) instanceof RouteSession session) {
                session.creationSent(applied);
            }
        } else if (msg.getEventType() == SessionMessage.EVT_CHANGE_SESSION_ID) {
            // The new id may hash to another lane: its later messages must not overtake the rename.
            awaitLogin(applied, msg.getSessionID());
        }
    }

    private static boolean isPerSession(int eventType) {
        return eventType == SessionMessage.EVT_SESSION_CREATED || eventType == SessionMessage.EVT_SESSION_EXPIRED
                || eventType == SessionMessage.EVT_CHANGE_SESSION_ID;
    }

    private CompletableFuture<Void> enqueue(OrderedSender sender, SessionMessage msg) {
        try {
            return sender.send(msg);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
    }

    private void awaitLogin(CompletableFuture<Void> applied, String sessionId) {
        String problem = OrderedSender.await(applied, ackTimeoutMillis);
        if (problem == null) {
            loginsAcknowledged.incrementAndGet();
        } else {
            loginsNotAcknowledged.incrementAndGet();
            log.warn(sm.getString("routeManager.loginNotAcknowledged", getName(), sessionId, problem));
        }
    }

    private OrderedSender sender() {
        return cluster instanceof RouteCluster routeCluster ? routeCluster.orderedSender() : null;
    }

    private Session findSessionQuietly(String id) {
        try {
            return findSession(id);
        } catch (IOException e) {
            return null;
        }
    }

    // ------------------------------------------------------------- Receiving

    /** Every stream this manager reads (deltas, sessions, state transfer) goes through the allow-list. */
    @Override
    public ReplicationStream getReplicationStream(byte[] data, int offset, int length) throws IOException {
        ReceiveGuard guard = cluster instanceof RouteCluster rc ? rc.secureReplication().guard() : null;
        ReplicationStream stream = super.getReplicationStream(data, offset, length);
        return guard == null ? stream : guard.filter(stream);
    }

    /** A message whose data the allow-list refuses drops its session here (see {@link ReceiveGuard}). */
    @Override
    protected void messageReceived(SessionMessage msg, Member sender) {
        ReceiveGuard guard = cluster instanceof RouteCluster rc ? rc.secureReplication().guard() : null;
        if (guard == null) {
            super.messageReceived(msg, sender);
            return;
        }
        guard.receiveSessionMessage(getName(), msg.getSessionID(), msg.getEventType() == SessionMessage.EVT_ALL_SESSION_DATA,
                () -> PeerMetrics.nameOf(sender) + " at " + PeerMetrics.addressOf(sender),
                () -> super.messageReceived(msg, sender),
                id -> {
                    if (findSessionQuietly(id) instanceof DeltaSession session) {
                        session.expire(true, false); // locally only: the peers keep their copies
                    }
                });
    }

    @Override
    protected void handleSESSION_DELTA(SessionMessage msg, Member sender) throws IOException, ClassNotFoundException {
        if (pending.holdIfUnknown(msg, sender, this::isKnown)) {
            return;
        }
        super.handleSESSION_DELTA(msg, sender);
    }

    @Override
    protected void handleSESSION_CREATED(SessionMessage msg, Member sender) {
        super.handleSESSION_CREATED(msg, sender);
        applyPending(msg.getSessionID());
    }

    @Override
    protected void handleCHANGE_SESSION_ID(SessionMessage msg, Member sender) throws IOException {
        super.handleCHANGE_SESSION_ID(msg, sender);
        applyPending(deserializeSessionId(msg.getSession()));
    }

    @Override
    protected void handleALL_SESSION_DATA(SessionMessage msg, Member sender)
            throws ClassNotFoundException, IOException {
        super.handleALL_SESSION_DATA(msg, sender);
        for (String id : pending.sessionIds()) {
            applyPending(id);
        }
    }

    private void applyPending(String sessionId) {
        for (PendingDeltas.Held held : pending.release(sessionId, this::isKnown)) {
            try {
                super.handleSESSION_DELTA(held.message(), held.sender());
            } catch (IOException | ClassNotFoundException | RuntimeException e) {
                log.error(sm.getString("routeManager.pendingFailed", getName(), sessionId), e);
            }
        }
    }

    /** A delta request to read a peer's delta into, from the manager's pool. */
    DeltaRequest takeDeltaRequest() {
        DeltaRequest request = getDeltaRequestPool().pop();
        return request != null ? request : new RouteDeltaRequest(null, isRecordAllActions());
    }

    void recycle(DeltaRequest request) {
        request.reset();
        getDeltaRequestPool().push(request);
    }

    private boolean isKnown(String sessionId) {
        return findSessionQuietly(sessionId) != null;
    }

    @Override
    public void backgroundProcess() {
        super.backgroundProcess();
        pending.expire(System.currentTimeMillis(), getName());
    }

    // ------------------------------------------------------------- State transfer

    /**
     * Asks a peer for all sessions, and asks again (once a second, {@link #setStateTransferRetries} times) while
     * the peer answers that its context is not up yet, instead of starting empty. The outcome is logged with
     * the received and announced counts; a node that did not get the whole state logs an error.
     */
    @Override
    public synchronized void getAllClusterSessions() {
        for (int attempt = 0; ; attempt++) {
            stateTransfer.reset();
            setNoContextManagerReceived(false);
            super.getAllClusterSessions();
            if (cluster == null || cluster.getMembers().length == 0) {
                return; // alone: nobody to get sessions from
            }
            if (getStateTransferred()) {
                reportStateTransfer();
                return;
            }
            if (!isNoContextManagerReceived() || attempt >= stateTransferRetries) {
                log.error(sm.getString("routeManager.noState", getName(),
                        isNoContextManagerReceived() ? "the peer's context never came up" : "no answer in time",
                        Integer.valueOf(stateTransfer.received())));
                return;
            }
            log.info(sm.getString("routeManager.stateRetry", getName(), Integer.valueOf(attempt + 1),
                    Integer.valueOf(stateTransferRetries)));
            if (!pauseBeforeRetry()) {
                return;
            }
        }
    }

    /** Waits a second (the peer's context is starting); false if interrupted. */
    private boolean pauseBeforeRetry() {
        synchronized (contextRetry) {
            try {
                contextRetry.wait(1_000);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private void reportStateTransfer() {
        int received = stateTransfer.received();
        int announced = stateTransfer.announced();
        if (announced >= 0 && received != announced) {
            log.error(sm.getString("routeManager.stateIncomplete", getName(), Integer.valueOf(received),
                    Integer.valueOf(announced)));
        } else {
            log.info(sm.getString("routeManager.stateReceived", getName(), Integer.valueOf(received),
                    Integer.valueOf(stateTransfer.batches()), Long.valueOf(stateTransfer.elapsedMillis())));
        }
    }

    /**
     * Answers a peer's request for all sessions at once, even while this manager waits for its own state.
     * DeltaManager queues the request until its own transfer ends: two contexts starting together then wait for
     * each other until both time out and start empty. Answering with what this manager holds is right: a
     * manager that is still receiving state is a newcomer, and peers ask the oldest member first.
     */
    @Override
    public void messageDataReceived(ClusterMessage cmsg) {
        if (cmsg instanceof SessionMessage msg && msg.getEventType() == SessionMessage.EVT_GET_ALL_SESSIONS) {
            messageReceived(msg, msg.getAddress());
            return;
        }
        super.messageDataReceived(cmsg);
    }

    @Override
    protected void handleGET_ALL_SESSIONS(SessionMessage msg, Member sender) throws IOException {
        // Only sessions the peers are meant to have: valid, and (login-only) logged in.
        List<Session> sendable = new ArrayList<>();
        for (Session session : findSessions()) {
            if (session.isValid() && (!(session instanceof RouteSession rs) || rs.isReplicated())) {
                sendable.add(session);
            }
        }
        long snapshotTime = System.currentTimeMillis();
        log.info(sm.getString("routeManager.stateSending", getName(), Integer.valueOf(sendable.size()),
                PeerMetrics.nameOf(sender)));
        int batchSize = getSendAllSessionsSize();
        for (int from = 0; from < sendable.size(); from += batchSize) {
            List<Session> batch = sendable.subList(from, Math.min(from + batchSize, sendable.size()));
            sendSessions(sender, batch.toArray(new Session[0]), snapshotTime);
        }
        SessionMessage complete = new SessionMessageImpl(getName(), SessionMessage.EVT_ALL_SESSION_TRANSFERCOMPLETE,
                StateTransfer.encodeCount(sendable.size()), "SESSION-STATE-TRANSFERRED",
                "SESSION-STATE-TRANSFERRED" + getName());
        complete.setTimestamp(snapshotTime);
        cluster.send(complete, sender, RouteCluster.ORDERED_SEND_OPTIONS);
    }

    @Override
    protected void handleALL_SESSION_TRANSFERCOMPLETE(SessionMessage msg, Member sender) {
        stateTransfer.completed(StateTransfer.decodeCount(msg.getSession()));
        super.handleALL_SESSION_TRANSFERCOMPLETE(msg, sender);
    }

    @Override
    protected void deserializeSessions(byte[] data) throws ClassNotFoundException, IOException {
        super.deserializeSessions(data);
        int total = stateTransfer.batchReceived(sessionCount(data));
        if (stateTransfer.batches() % 20 == 0) {
            log.info(sm.getString("routeManager.stateProgress", getName(), Integer.valueOf(total)));
        }
    }

    /** The count DeltaManager.serializeSessions writes first. */
    private int sessionCount(byte[] data) throws IOException, ClassNotFoundException {
        try (java.io.ObjectInputStream in = getReplicationStream(data)) {
            return ((Integer) in.readObject()).intValue();
        }
    }

    // ------------------------------------------------------------- Template

    @Override
    public ClusterManager cloneFromTemplate() {
        RouteManager result = new RouteManager();
        clone(result);
        result.setExpireSessionsOnShutdown(isExpireSessionsOnShutdown());
        result.setNotifySessionListenersOnReplication(isNotifySessionListenersOnReplication());
        result.setNotifyContainerListenersOnReplication(isNotifyContainerListenersOnReplication());
        result.setStateTransferTimeout(getStateTransferTimeout());
        result.setSendAllSessions(isSendAllSessions());
        result.setSendAllSessionsSize(getSendAllSessionsSize());
        result.setSendAllSessionsWaitTime(getSendAllSessionsWaitTime());
        result.setStateTimestampDrop(isStateTimestampDrop());
        result.loginAttributes = loginAttributes;
        result.loginOnly = loginOnly;
        result.stateTransferRetries = stateTransferRetries;
        result.ackTimeoutMillis = ackTimeoutMillis;
        return result;
    }
}
