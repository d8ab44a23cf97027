package io.jvmroute.replication.secure;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.ChannelException;
import org.apache.catalina.tribes.ChannelMessage;
import org.apache.catalina.tribes.ChannelSender;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.io.ChannelData;
import org.apache.catalina.tribes.io.XByteBuffer;
import org.apache.catalina.tribes.transport.Constants;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * The sending end of the TLS transport. Each peer gets a small pool of TLS 1.3 connections (one per
 * concurrent sender — the replication lanes send in parallel); a message is framed once, written to every
 * destination, and then, if the sender asked for acknowledgements, each destination's {@code ACK} is awaited.
 * A {@code FAIL_ACK}, a timeout or a broken connection makes that member faulty in the
 * {@link ChannelException}, exactly as Tribes' own senders report it.
 *
 * <p>A pooled connection that turns out to be dead when written to (the peer restarted) is replaced once.
 */
public final class TlsSender implements ChannelSender {

    private static final Log log = LogFactory.getLog(TlsSender.class);
    private static final StringManager sm = StringManager.getManager(TlsSender.class);

    private final ClusterTls tls;
    private final SecurityMetrics metrics;
    private final InetAddress localAddress;
    private final RefusalLog refusals = new RefusalLog();
    private final Map<InetSocketAddress, ConcurrentLinkedDeque<Connection>> idle = new ConcurrentHashMap<>();
    private volatile Channel channel;
    private volatile boolean running;
    /** Connect, handshake and acknowledgement timeout (Tribes' own senders use 3000 ms). */
    private static final int TIMEOUT_MILLIS = 5_000;

    /**
     * @param localAddress the address connections leave from: this node's member address, which is how the
     *                     peer knows which route to expect (on loopback the kernel would pick 127.0.0.1)
     */
    public TlsSender(ClusterTls tls, SecurityMetrics metrics, InetAddress localAddress) {
        this.tls = tls;
        this.metrics = metrics;
        this.localAddress = localAddress;
    }

    @Override
    public void sendMessage(ChannelMessage message, Member[] destination) throws ChannelException {
        if (!running) {
            throw new ChannelException(sm.getString("tlsSender.notRunning"));
        }
        byte[] frame = XByteBuffer.createDataPackage((ChannelData) message);
        boolean awaitAck = (message.getOptions() & Channel.SEND_OPTIONS_USE_ACK) != 0;
        ChannelException failure = null;
        List<Member> written = new ArrayList<>(destination.length);
        List<Connection> connections = new ArrayList<>(destination.length);
        for (Member member : destination) {
            try {
                connections.add(write(member, frame));
                written.add(member);
            } catch (IOException e) {
                failure = fault(failure, member, e);
            }
        }
        for (int i = 0; i < connections.size(); i++) {
            Connection connection = connections.get(i);
            try {
                if (awaitAck) {
                    connection = ackedOrResent(connection, frame);
                }
                release(connection);
            } catch (IOException e) {
                connection.close();
                if (!connection.acknowledged && e instanceof SSLException) {
                    // TLS 1.3: the client's handshake ends before the server checked its certificate;
                    // a refusal shows on the first read.
                    handshakeFailed(connection.address, e);
                }
                failure = fault(failure, written.get(i), e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Waits for the ack; a pooled connection that the peer had closed before our frame arrived (it restarted:
     * end of stream, nothing read) gets the frame again on a fresh connection, once. The peer never saw the
     * first copy, so this does not duplicate it.
     */
    private Connection ackedOrResent(Connection connection, byte[] frame) throws IOException {
        try {
            connection.awaitAck();
            return connection;
        } catch (EOFException | SocketException closedBeforeUs) {
            if (!connection.reused) {
                throw closedBeforeUs;
            }
            connection.close();
        }
        Connection fresh = connect(connection.address);
        try {
            fresh.write(frame);
            fresh.awaitAck();
            return fresh;
        } catch (IOException e) {
            fresh.close();
            throw e;
        }
    }

    /** Writes the frame on a pooled connection, or a new one if the pooled one is dead; returns it. */
    private Connection write(Member member, byte[] frame) throws IOException {
        InetSocketAddress address = addressOf(member);
        Connection pooled = idle.computeIfAbsent(address, a -> new ConcurrentLinkedDeque<>()).pollFirst();
        if (pooled != null) {
            try {
                pooled.write(frame);
                pooled.reused = true;
                return pooled;
            } catch (IOException stale) {
                pooled.close(); // the peer restarted or dropped an idle connection: one fresh attempt
            }
        }
        Connection fresh = connect(address);
        try {
            fresh.write(frame);
        } catch (IOException e) {
            fresh.close();
            throw e;
        }
        return fresh;
    }

    private Connection connect(InetSocketAddress address) throws IOException {
        SSLSocket socket = (SSLSocket) tls.context().getSocketFactory().createSocket();
        try {
            socket.setSSLParameters(tls.parameters());
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(address, TIMEOUT_MILLIS);
            socket.startHandshake();
        } catch (IOException e) {
            socket.close();
            if (!(e instanceof ConnectException)) {
                handshakeFailed(address, e);
            }
            throw e;
        }
        metrics.handshakeSucceeded(address.getAddress().getHostAddress());
        return new Connection(address, socket);
    }

    private void handshakeFailed(InetSocketAddress address, IOException e) {
        String reason = PeerRefusal.reasonOf(e);
        metrics.handshakeFailed(address.getAddress().getHostAddress());
        if (refusals.shouldLog(address.toString(), reason)) {
            log.warn(sm.getString("tlsSender.refused", address.getAddress().getHostAddress() + ":" + address.getPort(),
                    reason));
        }
    }

    private void release(Connection connection) {
        if (running) {
            idle.computeIfAbsent(connection.address, a -> new ConcurrentLinkedDeque<>()).offerFirst(connection);
        } else {
            connection.close();
        }
    }

    private ChannelException fault(ChannelException failure, Member member, Exception e) {
        ChannelException result = failure != null ? failure
                : new ChannelException(sm.getString("tlsSender.sendFailed"));
        result.addFaultyMember(member, e);
        return result;
    }

    private static InetSocketAddress addressOf(Member member) throws IOException {
        return new InetSocketAddress(InetAddress.getByAddress(member.getHost()), member.getPort());
    }

    // ------------------------------------------------------------- ChannelSender

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        idle.values().forEach(pool -> {
            for (Connection c; (c = pool.pollFirst()) != null; ) {
                c.close();
            }
        });
        idle.clear();
    }

    @Override
    public void add(Member member) {
        // connections are made on first use
    }

    @Override
    public void remove(Member member) {
        try {
            ConcurrentLinkedDeque<Connection> pool = idle.remove(addressOf(member));
            if (pool != null) {
                pool.forEach(Connection::close);
            }
        } catch (IOException e) {
            // an address we never connected to
        }
    }

    @Override
    public void heartbeat() {
        // idle connections stay: peers are few and the handshake is the expensive part
    }

    @Override
    public Channel getChannel() {
        return channel;
    }

    @Override
    public void setChannel(Channel channel) {
        this.channel = channel;
    }

    /** One TLS connection to one peer, used by one sender at a time. */
    private static final class Connection {
        final InetSocketAddress address;
        final SSLSocket socket;
        final OutputStream out;
        final InputStream in;
        final XByteBuffer acks = new XByteBuffer(128, true);
        final byte[] buffer = new byte[128];
        boolean acknowledged;
        boolean reused;

        Connection(InetSocketAddress address, SSLSocket socket) throws IOException {
            this.address = address;
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = socket.getInputStream();
        }

        void write(byte[] frame) throws IOException {
            out.write(frame);
            out.flush();
        }

        void awaitAck() throws IOException {
            while (!acks.doesPackageExist()) {
                int n = in.read(buffer);
                if (n < 0) {
                    throw new EOFException("connection closed by the peer before it acknowledged");
                }
                acks.append(buffer, 0, n);
            }
            byte[] command = acks.extractDataPackage(true).getBytes();
            if (Arrays.equals(command, Constants.FAIL_ACK_DATA)) {
                throw new IOException("the peer could not process the message (FAIL_ACK)");
            }
            if (!Arrays.equals(command, Constants.ACK_DATA)) {
                throw new IOException("not an acknowledgement: " + Arrays.toString(command));
            }
            acknowledged = true;
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
