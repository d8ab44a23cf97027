package io.jvmroute.balancer;

import io.jvmroute.balancer.proxy.ProxyRuntime;
import io.jvmroute.balancer.routing.WorkerState;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Finds hung workers: a node whose TCP stack still accepts but which answers nothing (a long GC pause, a
 * deadlock, a frozen VM). Dead nodes are found by a refused connect; hung ones would hold every request sent to
 * them until {@code response_timeout} and keep their sticky users waiting that long.
 *
 * <p>The signal: a worker with requests in flight that has sent nothing (no response part, no request ended)
 * for {@code health.stall_after} is <em>suspect</em>. A suspect worker gets a health check at once; if that
 * check (or a regular one) gets no good answer within {@code health.timeout} while the worker is still
 * suspect, the worker is hung: it is marked down at once (not after {@code fall} checks), so its sticky users
 * fail over like a dead node's, and every request still waiting on it fails now, so that idempotent ones are
 * retried elsewhere and the others answered at once instead of after {@code response_timeout}. A slow request
 * on a worker that answers its health check is left alone: both signals are needed. So is a worker whose peers
 * are all silent too: that is overload or a cold start, where moving requests would only add load.
 *
 * <p>Looks every {@value #TICK_MILLIS} ms (a few volatile reads per worker); runs on the health checker's
 * event loop, so its own state needs no lock.
 */
final class HangDetector {

    /** The failure given to the requests waiting on a hung worker (its message is what they report). */
    static final class WorkerHungException extends Exception {
        WorkerHungException(String message) {
            super(message, null, false, false);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(HangDetector.class);
    private static final long TICK_MILLIS = 100;

    private final EventLoop loop;
    private final Supplier<ProxyRuntime> runtimes;
    /** Runs one health check of a worker; the future succeeds with its result when the answer was good. */
    private final BiFunction<ProxyRuntime, WorkerState, Future<String>> check;
    /** Workers with a check of ours under way: one at a time each. */
    private final Set<WorkerState> checking = new HashSet<>();
    private ScheduledFuture<?> task;

    HangDetector(EventLoop loop, Supplier<ProxyRuntime> runtimes, BiFunction<ProxyRuntime, WorkerState, Future<String>> check) {
        this.loop = loop;
        this.runtimes = runtimes;
        this.check = check;
    }

    void start() {
        task = loop.scheduleWithFixedDelay(this::look, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    private void look() {
        ProxyRuntime rt = runtimes.get();
        long now = System.nanoTime();
        for (WorkerState w : rt.router().workers()) {
            if (suspect(rt, w, now) && checking.add(w)) {
                check.apply(rt, w).addListener(f -> {
                    checking.remove(w);
                    if (f.isSuccess()) {
                        w.answered(); // alive: a slow request, not a hung node
                    } // a failed check comes to checkFailed through the health checker, as every check does
                });
            }
        }
    }

    /** Requests are in flight and the worker has sent nothing for {@code health.stall_after}. */
    private static boolean suspect(ProxyRuntime rt, WorkerState w, long now) {
        return w.isUp() && w.inFlight() > 0 && w.silentNanos(now) > rt.settings().healthStallAfter().toNanos();
    }

    /**
     * Whether some other worker could take the requests and is answering: when every worker is silent the
     * cluster is overloaded (or warming up), not one node hung, and moving requests around would only add load.
     */
    private static boolean anotherAnswers(ProxyRuntime rt, WorkerState hung, long now) {
        for (WorkerState w : rt.router().workers()) {
            if (w != hung && w.usableForNew() && !suspect(rt, w, now)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A health check of {@code w} got no good answer (ours or a regular one): if requests are stalled on it
     * meanwhile, it is hung. Called on the health checker's loop.
     */
    void checkFailed(ProxyRuntime rt, WorkerState w, String result) {
        long now = System.nanoTime();
        if (!suspect(rt, w, now) || !anotherAnswers(rt, w, now)) {
            return;
        }
        String why = "hung: " + w.inFlight() + " request(s) waiting, nothing received for "
                + w.silentNanos(now) / 1_000_000 + " ms, health check: " + result;
        w.markDown(why);
        LOG.warn("worker {} is down: {}; its waiting requests go elsewhere", w.name(), why);
        rt.pools().abortWaiting(w, new WorkerHungException("worker " + w.name() + " is " + why));
    }
}
