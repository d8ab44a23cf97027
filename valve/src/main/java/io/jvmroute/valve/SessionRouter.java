package io.jvmroute.valve;

import io.jvmroute.route.ParsedId;
import io.jvmroute.route.SessionId;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.catalina.Context;
import org.apache.catalina.Manager;
import org.apache.catalina.connector.Request;
import org.apache.catalina.ha.ClusterManager;
import org.apache.catalina.session.PersistentManagerBase;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * The valve's work on one request, once the valve has a usable local route:
 * <ol>
 *   <li>A local-route id whose session is here, on a node that is not draining, passes at the cost of one
 *       map lookup.</li>
 *   <li>Otherwise, under the user's lock: find the session (also under an earlier id), plan, rename
 *       cluster-wide if the plan says so, and point the request at the session's current id. The request
 *       then holds the Session object itself, so a rename arriving from a peer a moment later cannot leave
 *       the application without its session.</li>
 * </ol>
 */
final class SessionRouter {

    /** Request attribute with the id the client sent, when it changed (same name as Tomcat's valve uses). */
    static final String ORIGINAL_ID_ATTRIBUTE = "org.apache.catalina.ha.session.JvmRouteOriginalSessionID";

    private static final Log log = LogFactory.getLog(SessionRouter.class);
    private static final StringManager sm = StringManager.getManager(SessionRouter.class);

    private final JvmRouteValve valve;
    private final String localRoute;
    private final ClusterMembership membership;
    private final ValveCounters counters;
    private final StripedLocks locks = new StripedLocks(256);

    SessionRouter(JvmRouteValve valve, String localRoute, ClusterMembership membership, ValveCounters counters) {
        this.valve = valve;
        this.localRoute = localRoute;
        this.membership = membership;
        this.counters = counters;
    }

    void route(Request request) {
        String requested = request.getRequestedSessionId();
        Context context = request.getContext();
        Manager manager = context == null ? null : context.getManager();
        if (requested == null || manager == null || !sharesSessions(context, manager)
                || !(SessionId.parse(requested) instanceof ParsedId.Usable usable)) {
            return;
        }
        SessionId requestedId = usable.sessionId();
        boolean draining = valve.isDraining();
        if (!draining && requestedId.hasRoute(localRoute) && SessionLocator.find(manager, requested) != null) {
            return;
        }
        String failoverRoute = trustedFailoverRoute(request);
        ReentrantLock lock = locks.forKey(requestedId.base());
        lock.lock();
        try {
            ClusterView view = membership.view();
            List<String> candidates = membership.candidateRoutes(view);
            boolean replicated = manager instanceof ClusterManager;
            SessionLocator.Found found = SessionLocator.locate(manager, requestedId, candidates);
            if (found == null && replicated) {
                // A rename replicated from a peer runs on the cluster's thread, outside this lock; if the first
                // pass fell into its remove-then-add gap, the second finds the session under its new id. (Not
                // for a PersistentManager: each miss there is a Store load, and nothing renames behind us.)
                found = SessionLocator.locate(manager, requestedId, candidates);
            }
            if (found == null) {
                return;
            }
            RoutePlanner.Plan plan = new RoutePlanner(localRoute, valve.policy())
                    .plan(found.id(), view, draining, replicated, failoverRoute);
            if (plan.renames()) {
                rename(manager, found, plan);
            } else if (!found.underRequestedId()) {
                counters.oldIdHits.increment();
            }
            serve(request, found, plan.target());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Only sessions another node may also hold can arrive with a foreign route: replicated ones, and those
     * of a PersistentManager sharing a store (as Tomcat's own valve).
     */
    private static boolean sharesSessions(Context context, Manager manager) {
        return context.getDistributable() || manager instanceof PersistentManagerBase;
    }

    /** The route named by the failover header if a trusted proxy sent it; an untrusted one is counted. */
    private String trustedFailoverRoute(Request request) {
        String value = request.getHeader(valve.getFailoverHeader());
        if (value == null || value.isBlank()) {
            return null;
        }
        String peer = request.getPeerAddr();
        if (peer != null && valve.trustedProxyPattern().matcher(peer).matches()) {
            return value.trim();
        }
        counters.refusals.increment();
        if (log.isDebugEnabled()) {
            log.debug(sm.getString("jvmRouteValve.untrustedHeader", valve.getFailoverHeader(), peer));
        }
        return null;
    }

    /** Cluster-wide: DeltaManager and BackupManager carry {@code changeSessionId} to the peers. */
    private void rename(Manager manager, SessionLocator.Found found, RoutePlanner.Plan plan) {
        manager.changeSessionId(found.session(), plan.target().toString());
        if (plan.action() == RoutePlanner.Action.MIGRATE) {
            counters.migrations.increment();
        } else {
            counters.renames.increment();
        }
        if (log.isDebugEnabled()) {
            log.debug(sm.getString("jvmRouteValve.renamed", found.id(), plan.target(), plan.action()));
        }
    }

    /**
     * Points the request at the session's current id: {@code Request.changeSessionId} sets the new cookie
     * (as the context configures it) when cookies are on; {@code encodeURL} uses the session's own id.
     * Then fetches the session into the request, which keeps it for the rest of the request.
     */
    private static void serve(Request request, SessionLocator.Found found, SessionId current) {
        String requested = request.getRequestedSessionId();
        if (!current.toString().equals(requested)) {
            request.changeSessionId(current.toString());
            request.setAttribute(ORIGINAL_ID_ATTRIBUTE, requested);
        }
        FormAuthNote.follow(found.session(), current);
        request.getSessionInternal(false);
    }
}
