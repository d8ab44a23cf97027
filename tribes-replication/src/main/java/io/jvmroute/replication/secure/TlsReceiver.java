package io.jvmroute.replication.secure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.ChannelReceiver;
import org.apache.catalina.tribes.MessageListener;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * The receiving end of the TLS transport: a blocking TLS 1.3 server socket with client authentication, and a
 * thread per connection (peers keep a few long-lived connections each). Every connection first passes the
 * {@link PeerHandshake}, then speaks the Tribes frame and acknowledgement protocol ({@link FrameExchange}).
 */
public final class TlsReceiver implements ChannelReceiver {

    private static final Log log = LogFactory.getLog(TlsReceiver.class);
    private static final StringManager sm = StringManager.getManager(TlsReceiver.class);

    private final ClusterTls tls;
    private final String host;
    private final int port;
    private final PeerExpiryWarning expiry = new PeerExpiryWarning();
    private final PeerHandshake handshake;
    private final FrameExchange frames;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final ConnectionLimits limits;
    private final ScheduledExecutorService deadlines;
    private final AtomicInteger threadCount = new AtomicInteger();

    private volatile MessageListener listener;
    private volatile Channel channel;
    private volatile ServerSocket server;
    private volatile ExecutorService workers;

    /**
     * @param verifyRoute whether a frame that claims (in its member payload) a route the peer's certificate
     *                    does not name is refused: an authenticated node must not speak for another
     */
    public TlsReceiver(ClusterTls tls, SecurityMetrics metrics, String host, int port, boolean verifyRoute) {
        this.tls = tls;
        this.host = host;
        this.port = port;
        RefusalLog refusals = new RefusalLog();
        this.limits = new ConnectionLimits(tls.routes());
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "jvmroute-tls-" + port + "-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true); // a completed handshake's deadline is forgotten at once
        timer.setKeepAliveTime(10, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true); // no thread outlives a stopped receiver for long
        this.deadlines = timer;
        this.handshake = new PeerHandshake(metrics, refusals, expiry, deadlines);
        this.frames = new FrameExchange(() -> listener, verifyRoute, refusals);
    }

    /** A peer whose certificate expires within this many days is warned of, once per certificate. */
    public void setPeerExpiryWarningDays(int days) {
        expiry.setWarningDays(days);
    }

    /** A handshake not completed within this many ms is cut off (README, handshakeTimeout). */
    public void setHandshakeTimeoutMillis(int millis) {
        handshake.setTimeoutMillis(millis);
    }

    /** A frame announcing more bytes than this is refused and its connection closed (README, maxFrameSize). */
    public void setMaxFrameBytes(int bytes) {
        frames.setMaxFrameBytes(bytes);
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
        Sockets.closeQuietly(socket);
        connections.forEach(Sockets::closeQuietly);
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

    /** Connections open now from {@code address} (tests: a refused or cut-off connection no longer counts). */
    public int connectionsFrom(InetAddress address) {
        return limits.connectionsFrom(address);
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
            String refusal = limits.admit(accepted.getInetAddress());
            if (refusal != null) {
                handshake.refuse((SSLSocket) accepted, refusal);
                continue;
            }
            connections.add(accepted);
            try {
                workers.execute(() -> serve((SSLSocket) accepted));
            } catch (RuntimeException stopped) {
                connections.remove(accepted);
                limits.handshakeEnded(accepted.getInetAddress());
                limits.released(accepted.getInetAddress());
                Sockets.closeQuietly(accepted);
            }
        }
    }

    private void serve(SSLSocket socket) {
        try {
            X509Certificate peer;
            try {
                peer = handshake.authenticate(socket);
            } finally {
                limits.handshakeEnded(socket.getInetAddress());
            }
            if (peer != null) {
                frames.serve(socket, peer);
            }
        } catch (IOException e) {
            if (server != null && log.isDebugEnabled()) {
                log.debug(sm.getString("tlsReceiver.connectionEnded", Sockets.address(socket), e.toString()));
            }
        } finally {
            connections.remove(socket);
            limits.released(socket.getInetAddress());
            Sockets.closeQuietly(socket);
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
