package io.jvmroute.balancer.admin;

import io.jvmroute.balancer.routing.RecentActivity;
import io.jvmroute.balancer.routing.SessionSightings;
import io.jvmroute.balancer.routing.WorkerState;

/**
 * A worker's last minutes, copied once per page: counts per {@code slotSeconds} slot (oldest first) of
 * requests, errors and sticky requests (requests whose session route names this worker, wherever they
 * were served), and the different sessions seen per minute (oldest first, the last one the current,
 * still filling minute), which is what falls to zero while the worker drains.
 *
 * @param sessions         different sessions over all the minutes kept
 * @param sessionsAtLeast  true when there were too many to count: {@code sessions} is a lower bound
 */
public record WorkerTrend(int slotSeconds, long[] requests, long[] errors, long[] sticky, long[] sessionsPerMinute,
                          long sessions, boolean sessionsAtLeast) {

    /** No history (a worker built by hand, as in tests). */
    public static final WorkerTrend NONE = new WorkerTrend(RecentActivity.SLOT_SECONDS, new long[0], new long[0],
            new long[0], new long[0], 0, false);

    static WorkerTrend of(WorkerState w, long nanoTime) {
        RecentActivity r = w.recent();
        SessionSightings s = w.sessions();
        long[] perMinute = new long[SessionSightings.MINUTES];
        for (int ago = 0; ago < perMinute.length; ago++) {
            perMinute[perMinute.length - 1 - ago] = s.minute(ago, nanoTime).sessions();
        }
        SessionSightings.Estimate all = s.lastMinutes(nanoTime);
        return new WorkerTrend(RecentActivity.SLOT_SECONDS, r.completedSlots(RecentActivity.REQUESTS, nanoTime),
                r.completedSlots(RecentActivity.ERRORS, nanoTime), r.completedSlots(RecentActivity.STICKY, nanoTime),
                perMinute, all.sessions(), all.atLeast());
    }

    /** Requests per second in the last complete slot. */
    double requestsPerSecondNow() {
        return last(requests) / (double) slotSeconds;
    }

    /** Sticky requests per second in the last complete slot. */
    double stickyPerSecondNow() {
        return last(sticky) / (double) slotSeconds;
    }

    long errorsInWindow() {
        long sum = 0;
        for (long e : errors) {
            sum += e;
        }
        return sum;
    }

    /** Minutes covered by the slots. */
    int windowMinutes() {
        return requests.length * slotSeconds / 60;
    }

    private static long last(long[] a) {
        return a.length == 0 ? 0 : a[a.length - 1];
    }
}
