package io.jvmroute.replication.secure;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.jvmroute.membership.MemberPayload;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.ChannelMessage;
import org.apache.catalina.tribes.ChannelReceiver;
import org.apache.catalina.tribes.MessageListener;
import org.apache.catalina.tribes.RemoteProcessException;
import org.apache.catalina.tribes.io.ChannelData;
import org.apache.catalina.tribes.io.ObjectReader;
import org.apache.catalina.tribes.transport.Constants;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * The receiving end of the TLS transport: a blocking TLS 1.3 server socket with client authentication, and a
 * thread per connection (peers keep a few long-lived connections each).
 *
 * <p>For every connection:
 * <ol>
 *   <li>the TLS handshake runs first, with a timeout; a peer without a certificate of the cluster CA (or, when
 *       pinned, of the route listed at its address) fails it, is closed, logged once with its address and the
 *       reason, and counted — no byte it sent is ever parsed, let alone deserialized;</li>
 *   <li>then Tribes frames ({@code XByteBuffer} packages) are read, each handed to the channel, and acknowledged
 *       as the sender asked: {@code ACK} at once (async ack), or after the channel processed it (synchronized
 *       ack), {@code FAIL_ACK} if processing failed — as Tomcat's own receivers do.</li>
 * </ol>
 */
public final class TlsReceiver implements ChannelReceiver {

    private static final Log log = LogFactory.getLog(TlsReceiver.class);
    private static final StringManager sm = StringManager.getManager(TlsReceiver.class);
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    private static final int MAX_CONNECTIONS = 256;

    private final ClusterTls tls;
    private final boolean verifyRoute;
    private final SecurityMetrics metrics;
    private final RefusalLog refusals = new RefusalLog();
    private final String host;
    private final int port;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger threadCount = new AtomicInteger();

    private final Set<java.math.BigInteger> expiryWarned = ConcurrentHashMap.newKeySet();
    private volatile int peerExpiryWarningDays = 30;
    private volatile MessageListener listener;
    private volatile Channel channel;
    private volatile ServerSocket server;
    private volatile ExecutorService workers;

    /**
     * @param verifyRoute whether a frame that claims (in its member payload) a route the peer's certificate
     *                    does not name is refused: an authenticated node must not speak for another
     */
    public TlsReceiver(ClusterTls tls, SecurityMetrics metrics, String host, int port, boolean verifyRoute) {
        this.verifyRoute = verifyRoute;
        this.tls = tls;
        this.metrics = metrics;
        this.host = host;
        this.port = port;
    }

    /** A peer whose certificate expires within this many days is warned of, once per certificate. */
    public void setPeerExpiryWarningDays(int days) {
        this.peerExpiryWarningDays = days;
    }

    @Override
    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        SSLServerSocket socket = (SSLServerSocket) tls.context().getServerSocketFactory().createServerSocket();
        socket.setSSLParameters(tls.parameters());
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        server = socket;
        workers = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "jvmroute-tls-" + port + "-" + threadCount.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        workers.execute(() -> acceptLoop(socket));
    }

    @Override
    public synchronized void stop() {
        ServerSocket socket = server;
        server = null;
        closeQuietly(socket);
        connections.forEach(TlsReceiver::closeQuietly);
        ExecutorService pool = workers;
        if (pool != null) {
            pool.shutdownNow();
            try {
                pool.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers = null;
    }

    private void acceptLoop(ServerSocket socket) {
        while (server == socket) {
            Socket accepted;
            try {
                accepted = socket.accept();
            } catch (IOException e) {
                if (server == socket) {
                    log.warn(sm.getString("tlsReceiver.acceptFailed", e.toString()));
                    continue;
                }
                return; // stopped
            }
            if (connections.size() >= MAX_CONNECTIONS) {
                refused((SSLSocket) accepted, "too many connections (" + MAX_CONNECTIONS + ")");
                continue;
            }
            connections.add(accepted);
            try {
                workers.execute(() -> serve((SSLSocket) accepted));
            } catch (RuntimeException stopped) {
                connections.remove(accepted);
                closeQuietly(accepted);
            }
        }
    }

    private void serve(SSLSocket socket) {
        try {
            if (!handshake(socket)) {
                return;
            }
            readFrames(socket);
        } catch (IOException e) {
            if (server != null && log.isDebugEnabled()) {
                log.debug(sm.getString("tlsReceiver.connectionEnded", address(socket), e.toString()));
            }
        } finally {
            connections.remove(socket);
            closeQuietly(socket);
        }
    }

    /** True when the peer authenticated; otherwise it is refused, logged and counted here. */
    private boolean handshake(SSLSocket socket) throws SocketException {
        socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        try {
            socket.startHandshake();
            // Throws if the peer presented no certificate: needClientAuth already refuses that, this says it here.
            socket.getSession().getPeerCertificates();
        } catch (IOException e) {
            if (neverSpoke(e)) {
                return false; // a port probe (connect and close): nothing was sent, nothing to report
            }
            refused(socket, PeerRefusal.reasonOf(e));
            return false;
        }
        metrics.handshakeSucceeded(ip(socket));
        warnIfExpiringSoon(socket);
        socket.setSoTimeout(0); // an authenticated peer's idle connection stays open
        return true;
    }

    private void readFrames(SSLSocket socket) throws IOException {
        X509Certificate certificate = (X509Certificate) socket.getSession().getPeerCertificates()[0];
        Set<String> names = RouteTrustManager.routeNames(certificate);
        String authenticated = "TLS from " + address(socket) + " as "
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
            MessageListener current = listener;
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

    /** Peers renew their own certificates; this node tells when one is about to lock a peer out. */
    private void warnIfExpiringSoon(SSLSocket socket) throws SocketException {
        X509Certificate peer;
        try {
            peer = (X509Certificate) socket.getSession().getPeerCertificates()[0];
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            throw new SocketException("no peer certificate after the handshake");
        }
        java.time.Instant notAfter = peer.getNotAfter().toInstant();
        long days = java.time.Duration.between(java.time.Instant.now(), notAfter).toDays();
        if (days < peerExpiryWarningDays && expiryWarned.add(peer.getSerialNumber())) {
            log.warn(sm.getString("tlsReceiver.peerExpiry", address(socket),
                    peer.getSubjectX500Principal().getName(), Long.valueOf(days), notAfter));
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
        if (refusals.shouldLog(ip(socket), reason)) {
            log.warn(sm.getString("tlsReceiver.frameRefused", address(socket), reason));
        }
        if (ChannelData.sendAckSync(msg.getOptions()) || ChannelData.sendAckAsync(msg.getOptions())) {
            ack(out, Constants.FAIL_ACK_COMMAND);
        }
    }

    private static void ack(OutputStream out, byte[] command) throws IOException {
        out.write(command);
        out.flush();
    }

    private void refused(SSLSocket socket, String reason) {
        String address = address(socket);
        metrics.handshakeFailed(ip(socket));
        if (refusals.shouldLog(ip(socket), reason)) {
            log.warn(sm.getString("tlsReceiver.refused", address, reason));
        }
        closeQuietly(socket);
    }

    /** A connection closed before the handshake got anywhere, as RouteCluster's reachability probe does. */
    private static boolean neverSpoke(IOException e) {
        return e instanceof java.io.EOFException
                || String.valueOf(e.getMessage()).contains("Remote host terminated the handshake");
    }

    private static String address(Socket socket) {
        return socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    }

    private static String ip(Socket socket) {
        return socket.getInetAddress().getHostAddress();
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    // ------------------------------------------------------------- ChannelReceiver

    @Override
    public String getHost() {
        return host;
    }

    @Override
    public int getPort() {
        return port;
    }

    @Override
    public int getSecurePort() {
        return -1;
    }

    @Override
    public int getUdpPort() {
        return -1;
    }

    @Override
    public void setMessageListener(MessageListener listener) {
        this.listener = listener;
    }

    @Override
    public MessageListener getMessageListener() {
        return listener;
    }

    @Override
    public Channel getChannel() {
        return channel;
    }

    @Override
    public void setChannel(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void heartbeat() {
        // nothing idles here: connections are closed by their senders
    }
}
