package io.jvmroute.valve;

import io.jvmroute.membership.MemberPayload;
import io.jvmroute.membership.MemberState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.catalina.tribes.Member;

/**
 * An immutable snapshot of which routes the live cluster members publish and in which state, taken from
 * their Tribes membership payloads. A route that no live member publishes is {@link RouteStatus#UNKNOWN}:
 * its node is gone, never existed, or does not publish a jvmroute payload.
 */
final class ClusterView {

    /** What the cluster says about a route. */
    enum RouteStatus { ACTIVE, DRAINING, UNKNOWN }

    static final ClusterView EMPTY = new ClusterView(Map.of());

    /** Route to state, sorted by route so that peer choice is the same on every node. */
    private final Map<String, MemberState> states;
    private final List<String> activeRoutes;

    private ClusterView(Map<String, MemberState> states) {
        this.states = Collections.unmodifiableMap(new TreeMap<>(states));
        List<String> active = new ArrayList<>();
        this.states.forEach((route, state) -> {
            if (state == MemberState.ACTIVE) {
                active.add(route);
            }
        });
        this.activeRoutes = List.copyOf(active);
    }

    /** A view of these routes and states (tests, and members decoded elsewhere). */
    static ClusterView of(Map<String, MemberState> states) {
        return new ClusterView(states);
    }

    /**
     * Decodes each member's payload; members without a valid one are left out (unknown). If two members
     * claim one route (a misconfiguration), the route counts as active when either is.
     */
    static ClusterView fromMembers(Member[] members) {
        Map<String, MemberState> states = new TreeMap<>();
        for (Member member : members) {
            MemberPayload payload = MemberPayload.decode(member.getPayload()).payloadOrNull();
            if (payload != null) {
                states.merge(payload.route(), payload.state(),
                        (a, b) -> a == MemberState.ACTIVE || b == MemberState.ACTIVE ? MemberState.ACTIVE : a);
            }
        }
        return new ClusterView(states);
    }

    RouteStatus status(String route) {
        MemberState state = states.get(route);
        if (state == null) {
            return RouteStatus.UNKNOWN;
        }
        return state == MemberState.ACTIVE ? RouteStatus.ACTIVE : RouteStatus.DRAINING;
    }

    /** Every route a live member publishes, in route order. */
    Iterable<String> routes() {
        return states.keySet();
    }

    /**
     * An active route other than {@code excluded}, chosen by {@code key} so that one user always gets the
     * same peer while different users spread over all peers; {@code null} when there is none.
     */
    String pickActiveRoute(String key, String excluded) {
        List<String> candidates = new ArrayList<>(activeRoutes);
        candidates.remove(excluded);
        if (candidates.isEmpty()) {
            return null;
        }
        return candidates.get(Math.floorMod(key.hashCode(), candidates.size()));
    }

    @Override
    public String toString() {
        return states.toString();
    }
}
