package io.jvmroute.replication;

import java.io.IOException;
import java.security.Principal;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.catalina.ha.session.DeltaRequest;
import org.apache.catalina.ha.session.DeltaSession;

/**
 * A {@link DeltaSession} that remembers whether the current request logged its user in, so that
 * {@link RouteManager} can hold the response until the peers have applied that change.
 *
 * <p>Only local changes count ({@code addDeltaRequest == true}); changes applied from a peer's delta do not.
 */
final class RouteSession extends DeltaSession {

    private static final long serialVersionUID = 1L;

    private final transient RouteManager routeManager;
    /**
     * Whether the peers have this session. Only a login-only manager creates sessions that have not been
     * replicated; their changes accumulate in the delta request until the login sends the whole session.
     */
    private transient volatile boolean replicated = true;
    /** Set by the request thread that makes a login change, taken by the one that completes the request. */
    private transient volatile boolean loginPending;
    /** The replication of this session's creation, until a request has waited for it. */
    private transient volatile CompletableFuture<Void> creation;
    /** The delta queued in its lane and not yet produced, which later changes join; guarded by itself. */
    private final transient Object queuedDeltaLock = new Object();
    private transient CompletableFuture<Void> queuedDelta;

    /**
     * The {@code isNew} the peers were last given ({@code null}: not known here), so that Tomcat's
     * {@code setNew(false)} on every request that joins the session does not add the same action to every delta.
     */
    private transient volatile Boolean peersNew;

    RouteSession(RouteManager manager) {
        super(manager);
        this.routeManager = manager;
    }

    @Override
    public void setPrincipal(Principal principal, boolean addDeltaRequest) {
        super.setPrincipal(principal, addDeltaRequest);
        if (addDeltaRequest) {
            loginPending = true;
        }
    }

    @Override
    public void setAuthType(String authType, boolean addDeltaRequest) {
        super.setAuthType(authType, addDeltaRequest);
        if (addDeltaRequest) {
            loginPending = true;
        }
    }

    @Override
    public void setNew(boolean isNew, boolean addDeltaRequest) {
        Boolean told = peersNew;
        boolean record = addDeltaRequest && (told == null || told.booleanValue() != isNew);
        super.setNew(isNew, record);
        if (record || !addDeltaRequest) {
            // Recorded: the peers get it with the next delta. Not to be recorded: applied from the primary's
            // delta, which every peer got alike.
            peersNew = Boolean.valueOf(isNew);
        }
    }

    @Override
    public void setAttribute(String name, Object value, boolean notify, boolean addDeltaRequest) {
        super.setAttribute(name, value, notify, addDeltaRequest);
        if (addDeltaRequest && routeManager.isLoginAttribute(name)) {
            loginPending = true;
        }
    }

    /** Every delta request of this session writes the compact format (see {@link CompactDeltaOutput}). */
    @Override
    protected DeltaRequest createRequest(String sessionId, boolean recordAllActions) {
        return new RouteDeltaRequest(sessionId, recordAllActions);
    }

    /**
     * Applies a peer's delta: the compact format without a Java serialization stream unless a value needs one,
     * the stock format as {@link DeltaSession} does. As there, everything is read (and checked against the
     * allow-list) before anything is applied, so a refused class applies nothing.
     */
    @Override
    protected void deserializeAndExecuteDeltaRequest(byte[] delta) throws IOException, ClassNotFoundException {
        if (!CompactDeltaInput.isCompact(delta)) {
            super.deserializeAndExecuteDeltaRequest(delta);
            return;
        }
        DeltaRequest request = routeManager.takeDeltaRequest();
        try {
            try (CompactDeltaInput in = new CompactDeltaInput(delta, routeManager::getReplicationStream)) {
                request.readExternal(in);
            }
            diffLock.lock();
            try {
                // A backup has no changes of its own to send: as DeltaSession swaps in the peer's request.
                resetDeltaRequest();
                request.execute(this, routeManager.isNotifyListenersOnReplication());
                setPrimarySession(false);
            } finally {
                diffLock.unlock();
            }
        } finally {
            routeManager.recycle(request);
        }
    }

    @Override
    public void expire(boolean notify, boolean notifyCluster) {
        super.expire(notify, notifyCluster && replicated);
    }

    boolean isReplicated() {
        return replicated;
    }

    void setReplicated(boolean replicated) {
        this.replicated = replicated;
    }

    /** Whether a login change happened since the last call; resets it. */
    boolean takeLoginPending() {
        boolean pending = loginPending;
        loginPending = false;
        return pending;
    }

    /**
     * The queued delta that this request's changes join, or a new one handed to {@code enqueue}. A delta is
     * joinable until its lane calls {@link #deltaProduced()} just before it serializes the changes.
     */
    CompletableFuture<Void> joinQueuedDelta(Consumer<CompletableFuture<Void>> enqueue) {
        CompletableFuture<Void> created;
        synchronized (queuedDeltaLock) {
            if (queuedDelta != null) {
                return queuedDelta;
            }
            created = new CompletableFuture<>();
            queuedDelta = created;
        }
        // Outside the lock: a full lane blocks here, and that lane may be about to produce this session's delta.
        enqueue.accept(created);
        return created;
    }

    void deltaProduced() {
        synchronized (queuedDeltaLock) {
            queuedDelta = null;
        }
    }

    void creationSent(CompletableFuture<Void> replicated) {
        this.creation = replicated;
    }

    /** The replication of this session's creation if nobody has waited for it yet; resets it. */
    CompletableFuture<Void> takeCreation() {
        CompletableFuture<Void> pending = creation;
        creation = null;
        return pending;
    }
}
