package io.jvmroute.valve;

import io.jvmroute.membership.MemberPayload;
import io.jvmroute.membership.MemberState;
import java.util.Arrays;
import org.apache.catalina.ha.CatalinaCluster;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.ManagedChannel;
import org.apache.catalina.tribes.Member;

/**
 * Publishes this node's route and state in its Tribes membership payload, where peers' valves and the
 * balancer read them. The only place the valve writes the payload. When jvmroute's replication also
 * publishes (with a settings fingerprint its peers compare), the valve changes only the state and keeps
 * the rest, and it reads the state back so that a drain started there drains the valve too.
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
    static boolean publish(CatalinaCluster cluster, String route, MemberState state) {
        Channel channel = cluster == null ? null : cluster.getChannel();
        if (channel == null) {
            return false;
        }
        Member current = channel.getLocalMember(false);
        MemberPayload published = current == null ? null : MemberPayload.decode(current.getPayload()).payloadOrNull();
        MemberPayload payload = published != null && published.route().equals(route)
                ? published.withState(state) : MemberPayload.of(route, state);
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

    /**
     * The state this node currently publishes, or {@code null} when it publishes nothing readable. Decodes
     * only when the payload changed since {@code last}, so a request costs an array comparison.
     */
    static Published published(CatalinaCluster cluster, Published last) {
        Channel channel = cluster == null ? null : cluster.getChannel();
        Member local = channel == null ? null : channel.getLocalMember(false);
        byte[] bytes = local == null ? null : local.getPayload();
        if (last != null && last.bytes() == bytes) {
            return last;
        }
        MemberPayload payload = MemberPayload.decode(bytes).payloadOrNull();
        return new Published(bytes, payload == null ? null : payload.state());
    }

    /** The local payload as last read, and its state. */
    record Published(byte[] bytes, MemberState state) {
    }
}
