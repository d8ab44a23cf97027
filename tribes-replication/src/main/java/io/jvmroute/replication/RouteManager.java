package io.jvmroute.replication;

import io.jvmroute.replication.secure.ReceiveGuard;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.util.List;
import java.util.Set;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Session;
import org.apache.catalina.ha.ClusterManager;
import org.apache.catalina.ha.ClusterMessage;
import org.apache.catalina.ha.session.DeltaManager;
import org.apache.catalina.ha.session.DeltaRequest;
import org.apache.catalina.ha.session.DeltaSession;
import org.apache.catalina.ha.session.SessionMessage;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.io.ReplicationStream;
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

    private final SettingCheck settings = new SettingCheck();
    private volatile Set<String> loginAttributes = Set.of();
    private volatile boolean loginOnly;
    private volatile long ackTimeoutMillis = 10_000;
    private volatile int stateTransferRetries = 30;

    private final LoginSending sending = new LoginSending(this);
    private final PendingDeltas pending = new PendingDeltas(this::getName);
    private final StateTransfer stateTransfer = new StateTransfer();

    public RouteManager() {
        // State transfer in batches, each acknowledged after the receiver applied it (DeltaManager sends batches
        // with synchronized acks): memory stays bounded on both sides. No pause between batches: the ack paces.
        setSendAllSessions(false);
        setSendAllSessionsSize(500);
        setSendAllSessionsWaitTime(0);
    }

    // ------------------------------------------------------------- Properties (README.md, "RouteManager")

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

    public void setAckTimeout(String millis) {
        this.ackTimeoutMillis = settings.number("ackTimeout", millis, 1, Long.MAX_VALUE, "at least 1 ms",
                ackTimeoutMillis);
    }

    public int getStateTransferRetries() {
        return stateTransferRetries;
    }

    public void setStateTransferRetries(String retries) {
        this.stateTransferRetries = settings.integer("stateTransferRetries", retries, 0, Integer.MAX_VALUE,
                "0 or more", stateTransferRetries);
    }

    /** The first refused attribute value as one line, or {@code null}. */
    String settingsProblem() {
        return settings.firstProblem();
    }

    // ------------------------------------------------------------- Counters (JMX, read-only)

    public int getStateTransferReceived() {
        return stateTransfer.received();
    }

    public int getStateTransferAnnounced() {
        return stateTransfer.announced();
    }

    public long getLoginsAcknowledged() {
        return sending.acknowledged();
    }

    public long getLoginsNotAcknowledged() {
        return sending.notAcknowledged();
    }

    public int getPendingDeltas() {
        return pending.size();
    }

    // ------------------------------------------------------------- Lifecycle

    @Override
    protected void startInternal() throws LifecycleException {
        String refused = settings.firstProblem();
        if (refused != null) {
            // A manager is named by its cluster; one nested in a Context without a cluster goes by the context's.
            String name = getName() != null ? getName() : getContext().getName();
            log.error(sm.getString("routeManager.startFailed", name, refused));
            throw new LifecycleException(refused);
        }
        super.startInternal();
    }

    // ------------------------------------------------------------- Sending (LoginSending)

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
        sending.requestCompleted(sender, session, sessionId, id -> (SessionMessage) super.requestCompleted(id, false));
        // Sent by the lane, in order; the ReplicationValve has nothing left to send.
        return null;
    }

    /** A login-only session's creation, sent when it logs in. */
    void sendCreation(RouteSession session) {
        sendCreateSession(session.getIdInternal(), session);
    }

    @Override
    protected void send(SessionMessage msg) {
        OrderedSender sender = sender();
        if (sender == null || !LoginSending.isPerSession(msg.getEventType())) {
            super.send(msg);
            return;
        }
        RouteSession created = msg.getEventType() == SessionMessage.EVT_SESSION_CREATED
                && findSessionQuietly(msg.getSessionID()) instanceof RouteSession session ? session : null;
        sending.send(sender, msg, created);
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
        ReceiveGuard guard = guard();
        ReplicationStream stream = super.getReplicationStream(data, offset, length);
        return guard == null ? stream : guard.filter(stream);
    }

    /** A message whose data the allow-list refuses drops its session here (see {@link ReceiveGuard}). */
    @Override
    protected void messageReceived(SessionMessage msg, Member sender) {
        ReceiveGuard guard = guard();
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

    /** The allow-list of a RouteCluster's manager; {@code null} in another cluster. */
    private ReceiveGuard guard() {
        return cluster instanceof RouteCluster routeCluster ? routeCluster.secureReplication().guard() : null;
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
        pending.apply(sessionId, this::isKnown, (held, sender) -> super.handleSESSION_DELTA(held, sender));
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
        pending.expire(System.currentTimeMillis());
    }

    // ------------------------------------------------------------- State transfer

    /** Asks for the sessions, and again while the peer's context is not up yet ({@link StateTransfer#fetch}). */
    @Override
    public synchronized void getAllClusterSessions() {
        stateTransfer.fetch(getName(), stateTransferRetries, () -> {
            setNoContextManagerReceived(false);
            super.getAllClusterSessions();
        }, () -> cluster == null || cluster.getMembers().length == 0, this::getStateTransferred,
                this::isNoContextManagerReceived);
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
        List<Session> sendable = StateTransfer.sendable(findSessions());
        long snapshotTime = System.currentTimeMillis();
        log.info(sm.getString("routeManager.stateSending", getName(), Integer.valueOf(sendable.size()),
                PeerMetrics.nameOf(sender)));
        int batchSize = getSendAllSessionsSize();
        for (int from = 0; from < sendable.size(); from += batchSize) {
            List<Session> batch = sendable.subList(from, Math.min(from + batchSize, sendable.size()));
            sendSessions(sender, batch.toArray(new Session[0]), snapshotTime);
        }
        cluster.send(StateTransfer.completeMessage(getName(), sendable.size(), snapshotTime), sender,
                RouteCluster.ORDERED_SEND_OPTIONS);
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
        try (ObjectInputStream in = getReplicationStream(data)) {
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
