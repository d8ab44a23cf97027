package io.jvmroute.valve;

import io.jvmroute.membership.MemberState;
import io.jvmroute.membership.NodeState;
import org.apache.catalina.ha.CatalinaCluster;

/**
 * This node's state when its cluster does not own it (a stock {@code SimpleTcpCluster}, or none): the valve then
 * publishes its route and state in the Tribes membership payload itself, where peers' valves and the balancer
 * read them. Under jvmroute's {@code RouteCluster} the valve uses the cluster's {@link NodeState} instead, so one
 * owner publishes and a drain started anywhere is seen everywhere.
 */
final class ValveNodeState implements NodeState {

    private final CatalinaCluster cluster;
    private final String route;
    private volatile MemberState state;

    /** @param cluster the cluster, or {@code null} when the node runs without one */
    ValveNodeState(CatalinaCluster cluster, String route, MemberState initial) {
        this.cluster = cluster;
        this.route = route;
        this.state = initial;
    }

    @Override
    public MemberState state() {
        return state;
    }

    /** Publishes the new state with the node's other fields unchanged ({@link LocalPayload}). */
    @Override
    public boolean changeState(MemberState newState) {
        this.state = newState;
        return LocalPayload.update(cluster, route, newState, published -> published.withState(newState));
    }
}
