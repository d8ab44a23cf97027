package io.jvmroute.valve;

import io.jvmroute.membership.MemberPayload;
import java.util.Arrays;
import org.apache.catalina.ha.CatalinaCluster;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.ManagedChannel;
import org.apache.catalina.tribes.Member;

/**
 * Publishes this node's route and state in its Tribes membership payload, where peers' valves and the
 * balancer read them. The only place the valve writes the payload, so the replication module can take the
 * job over by replacing this one class.
 */
final class PayloadPublisher {

    private PayloadPublisher() {
    }

    /**
     * Sets the payload through the membership service (multicast re-announces it) and on the local member
     * itself: {@code StaticMembershipService.setPayload} is a no-op, but its pings carry the local member,
     * and peers copy a pinged member's payload. A heartbeat then announces it at once (static membership
     * pings only on the channel's heartbeat, every 5 s by default): peers learn of a drain without delay.
     *
     * @return whether there was a channel to publish on
     */
    static boolean publish(CatalinaCluster cluster, MemberPayload payload) {
        Channel channel = cluster == null ? null : cluster.getChannel();
        if (channel == null) {
            return false;
        }
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
