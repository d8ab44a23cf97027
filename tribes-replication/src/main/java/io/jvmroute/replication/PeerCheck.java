package io.jvmroute.replication;

import io.jvmroute.membership.MemberPayload;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.Member;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * Who may replicate with this node: waits at start for the peers that accept connections to join, and checks
 * that every peer publishes a payload whose route {@code members} lists at its address and whose settings
 * fingerprint is this node's.
 */
final class PeerCheck {

    private static final Log log = LogFactory.getLog(RouteCluster.class); // RouteCluster's messages keep its logger
    private static final StringManager sm = StringManager.getManager(PeerCheck.class);

    private final MemberList members;
    private final String fingerprint;
    private final Object membershipChanged = new Object();

    PeerCheck(MemberList members, String fingerprint) {
        this.members = members;
        this.fingerprint = fingerprint;
    }

    /**
     * Waits until the channel lists every expected peer, signalled by {@link #memberAdded}. Tribes reports members
     * on another thread (and Tomcat 10.1.49's RpcChannel does not even wait for the membership replies), so
     * without this the peer check and the managers' state transfer would see an empty cluster and skip.
     */
    void awaitMembers(Channel channel, Set<MemberList.Entry> expected, long waitMillis) {
        long deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        synchronized (membershipChanged) {
            while (!listsAll(channel, expected)) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    log.warn(sm.getString("routeCluster.peersMissing", expected.toString(),
                            Integer.valueOf(channel.getMembers().length)));
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(membershipChanged, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** A member joined: wakes {@link #awaitMembers}. */
    void memberAdded() {
        synchronized (membershipChanged) {
            membershipChanged.notifyAll();
        }
    }

    private static boolean listsAll(Channel channel, Set<MemberList.Entry> expected) {
        Member[] current = channel.getMembers();
        for (MemberList.Entry entry : expected) {
            if (Arrays.stream(current).noneMatch(m -> Arrays.equals(m.getUniqueId(), entry.uniqueId()))) {
                return false;
            }
        }
        return true;
    }

    /** The first problem with the given peers, as one line, or {@code null}. */
    String checkPeers(Member[] peers) {
        for (Member peer : peers) {
            String problem = checkPeer(peer);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** A peer that joined a running node: logged when this node cannot replicate with it safely. */
    void logIfUnsafe(Member peer) {
        String problem = checkPeer(peer);
        if (problem != null) {
            log.error(sm.getString("routeCluster.badPeer", problem));
        }
    }

    /** The problem with one peer, as one line, or {@code null}. */
    String checkPeer(Member peer) {
        MemberPayload.Decoded decoded = MemberPayload.decode(peer.getPayload());
        String address = PeerMetrics.addressOf(peer);
        if (!decoded.isOk()) {
            return "peer " + address + " publishes no jvmroute member payload (" + decoded.problem()
                    + "); expected: a RouteCluster with the same members";
        }
        MemberPayload payload = decoded.payloadOrNull();
        List<MemberList.Entry> expected = members.entries();
        boolean listed = expected.stream().anyMatch(e -> e.route().equals(payload.route()) && Arrays.equals(
                e.uniqueId(), peer.getUniqueId()));
        if (!listed) {
            return "peer " + address + " has route " + payload.route() + " which members " + members
                    + " does not list at that address";
        }
        if (!payload.fingerprint().equals(fingerprint)) {
            return "peer " + payload.route() + " at " + address + " has settings fingerprint " + payload.fingerprint()
                    + ", this node " + fingerprint + " (expected: the same members, loginAttributes and replicate on every node)";
        }
        return null;
    }
}
