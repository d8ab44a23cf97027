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

    FrameExchange(Supplier<MessageListener> listener, boolean verifyRoute, RefusalLog refusals) {
        this.listener = listener;
        this.verifyRoute = verifyRoute;
        this.refusals = refusals;
    }

    /** Serves the connection until the peer closes it (or it breaks: the exception says how). */
    void serve(SSLSocket socket, X509Certificate certificate) throws IOException {
        Set<String> names = RouteTrustManager.routeNames(certificate);
        String authenticated = "TLS from " + Sockets.address(socket) + " as "
                + certificate.getSubjectX500Principal().getName();
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        ObjectReader reader = new ObjectReader(socket.getReceiveBufferSize());
        byte[] buffer = new byte[16 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            reader.append(buffer, 0, n, false);
            if (!reader.hasPackage()) {
                continue; // a frame arrives in as many reads as TLS records it spans
            }
            for (ChannelMessage msg : reader.execute()) {
                String claimed = claimedRoute(msg);
                if (verifyRoute && claimed != null && !names.contains(claimed)) {
                    refuseFrame(msg, out, socket, names, claimed);
                    continue;
                }
                process(msg, out, authenticated);
            }
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

    /** The route the frame's sender member publishes in its payload, or null if it publishes none. */
    private static String claimedRoute(ChannelMessage msg) {
        if (msg.getAddress() == null) {
            return null;
        }
        return MemberPayload.decode(msg.getAddress().getPayload()).payload().map(MemberPayload::route).orElse(null);
    }

    private void refuseFrame(ChannelMessage msg, OutputStream out, SSLSocket socket, Set<String> names,
            String claimed) throws IOException {
        String reason = "a frame claims route " + claimed + " but the certificate names " + names;
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
