package io.jvmroute.replication.secure;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLSocket;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * The start of every connection {@link TlsReceiver} accepts: the TLS handshake, with a deadline for the whole of it. A peer without a
 * certificate of the cluster CA (or, when pinned, of the route listed at its address) fails it, is closed, logged
 * once with its address and the reason, and counted: no byte it sent is ever parsed, let alone deserialized.
 */
final class PeerHandshake {

    private static final Log log = LogFactory.getLog(TlsReceiver.class); // TlsReceiver's messages keep its logger
    private static final StringManager sm = StringManager.getManager(PeerHandshake.class);
    /** The whole handshake's default deadline (README, handshakeTimeout). */
    static final int DEFAULT_TIMEOUT_MILLIS = 10_000;

    private final SecurityMetrics metrics;
    private final RefusalLog refusals;
    private final PeerExpiryWarning expiry;
    private final ScheduledExecutorService deadlines;
    private volatile int timeoutMillis = DEFAULT_TIMEOUT_MILLIS;

    /** @param deadlines closes a connection whose handshake outlives its deadline */
    PeerHandshake(SecurityMetrics metrics, RefusalLog refusals, PeerExpiryWarning expiry,
            ScheduledExecutorService deadlines) {
        this.metrics = metrics;
        this.refusals = refusals;
        this.expiry = expiry;
        this.deadlines = deadlines;
    }

    void setTimeoutMillis(int millis) {
        this.timeoutMillis = millis;
    }

    /** The authenticated peer's certificate, or {@code null} when it was refused (logged and counted here). */
    X509Certificate authenticate(SSLSocket socket) throws SocketException {
        int timeout = timeoutMillis;
        // A read timeout alone restarts with every byte: a peer trickling bytes would hold the slot for ever.
        socket.setSoTimeout(timeout);
        socket.setTcpNoDelay(true);
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            expired.set(true);
            Sockets.closeQuietly(socket);
        }, timeout, TimeUnit.MILLISECONDS);
        X509Certificate peer;
        try {
            socket.startHandshake();
            // Throws if the peer presented no certificate: needClientAuth already refuses that, this says it here.
            peer = (X509Certificate) socket.getSession().getPeerCertificates()[0];
        } catch (IOException e) {
            if (expired.get()) {
                refuse(socket, "handshake not completed within " + timeout + " ms");
                return null;
            }
            if (neverSpoke(e)) {
                return null; // a port probe (connect and close): nothing was sent, nothing to report
            }
            refuse(socket, PeerRefusal.reasonOf(e));
            return null;
        } finally {
            deadline.cancel(false);
        }
        if (expired.get()) {
            refuse(socket, "handshake not completed within " + timeout + " ms");
            return null;
        }
        metrics.handshakeSucceeded(Sockets.ip(socket));
        expiry.check(peer, Sockets.address(socket));
        socket.setSoTimeout(0); // an authenticated peer's idle connection stays open
        return peer;
    }

    /** Closes a connection this node will not serve, counted and logged (once a minute per peer and reason). */
    void refuse(SSLSocket socket, String reason) {
        metrics.handshakeFailed(Sockets.ip(socket));
        if (refusals.shouldLog(Sockets.ip(socket), reason)) {
            log.warn(sm.getString("tlsReceiver.refused", Sockets.address(socket), reason));
        }
        Sockets.closeQuietly(socket);
    }

    /** A connection closed before the handshake got anywhere, as RouteCluster's reachability probe does. */
    private static boolean neverSpoke(IOException e) {
        return e instanceof EOFException || String.valueOf(e.getMessage()).contains("Remote host terminated the handshake");
    }
}
