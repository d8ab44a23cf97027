package io.jvmroute.balancer.routing;

import io.jvmroute.config.Activation;
import io.jvmroute.config.WorkerDef;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live state of one worker, shared by every event loop, the health checker and the admin page:
 * its activation, whether it is up, and its counters. Thread-safe; nothing here blocks.
 *
 * <p>"Up" is the health verdict: passive detection (a refused connect, a {@code fail_on_status}) takes a
 * worker down at once; the active health check brings it back after {@code rise} good checks and takes it
 * down after {@code fall} bad ones.
 */
public final class WorkerState {

    private final WorkerDef def;
    private volatile Activation activation;
    private volatile boolean up = true;
    private final AtomicInteger consecutiveGood = new AtomicInteger();
    private final AtomicInteger consecutiveBad = new AtomicInteger();
    private volatile long lastCheckMillis;
    private volatile String lastCheckResult = "not yet";
    /** When {@link #up} last changed (or the worker was created), wall clock: "down for 2 min". */
    private volatile long upSinceMillis = System.currentTimeMillis();
    /** When {@link #activation} last changed (or the worker was created), wall clock: "draining for 3 min". */
    private volatile long activationSinceMillis = upSinceMillis;
    private final RecentActivity recent = new RecentActivity();
    private final SessionSightings sessions = new SessionSightings();

    /** mod_jk's lb_value: grows by {@code lbMultiplier} each time this worker is charged for a request. */
    final AtomicLong lbValue = new AtomicLong();
    long lbMultiplier = 1;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger relayed = new AtomicInteger();
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder failovers = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LatencyHistogram latency = new LatencyHistogram();

    public WorkerState(WorkerDef def) {
        this.def = def;
        this.activation = def.activation();
    }

    public WorkerDef def() {
        return def;
    }

    public String name() {
        return def.name();
    }

    public String route() {
        return def.route();
    }

    public Activation activation() {
        return activation;
    }

    public void activation(Activation newActivation) {
        if (newActivation != activation) {
            activationSinceMillis = System.currentTimeMillis();
        }
        activation = newActivation;
    }

    /** Wall-clock time of the last activation change (or of the worker's creation). */
    public long activationSinceMillis() {
        return activationSinceMillis;
    }

    /** Wall-clock time the worker last went up or down (or was created). */
    public long upSinceMillis() {
        return upSinceMillis;
    }

    private void setUp(boolean newUp) {
        if (newUp != up) {
            upSinceMillis = System.currentTimeMillis();
        }
        up = newUp;
    }

    public boolean isUp() {
        return up;
    }

    /** Sticky requests may go here: not stopped and up (a disabled worker still serves its own sessions). */
    public boolean usableForSticky() {
        return up && activation != Activation.STOPPED;
    }

    /** New sessions, redirects and domain fallbacks may go here: active and up. */
    public boolean usableForNew() {
        return up && activation == Activation.ACTIVE;
    }

    /** Passive detection: a refused or timed-out connect, or a fail_on_status answer. */
    public void markDown(String why) {
        consecutiveGood.set(0);
        setUp(false);
        lastCheckResult = why;
    }

    /**
     * Records one active health check.
     *
     * @return true if this check changed whether the worker is up
     */
    public boolean recordCheck(boolean good, String result, int rise, int fall, long nowMillis) {
        lastCheckMillis = nowMillis;
        lastCheckResult = result;
        if (good) {
            consecutiveBad.set(0);
            if (!up && consecutiveGood.incrementAndGet() >= rise) {
                setUp(true);
                return true;
            }
        } else {
            consecutiveGood.set(0);
            if (up && consecutiveBad.incrementAndGet() >= fall) {
                setUp(false);
                return true;
            }
        }
        return false;
    }

    public long lastCheckMillis() {
        return lastCheckMillis;
    }

    public String lastCheckResult() {
        return lastCheckResult;
    }

    /** A request starts on this worker. */
    public void started() {
        inFlight.incrementAndGet();
        requests.increment();
        recent.record(RecentActivity.REQUESTS, System.nanoTime());
    }

    /** Request body bytes passed to this worker, counted as they go (a long upload shows progress). */
    public void requested(long bytes) {
        bytesIn.add(bytes);
    }

    /** Response body bytes passed from this worker to a client, counted as they go. */
    public void responded(long bytes) {
        bytesOut.add(bytes);
    }

    /** A request on this worker ended, successfully or not, after {@code nanos}. */
    public void finished(long nanos, boolean failed) {
        inFlight.decrementAndGet();
        if (failed) {
            errors.increment();
            recent.record(RecentActivity.ERRORS, System.nanoTime());
        } else {
            latency.record(nanos);
        }
    }

    /**
     * A request carried a session id with this worker's route (wherever it is then served): a sticky
     * request, and a sighting of that session ({@code idHash} hashes the id's base).
     */
    void stickyRequest(int idHash) {
        long now = System.nanoTime();
        recent.record(RecentActivity.STICKY, now);
        sessions.seen(idHash, now);
    }

    /** Requests, errors and sticky requests per time slot over the last minutes (the status page's charts). */
    public RecentActivity recent() {
        return recent;
    }

    /** Different sessions that asked for this worker, per minute (the sessions pointing at it). */
    public SessionSightings sessions() {
        return sessions;
    }

    /** A request that asked for this worker's route was served elsewhere. */
    public void failedOver() {
        failovers.increment();
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** A plain TCP connection was relayed to this worker (balancer.tcp.listen); {@link #relayClosed} when it ends. */
    public void relayOpened() {
        relayed.incrementAndGet();
    }

    public void relayClosed() {
        relayed.decrementAndGet();
    }

    /** Plain TCP connections relayed to this worker now (CloudStack: its agents). */
    public int relayedConnections() {
        return relayed.get();
    }

    public long requests() {
        return requests.sum();
    }

    public long errors() {
        return errors.sum();
    }

    public long failovers() {
        return failovers.sum();
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    public LatencyHistogram latency() {
        return latency;
    }

    /** Admin "reset": counters back to zero (in flight and health are facts, not counters, and stay). */
    public void resetCounters() {
        requests.reset();
        errors.reset();
        failovers.reset();
        bytesIn.reset();
        bytesOut.reset();
        latency.reset();
    }
}
