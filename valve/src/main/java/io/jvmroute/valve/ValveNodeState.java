package io.jvmroute.valve;

import io.jvmroute.membership.MemberPayload;
import io.jvmroute.membership.MemberState;
import io.jvmroute.membership.NodeState;
import java.util.Arrays;
import org.apache.catalina.ha.CatalinaCluster;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.ManagedChannel;
import org.apache.catalina.tribes.Member;

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

    /**
     * Sets the payload through the membership service (multicast re-announces it) and on the local member
     * itself: {@code StaticMembershipService.setPayload} is a no-op, but its pings carry the local member,
     * and peers copy a pinged member's payload. A heartbeat then announces it at once (static membership
     * pings only on the channel's heartbeat, every 5 s by default): peers learn of a drain without delay.
     */
    @Override
    public boolean changeState(MemberState newState) {
        this.state = newState;
        Channel channel = cluster == null ? null : cluster.getChannel();
        if (channel == null) {
            return false;
        }
        Member current = channel.getLocalMember(false);
        MemberPayload published = current == null ? null : MemberPayload.decode(current.getPayload()).payloadOrNull();
        // Another publisher's fields (a fingerprint) stay; only the state is this valve's.
        MemberPayload payload = published != null && published.route().equals(route)
                ? published.withState(newState) : MemberPayload.of(route, newState);
        byte[] bytes = payload.encode();
        if (channel instanceof ManagedChannel managed && managed.getMembershipService() != null) {
            managed.getMembershipService().setPayload(bytes);
        }
        Member local = channel.getLocalMember(false);
        if (local == null) {
            return false;
        }
        if (!Arrays.equals(local.getPayload(), bytes)) {
            local.setPayload(bytes);
        }
        channel.heartbeat();
        return true;
    }
}
