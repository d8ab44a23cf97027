package io.jvmroute.replication;

import io.jvmroute.membership.MemberPayload;
import io.jvmroute.membership.MemberState;
import io.jvmroute.membership.NodeState;
import java.util.Locale;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.group.GroupChannel;
import org.apache.catalina.tribes.membership.MemberImpl;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * This node's state and the membership payload that publishes it (route, state, settings fingerprint): the one
 * owner of both on a {@link RouteCluster} node. The cluster's JMX operations, its drain on shutdown and the valve
 * (through {@link NodeState}) all change the state here, so they cannot disagree.
 */
final class PublishedState implements NodeState {

    private static final Log log = LogFactory.getLog(RouteCluster.class); // RouteCluster's messages keep its logger
    private static final StringManager sm = StringManager.getManager(PublishedState.class);

    private volatile MemberState state = MemberState.ACTIVE;
    /** Set at start; {@code null} while there is nothing to publish on. */
    private volatile Channel channel;
    private volatile String route;
    private volatile String fingerprint;

    @Override
    public MemberState state() {
        return state;
    }

    @Override
    public synchronized boolean changeState(MemberState newState) {
        MemberState old = state;
        state = newState;
        if (channel == null) {
            return false;
        }
        publish(true);
        if (old != newState) {
            log.info(sm.getString("routeCluster.state", route, newState.name().toLowerCase(Locale.ROOT)));
        }
        return true;
    }

    /** The payload to give a channel built before it starts. */
    byte[] payload(String localRoute, String settingsFingerprint) {
        return new MemberPayload(localRoute, state, settingsFingerprint).encode();
    }

    /** Publishes on the started channel, and from now on every change. */
    synchronized void started(Channel started, String localRoute, String settingsFingerprint) {
        this.route = localRoute;
        this.fingerprint = settingsFingerprint;
        this.channel = started;
        publish(false); // the channel's own start announces it
    }

    synchronized void stopped() {
        channel = null;
    }

    /**
     * Sets the payload on the local member (static membership pings carry it) and on the membership service
     * (multicast announces what the service holds); after a change, a heartbeat makes peers learn of a drain at
     * once rather than at their next ping.
     */
    private void publish(boolean heartbeat) {
        Member local = channel.getLocalMember(false);
        // the front addresses are the valve's to publish (it knows the connectors): they stay as it set them
        MemberPayload current = local == null ? null : MemberPayload.decode(local.getPayload()).payloadOrNull();
        MemberPayload payload = new MemberPayload(route, state, fingerprint);
        if (current != null && current.route().equals(route)) {
            payload = payload.withFront(current.http(), current.ajp());
        }
        byte[] bytes = payload.encode();
        if (local instanceof MemberImpl impl) {
            impl.setPayload(bytes);
        }
        if (channel instanceof GroupChannel groupChannel) {
            groupChannel.getMembershipService().setPayload(bytes);
        }
        if (heartbeat) {
            channel.heartbeat();
        }
    }
}
