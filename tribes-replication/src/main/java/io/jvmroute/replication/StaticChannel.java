package io.jvmroute.replication;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;
import org.apache.catalina.tribes.group.GroupChannel;
import org.apache.catalina.tribes.group.interceptors.MessageDispatchInterceptor;
import org.apache.catalina.tribes.group.interceptors.TcpFailureDetector;
import org.apache.catalina.tribes.membership.StaticMember;
import org.apache.catalina.tribes.membership.StaticMembershipService;
import org.apache.catalina.tribes.transport.nio.NioReceiver;

/**
 * The Tribes channel {@link RouteCluster} builds from its {@code members} when no {@code <Channel>} is given:
 * a NIO receiver on the local member's address and port, static membership with route-derived unique ids, the
 * usual interceptors. The one place that knows the transport, so that a TLS transport (next issue) replaces it
 * here.
 */
final class StaticChannel {

    private static final int PROBE_TIMEOUT_MILLIS = 500;

    private StaticChannel() {
    }

    /**
     * Binds throw-away sockets where the receiver will, to tell an address of another machine from a busy port.
     *
     * @throws IllegalArgumentException one line naming the problem
     */
    static void checkBindable(MemberList.Entry local) {
        InetAddress address;
        try {
            address = InetAddress.getByName(local.host());
        } catch (IOException e) {
            throw new IllegalArgumentException("members: cannot resolve " + local.host() + " of " + local.route());
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(address, 0));
        } catch (IOException e) {
            throw new IllegalArgumentException("members: " + local + " but " + address.getHostAddress()
                    + " is not an address of this machine (" + e.getMessage() + ")");
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(address, local.port()));
        } catch (IOException e) {
            throw new IllegalArgumentException("members: " + local + " but port " + local.port() + " on "
                    + address.getHostAddress() + " is in use by another process (" + e.getMessage() + ")");
        }
    }

    /** @param payload the local member's payload as it is published from the start */
    static GroupChannel build(MemberList members, String localRoute, byte[] payload) {
        MemberList.Entry local = members.find(localRoute).orElseThrow();
        // Reads every received message through the class allow-list (SecureReplication configures it).
        GroupChannel channel = new io.jvmroute.replication.secure.FilteringGroupChannel();
        NioReceiver receiver = new NioReceiver();
        receiver.setAddress(local.host());
        receiver.setPort(local.port());
        receiver.setAutoBind(1); // exactly this port: another one would be a member nobody knows
        channel.setChannelReceiver(receiver);

        StaticMembershipService membership = new RouteMembershipService();
        // A ping thread, so peers see a state change (draining) within a second, not at the next heartbeat.
        membership.setUseThread(true);
        membership.setPingInterval(1_000);
        StaticMember self = staticMember(local);
        self.setPayload(payload);
        membership.setLocalMember(self);
        for (MemberList.Entry peer : members.peersOf(localRoute)) {
            membership.addStaticMember(staticMember(peer));
        }
        channel.setMembershipService(membership);
        channel.addInterceptor(new MessageDispatchInterceptor());
        channel.addInterceptor(new TcpFailureDetector());
        return channel;
    }

    private static StaticMember staticMember(MemberList.Entry entry) {
        try {
            StaticMember member = new StaticMember(entry.host(), entry.port(), 0);
            member.setUniqueId(entry.uniqueId());
            return member;
        } catch (IOException e) {
            throw new IllegalArgumentException("members: cannot resolve " + entry.host() + " of " + entry.route());
        }
    }

    /** The peers that accept a connection on their replication port now: they will answer our membership. */
    static Set<MemberList.Entry> reachablePeers(MemberList members, String localRoute) {
        Set<MemberList.Entry> reachable = new HashSet<>();
        for (MemberList.Entry peer : members.peersOf(localRoute)) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(peer.host(), peer.port()), PROBE_TIMEOUT_MILLIS);
                reachable.add(peer);
            } catch (IOException e) {
                // down or not started yet: it will find us when it starts
            }
        }
        return reachable;
    }
}
