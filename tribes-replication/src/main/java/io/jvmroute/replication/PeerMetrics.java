package io.jvmroute.replication;

import io.jvmroute.membership.MemberPayload;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.catalina.tribes.Member;

/**
 * Replication counters per peer, for {@link RouteCluster#getPeerMetrics()}. Counted per Tribes member (equal
 * by address and unique id, so a restarted peer continues its line) and named by the route it publishes,
 * resolved only when described: the receive path must not decode payloads.
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
        /** The member as last seen, for its name and payload. */
        volatile Member member;
    }

    private final Map<Member, Peer> peers = new ConcurrentHashMap<>();

    Peer of(Member member) {
        Peer peer = peers.computeIfAbsent(member, m -> new Peer());
        peer.member = member;
        return peer;
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

    /**
     * One line per peer, for JMX and logs.
     *
     * @param current the members now: their published state is shown; peers not among them are {@code gone}
     */
    List<String> describe(Member[] current) {
        Map<String, String> stateByPeer = new HashMap<>();
        for (Member member : current) {
            stateByPeer.put(nameOf(member), MemberPayload.decode(member.getPayload()).payload()
                    .map(p -> p.state().name().toLowerCase(Locale.ROOT)).orElse("unknown"));
        }
        List<String> lines = new ArrayList<>();
        for (Peer p : peers.values()) {
            String name = nameOf(p.member);
            long acks = p.batchesAcked.sum();
            lines.add(name + " state=" + stateByPeer.getOrDefault(name, "gone")
                    + " messagesSent=" + p.messagesSent.sum() + " bytesSent=" + p.bytesSent.sum()
                    + " acks=" + acks + " sendFailures=" + p.sendFailures.sum()
                    + " ackLatencyAvgMicros=" + (acks == 0 ? 0 : p.ackNanos.sum() / acks / 1000)
                    + " ackLatencyMaxMicros=" + p.maxAckNanos / 1000
                    + " messagesReceived=" + p.messagesReceived.sum() + " bytesReceived=" + p.bytesReceived.sum());
        }
        lines.sort(null);
        return lines;
    }
}
