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

    /** Far more than any members list; past it, members the frames claim share one line ({@code others}). */
    static final int MAX_PEERS = 256;

    private final Map<Member, Peer> peers = new ConcurrentHashMap<>();
    private final Peer others = new Peer();

    /**
     * The counters of a member as a frame names it. The member is what the sender claims (in plaintext, anything):
     * past {@link #MAX_PEERS} members new ones share one line, so made-up members cannot grow this map for ever.
     */
    Peer of(Member member) {
        Peer peer = peers.get(member);
        if (peer == null) {
            peer = peers.size() < MAX_PEERS ? peers.computeIfAbsent(member, m -> new Peer()) : others;
        }
        if (peer != others) {
            peer.member = member;
        }
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
        List<Peer> described = new ArrayList<>(peers.values());
        if (others.messagesReceived.sum() + others.messagesSent.sum() + others.sendFailures.sum() > 0) {
            described.add(others);
        }
        for (Peer p : described) {
            String name = p == others ? "others" : nameOf(p.member);
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
