package io.jvmroute.replication.secure;

import io.jvmroute.membership.MemberPayload;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocket;
import org.apache.catalina.tribes.ChannelMessage;
import org.apache.catalina.tribes.MessageListener;
import org.apache.catalina.tribes.RemoteProcessException;
import org.apache.catalina.tribes.io.ChannelData;
import org.apache.catalina.tribes.io.ObjectReader;
import org.apache.catalina.tribes.transport.Constants;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * The Tribes protocol over an authenticated connection: reads frames ({@code XByteBuffer} packages), hands each
 * to the channel and acknowledges it as the sender asked, {@code ACK} at once (async ack) or after the channel
 * processed it (synchronized ack), {@code FAIL_ACK} if processing failed, as Tomcat's own receivers do. With
 * {@code verifyRoute}, a frame whose sender claims a route the peer's certificate does not name is refused.
 */
final class FrameExchange {

    private static final Log log = LogFactory.getLog(TlsReceiver.class); // TlsReceiver's messages keep its logger
    private static final StringManager sm = StringManager.getManager(FrameExchange.class);

    private final Supplier<MessageListener> listener;
    private final boolean verifyRoute;
    private final RefusalLog refusals;
    private volatile int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;

    /** Well above the biggest frame a node sends (a lane's batch, a state-transfer batch). */
    static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

    FrameExchange(Supplier<MessageListener> listener, boolean verifyRoute, RefusalLog refusals) {
        this.listener = listener;
        this.verifyRoute = verifyRoute;
        this.refusals = refusals;
    }

    void setMaxFrameBytes(int bytes) {
        this.maxFrameBytes = bytes;
    }

    /** Serves the connection until the peer closes it (or it breaks: the exception says how). */
    void serve(SSLSocket socket, X509Certificate certificate) throws IOException {
        Set<String> names = RouteTrustManager.routeNames(certificate);
        String authenticated = "TLS from " + Sockets.address(socket) + " as "
                + certificate.getSubjectX500Principal().getName();
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        FrameReader frames = new FrameReader(in, maxFrameBytes);
        ObjectReader reader = new ObjectReader(16 * 1024);
        for (byte[] frame; (frame = next(frames, socket)) != null; ) {
            // One whole, checked package at a time: Tribes' reader never searches or grows on a peer's say-so.
            reader.append(frame, 0, frame.length, false);
            ChannelMessage[] messages;
            try {
                messages = reader.execute();
            } catch (RuntimeException e) {
                throw refused(socket, "unreadable frame (" + e + ")");
            }
            for (ChannelMessage msg : messages) {
                String problem = verifyRoute ? identityProblem(msg, names) : null;
                if (problem != null) {
                    refuseFrame(msg, out, socket, problem);
                    continue;
                }
                process(msg, out, authenticated);
            }
        }
    }

    private FrameReader.Refused refused(SSLSocket socket, String reason) {
        if (refusals.shouldLog(Sockets.ip(socket), reason)) {
            log.warn(sm.getString("tlsReceiver.frameRefused", Sockets.address(socket), reason
                    + "; connection closed"));
        }
        return new FrameReader.Refused(reason);
    }

    private byte[] next(FrameReader frames, SSLSocket socket) throws IOException {
        try {
            return frames.next();
        } catch (FrameReader.Refused e) {
            throw refused(socket, e.getMessage());
        }
    }

    private void process(ChannelMessage msg, OutputStream out, String authenticated) throws IOException {
        int options = msg.getOptions();
        if (ChannelData.sendAckAsync(options)) {
            ack(out, Constants.ACK_COMMAND);
        }
        byte[] answer = Constants.ACK_COMMAND;
        try {
            MessageListener current = listener.get();
            if (current != null && current.accept(msg)) {
                ReceiveGuard.overConnection(authenticated, () -> current.messageReceived(msg));
            }
        } catch (RemoteProcessException e) {
            answer = Constants.FAIL_ACK_COMMAND;
        } catch (RuntimeException e) {
            log.error(sm.getString("tlsReceiver.processFailed", String.valueOf(msg.getAddress())), e);
            answer = Constants.FAIL_ACK_COMMAND;
        }
        if (ChannelData.sendAckSync(options)) {
            ack(out, answer);
        }
    }

    /**
     * Why the frame's sender is not the peer the certificate names, or {@code null}: the sender must publish a
     * route the certificate names, and carry that route's member id, so that whatever the channel does in the
     * sender's name (a membership message included, see RouteMembershipProvider) is done for that route only.
     */
    private static String identityProblem(ChannelMessage msg, Set<String> names) {
        String claimed = claimedRoute(msg);
        if (claimed == null) {
            return "a frame names no route (its sender publishes no jvmroute member payload); the certificate names "
                    + names;
        }
        if (!names.contains(claimed)) {
            return "a frame claims route " + claimed + " but the certificate names " + names;
        }
        if (!java.util.Arrays.equals(msg.getAddress().getUniqueId(), MemberIds.of(claimed))) {
            return "a frame claims route " + claimed + " with the member id of another route";
        }
        return null;
    }

    /** The route the frame's sender member publishes in its payload, or null if it publishes none. */
    private static String claimedRoute(ChannelMessage msg) {
        if (msg.getAddress() == null) {
            return null;
        }
        return MemberPayload.decode(msg.getAddress().getPayload()).payload().map(MemberPayload::route).orElse(null);
    }

    private void refuseFrame(ChannelMessage msg, OutputStream out, SSLSocket socket, String reason)
            throws IOException {
        if (refusals.shouldLog(Sockets.ip(socket), reason)) {
            log.warn(sm.getString("tlsReceiver.frameRefused", Sockets.address(socket), reason));
        }
        if (ChannelData.sendAckSync(msg.getOptions()) || ChannelData.sendAckAsync(msg.getOptions())) {
            ack(out, Constants.FAIL_ACK_COMMAND);
        }
    }

    private static void ack(OutputStream out, byte[] command) throws IOException {
        out.write(command);
        out.flush();
    }
}
