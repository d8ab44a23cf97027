package io.jvmroute.replication;

import java.io.IOException;
import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.catalina.ha.session.SessionMessage;
import org.apache.catalina.tribes.ByteMessage;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.ChannelException;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.RemoteProcessException;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * The lanes' frames on the wire: sends a batch as one {@link LaneFrame} to every member and returns once all
 * have applied it (counting acks and failures per peer), and decodes a received frame back into its messages.
 */
final class LaneTransport implements OrderedSender.Transport {

    private static final Log log = LogFactory.getLog(RouteCluster.class); // RouteCluster's messages keep its logger
    private static final StringManager sm = StringManager.getManager(LaneTransport.class);

    private final Channel channel;
    private final PeerMetrics metrics;

    LaneTransport(Channel channel, PeerMetrics metrics) {
        this.channel = channel;
        this.metrics = metrics;
    }

    @Override
    public void sendAndAwaitAck(List<SessionMessage> batch) throws ChannelException {
        Member[] destinations = channel.getMembers();
        if (destinations.length == 0) {
            return; // nobody to lose it to: a joining member gets the session by state transfer
        }
        ByteMessage frame = new ByteMessage(LaneFrame.encode(batch));
        long start = System.nanoTime();
        try {
            channel.send(destinations, frame, RouteCluster.ORDERED_SEND_OPTIONS | Channel.SEND_OPTIONS_BYTE_MESSAGE);
        } catch (ChannelException e) {
            Set<Member> faulty = new HashSet<>();
            for (ChannelException.FaultyMember failed : e.getFaultyMembers()) {
                faulty.add(failed.getMember());
                metrics.of(failed.getMember()).sendFailures.increment();
            }
            recordAcks(destinations, faulty, batch.size(), System.nanoTime() - start);
            throw e;
        }
        recordAcks(destinations, Set.of(), batch.size(), System.nanoTime() - start);
    }

    private void recordAcks(Member[] destinations, Set<Member> faulty, int messages, long nanos) {
        for (Member member : destinations) {
            if (!faulty.contains(member)) {
                metrics.acked(member, messages, nanos);
            }
        }
    }

    /** Whether a received message is a lane frame (a byte message starting as {@link LaneFrame} writes them). */
    static boolean isFrame(Serializable msg) {
        return msg instanceof ByteMessage bytes && LaneFrame.isFrame(bytes.getMessage());
    }

    /**
     * The messages of a received frame, each addressed from its sender. A malformed frame applies nothing: it is
     * logged and refused with a {@link RemoteProcessException}, whose failed acknowledgement tells the sender this
     * member does not have it.
     */
    static List<SessionMessage> decode(ByteMessage frame, Member sender) {
        List<SessionMessage> messages;
        try {
            messages = LaneFrame.decode(frame.getMessage());
        } catch (IOException e) {
            log.error(sm.getString("routeCluster.badFrame", PeerMetrics.nameOf(sender), PeerMetrics.addressOf(sender),
                    e.getMessage()));
            throw new RemoteProcessException(e.getMessage());
        }
        for (SessionMessage message : messages) {
            message.setAddress(sender);
        }
        return messages;
    }
}
