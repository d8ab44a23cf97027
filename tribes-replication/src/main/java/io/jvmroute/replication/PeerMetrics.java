package io.jvmroute.replication;

import io.jvmroute.membership.MemberPayload;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.catalina.tribes.Member;

/**
 * Replication counters per peer, keyed by the route the peer publishes (its address when it publishes none),
 * for {@link RouteCluster#getPeerMetrics()}.
 */
final class PeerMetrics {

    static final class Peer {
        final LongAdder messagesSent = new LongAdder();
        final LongAdder batchesAcked = new LongAdder();
        final LongAdder sendFailures = new LongAdder();
        final LongAdder ackNanos = new LongAdder();
        volatile long maxAckNanos;
        final LongAdder messagesReceived = new LongAdder();
        final LongAdder bytesSent = new LongAdder();
        final LongAdder bytesReceived = new LongAdder();
    }

    private final Map<String, Peer> peers = new ConcurrentHashMap<>();

    Peer of(Member member) {
        return peers.computeIfAbsent(nameOf(member), name -> new Peer());
    }

    static String nameOf(Member member) {
        return MemberPayload.decode(member.getPayload()).payload().map(MemberPayload::route)
                .orElse(addressOf(member));
    }

    static String addressOf(Member member) {
        try {
            return InetAddress.getByAddress(member.getHost()).getHostAddress() + ":" + member.getPort();
        } catch (UnknownHostException e) {
            return "?:" + member.getPort(); // only for a malformed address, which Tribes never produces
        }
    }

    void acked(Member member, int messages, long nanos) {
        Peer peer = of(member);
        peer.messagesSent.add(messages);
        peer.batchesAcked.increment();
        peer.ackNanos.add(nanos);
        if (nanos > peer.maxAckNanos) {
            peer.maxAckNanos = nanos; // a racy maximum is good enough for a gauge
        }
    }

    /** One line per peer, for JMX and logs. */
    List<String> describe(Map<String, String> stateByPeer) {
        List<String> lines = new ArrayList<>();
        peers.forEach((name, p) -> {
            long acks = p.batchesAcked.sum();
            lines.add(name + " state=" + stateByPeer.getOrDefault(name, "gone")
                    + " messagesSent=" + p.messagesSent.sum() + " bytesSent=" + p.bytesSent.sum()
                    + " acks=" + acks + " sendFailures=" + p.sendFailures.sum()
                    + " ackLatencyAvgMicros=" + (acks == 0 ? 0 : p.ackNanos.sum() / acks / 1000)
                    + " ackLatencyMaxMicros=" + p.maxAckNanos / 1000
                    + " messagesReceived=" + p.messagesReceived.sum() + " bytesReceived=" + p.bytesReceived.sum());
        });
        lines.sort(null);
        return lines;
    }
}
