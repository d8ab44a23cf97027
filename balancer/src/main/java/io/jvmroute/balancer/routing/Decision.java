package io.jvmroute.balancer.routing;

/**
 * Where one attempt of a request goes.
 *
 * @param worker        the chosen worker, or {@code null} when the request must be refused with 503
 * @param reason        why this worker
 * @param movedFromRoute the route the request asked for when it is sent elsewhere (the value of
 *                       {@code X-JvmRoute-Failover}), or {@code null} when it goes to its own worker or had none
 */
public record Decision(WorkerState worker, Reason reason, String movedFromRoute) {

    /** Nothing usable, or {@code sticky_session_force} forbids moving the session. */
    public static Decision refused(Reason reason, String movedFromRoute) {
        return new Decision(null, reason, movedFromRoute);
    }

    public boolean refused() {
        return worker == null;
    }
}
