package io.jvmroute.replication.secure;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.catalina.tribes.ChannelListener;
import org.apache.catalina.tribes.ChannelMessage;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.RemoteProcessException;
import org.apache.catalina.tribes.group.GroupChannel;
import org.apache.catalina.tribes.group.RpcChannel;
import org.apache.catalina.tribes.group.RpcMessage;
import org.apache.catalina.tribes.util.Arrays;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * A {@link GroupChannel} that reads each received Tribes message through the {@link ClassAllowList}.
 * Stock {@code GroupChannel} deserializes every message with a plain {@link ObjectInputStream} and no filter:
 * the one place all cluster traffic (session messages, membership pings, RPC replies) is turned into objects.
 * A refused message is logged, counted and not delivered; its sender gets a failed acknowledgement.
 *
 * <p>The listeners then run on the same thread, inside {@link ReceiveGuard#receiveFrom}, so a refusal deeper
 * in (the session data a manager reads) names the peer too.
 */
public class FilteringGroupChannel extends GroupChannel {

    private static final Log log = LogFactory.getLog(FilteringGroupChannel.class);
    private static final StringManager sm = StringManager.getManager(FilteringGroupChannel.class);

    private volatile ReceiveGuard guard;

    public void setReceiveGuard(ReceiveGuard guard) {
        this.guard = guard;
    }

    @Override
    public void messageReceived(ChannelMessage msg) {
        ReceiveGuard current = guard;
        if (msg == null || current == null || (msg.getOptions() & SEND_OPTIONS_BYTE_MESSAGE) != 0) {
            super.messageReceived(msg); // byte messages are not deserialized; no guard: stock behaviour
            return;
        }
        Member source = msg.getAddress();
        String peer = source == null ? "unknown" : addressOf(source);
        current.receiveFrom(peer, () -> deliver(current, msg, source, peer));
    }

    private static String addressOf(Member member) {
        try {
            return InetAddress.getByAddress(member.getHost()).getHostAddress() + ":" + member.getPort();
        } catch (UnknownHostException e) {
            return java.util.Arrays.toString(member.getHost()) + ":" + member.getPort(); // Tribes' Arrays is imported
        }
    }

    private void deliver(ReceiveGuard current, ChannelMessage msg, Member source, String peer) {
        Serializable message;
        try (ObjectInputStream in = current.filter(new ObjectInputStream(new ByteArrayInputStream(
                msg.getMessage().getBytesDirect(), 0, msg.getMessage().getLength())))) {
            message = (Serializable) in.readObject();
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            if (!ReceiveGuard.currentRefused()) {
                log.error(sm.getString("filteringGroupChannel.unreadable", peer, e.toString()));
            }
            // A failed acknowledgement: the sender must not believe this member applied the message.
            throw new RemoteProcessException(sm.getString("filteringGroupChannel.refused", peer));
        }
        if (log.isDebugEnabled()) {
            log.debug("received " + message.getClass().getName() + " from " + peer + " id "
                    + Arrays.toString(msg.getUniqueId()));
        }
        dispatch(message, source);
    }

    /** As GroupChannel does once it has the object: every accepting listener, and an RPC absence reply. */
    private void dispatch(Serializable message, Member source) {
        boolean rpcAnswered = false;
        try {
            for (ChannelListener listener : channelListeners) {
                if (listener != null && listener.accept(message, source)) {
                    listener.messageReceived(message, source);
                    rpcAnswered |= listener instanceof RpcChannel;
                }
            }
            if (!rpcAnswered && message instanceof RpcMessage rpc) {
                sendNoRpcChannelReply(rpc, source);
            }
        } catch (RuntimeException e) {
            log.warn(sm.getString("filteringGroupChannel.listenerFailed"), e);
            throw new RemoteProcessException(sm.getString("filteringGroupChannel.listenerFailed"), e);
        }
    }
}
