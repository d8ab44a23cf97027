package io.jvmroute.valve;

import io.jvmroute.membership.MemberPayload;
import io.jvmroute.membership.MemberState;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.apache.catalina.ha.CatalinaCluster;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.ManagedChannel;
import org.apache.catalina.tribes.Member;

/**
 * Changes fields of this node's published membership payload and announces it: the valve's state (when the
 * valve owns it) and its front addresses (always the valve's: it knows the connectors). Fields another publisher
 * set (a fingerprint) stay as they were.
 */
final class LocalPayload {

    private LocalPayload() {
    }

    /**
     * Sets the payload through the membership service (multicast re-announces it) and on the local member
     * itself: {@code StaticMembershipService.setPayload} is a no-op, but its pings carry the local member,
     * and peers copy a pinged member's payload. A heartbeat then announces it at once (static membership
     * pings only on the channel's heartbeat, every 5 s by default): peers learn of a change without delay.
     *
     * @param cluster the cluster, or {@code null} when the node runs without one
     * @param initial the state to publish when nothing was published for this route yet
     * @return whether there was a membership to publish on
     */
    static boolean update(CatalinaCluster cluster, String route, MemberState initial, UnaryOperator<MemberPayload> change) {
        Channel channel = cluster == null ? null : cluster.getChannel();
        if (channel == null) {
            return false;
        }
        Member current = channel.getLocalMember(false);
        MemberPayload published = current == null ? null : MemberPayload.decode(current.getPayload()).payloadOrNull();
        MemberPayload base = published != null && published.route().equals(route) ? published : MemberPayload.of(route, initial);
        byte[] bytes = change.apply(base).encode();
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
