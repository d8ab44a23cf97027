package io.jvmroute.valve;

import io.jvmroute.route.SessionId;
import java.util.Objects;

/**
 * Decides, for a session found while serving a request, whether it keeps its id or is renamed cluster-wide,
 * and to which route. Pure: no Tomcat objects, so every rule is tested directly.
 *
 * <ol>
 *   <li>Local route: kept, unless this node drains and the session is replicated; then it migrates to an
 *       active peer so the user's next request goes there.</li>
 *   <li>Foreign route (or none): {@code never} keeps it; {@code always} takes it over; {@code failover}
 *       takes it over only when the route's node is not known as active, or a trusted balancer header says
 *       it failed over from exactly that route. A live node's user keeps their cookie.</li>
 *   <li>Taking over while draining sends the session straight to an active peer rather than here.</li>
 * </ol>
 */
final class RoutePlanner {

    /** What happens to the session's id. */
    enum Action { KEEP, TAKE_OVER, MIGRATE }

    /**
     * The decision.
     *
     * @param action what happens
     * @param target the id the session has after it (the current id when kept)
     */
    record Plan(Action action, SessionId target) {
        Plan {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(target, "target");
        }

        boolean renames() {
            return action != Action.KEEP;
        }
    }

    private final String localRoute;
    private final RewritePolicy policy;

    RoutePlanner(String localRoute, RewritePolicy policy) {
        this.localRoute = Objects.requireNonNull(localRoute, "localRoute");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * @param current       the session's current id
     * @param view          the cluster's routes and states
     * @param draining      whether this node is draining
     * @param replicated    whether the session's manager replicates it to peers (only then may it migrate)
     * @param failoverRoute the route a trusted balancer says it failed over from, or {@code null}
     */
    Plan plan(SessionId current, ClusterView view, boolean draining, boolean replicated, String failoverRoute) {
        String peer = draining && replicated ? view.pickActiveRoute(current.base(), localRoute) : null;
        if (current.hasRoute(localRoute)) {
            return peer == null ? keep(current) : new Plan(Action.MIGRATE, current.withRoute(peer));
        }
        if (!takesOver(current, view, failoverRoute)) {
            return keep(current);
        }
        return new Plan(Action.TAKE_OVER, current.withRoute(peer == null ? localRoute : peer));
    }

    private boolean takesOver(SessionId current, ClusterView view, String failoverRoute) {
        return switch (policy) {
            case NEVER -> false;
            case ALWAYS -> true;
            case FAILOVER -> !current.hasRoute()
                    || view.status(current.route()) != ClusterView.RouteStatus.ACTIVE
                    || current.route().equals(failoverRoute);
        };
    }

    private static Plan keep(SessionId current) {
        return new Plan(Action.KEEP, current);
    }
}
