package io.jvmroute.valve;

import io.jvmroute.membership.MemberPayload;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.catalina.ha.CatalinaCluster;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.MembershipListener;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * What the valve knows about the cluster: a fresh {@link ClusterView} on demand, and the routes seen since
 * start. The latter let an old id be found after its route's node has left: a session renamed away from
 * {@code ABC.n1} to {@code ABC.n2} is still found as {@code ABC.n2} when n2 is gone too. The set is bounded
 * ({@value #MAX_REMEMBERED_ROUTES} routes, oldest dropped): memory does not grow with sessions or requests.
 */
final class ClusterMembership implements MembershipListener {

    static final int MAX_REMEMBERED_ROUTES = 64;

    private static final Log log = LogFactory.getLog(ClusterMembership.class);
    private static final StringManager sm = StringManager.getManager(ClusterMembership.class);

    private final CatalinaCluster cluster;
    private final String localRoute;
    /** Insertion-ordered; guarded by itself. */
    private final LinkedHashSet<String> seenRoutes = new LinkedHashSet<>();

    /** @param cluster the cluster, or {@code null} when the node runs without one */
    ClusterMembership(CatalinaCluster cluster, String localRoute) {
        this.cluster = cluster;
        this.localRoute = localRoute;
    }

    /** The members' routes and states now; remembers their routes. */
    ClusterView view() {
        if (cluster == null) {
            return ClusterView.EMPTY;
        }
        ClusterView view = ClusterView.fromMembers(cluster.getMembers());
        for (String route : view.routes()) {
            remember(route);
        }
        return view;
    }

    /** The valid payloads of the live members (not this node), as they publish them now. */
    List<MemberPayload> payloads() {
        List<MemberPayload> payloads = new ArrayList<>();
        if (cluster != null) {
            for (Member member : cluster.getMembers()) {
                MemberPayload.decode(member.getPayload()).payload().ifPresent(payloads::add);
            }
        }
        return payloads;
    }

    /** The settings fingerprint this node publishes (its cluster's, under RouteCluster), or the empty string. */
    String localFingerprint() {
        Member local = cluster == null || cluster.getChannel() == null ? null : cluster.getChannel().getLocalMember(false);
        MemberPayload payload = local == null ? null : MemberPayload.decode(local.getPayload()).payloadOrNull();
        return payload == null ? "" : payload.fingerprint();
    }

    /**
     * Routes under which a session may now live, most likely first: this node's (a failover onto it), the
     * live members', then those seen earlier.
     */
    List<String> candidateRoutes(ClusterView view) {
        LinkedHashSet<String> routes = new LinkedHashSet<>();
        routes.add(localRoute);
        view.routes().forEach(routes::add);
        synchronized (seenRoutes) {
            routes.addAll(seenRoutes);
        }
        return new ArrayList<>(routes);
    }

    void remember(String route) {
        synchronized (seenRoutes) {
            seenRoutes.remove(route);
            seenRoutes.add(route);
            if (seenRoutes.size() > MAX_REMEMBERED_ROUTES) {
                Iterator<String> oldest = seenRoutes.iterator();
                oldest.next();
                oldest.remove();
            }
        }
    }

    /**
     * Remembers a joining member's route, so it stays a candidate after the member has left; warns when the
     * member claims this node's own route (two Engines with one jvmRoute steal each other's users).
     */
    @Override
    public void memberAdded(Member member) {
        MemberPayload payload = MemberPayload.decode(member.getPayload()).payloadOrNull();
        if (payload == null) {
            return;
        }
        if (payload.route().equals(localRoute)) {
            log.warn(sm.getString("jvmRouteValve.duplicateRoute", localRoute, member.getName()));
        }
        remember(payload.route());
    }

    @Override
    public void memberDisappeared(Member member) {
        // The route stays remembered: old ids carrying it must keep working.
    }
}
