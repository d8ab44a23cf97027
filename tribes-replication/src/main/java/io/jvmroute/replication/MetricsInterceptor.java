package io.jvmroute.replication;

import org.apache.catalina.tribes.ChannelException;
import org.apache.catalina.tribes.ChannelMessage;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.group.ChannelInterceptorBase;
import org.apache.catalina.tribes.group.InterceptorPayload;

/** Counts the bytes of every Tribes frame per peer, on their way out and in (membership pings included). */
final class MetricsInterceptor extends ChannelInterceptorBase implements MetricsInterceptorMBean {

    private final PeerMetrics metrics;

    MetricsInterceptor(PeerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public String[] getPeers() {
        return metrics.describe(getMembers()).toArray(new String[0]);
    }

    @Override
    public void sendMessage(Member[] destination, ChannelMessage msg, InterceptorPayload payload)
            throws ChannelException {
        int length = msg.getMessage().getLength();
        for (Member member : destination) {
            metrics.of(member).bytesSent.add(length);
        }
        super.sendMessage(destination, msg, payload);
    }

    @Override
    public void messageReceived(ChannelMessage msg) {
        if (msg.getAddress() != null) {
            metrics.of(msg.getAddress()).bytesReceived.add(msg.getMessage().getLength());
        }
        super.messageReceived(msg);
    }
}
