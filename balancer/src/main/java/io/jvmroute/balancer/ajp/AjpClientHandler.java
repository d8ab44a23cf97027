package io.jvmroute.balancer.ajp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The AJP13 side of a connection to a worker, first in its pipeline: it makes the connection look like an
 * HTTP/1.1 one to the handlers after it, so that the proxy's response handling (framing, hop-by-hop rules,
 * backpressure, pooling) is the same for both protocols.
 *
 * <ul>
 *   <li>Out: an {@link AjpRequestStart} (the FORWARD_REQUEST packet), then the request body's bytes and
 *       {@link #BODY_END}. Body bytes are held until the container asks for them (the first packet goes at once
 *       when the length is known, as mod_jk does; then one per GET_BODY_CHUNK, an empty packet when the body
 *       has ended). While more than {@link #HIGH_WATER} bytes wait, the channel reads as unwritable, so the
 *       client is not read on (backpressure).</li>
 *   <li>In: SEND_HEADERS becomes an HTTP/1.1 head (chunked when the container gives no Content-Length),
 *       SEND_BODY_CHUNK body bytes, END_RESPONSE the end. What completes the HTTP response is held until
 *       END_RESPONSE, so the connection is never lent again before the container is done with it; with
 *       {@code reuse=0} {@link #NOT_REUSABLE} goes down the pipeline first.</li>
 *   <li>CPing/CPong ({@link #ping}): mod_jk's {@code ping_mode} C and P through the pool, I here.</li>
 * </ul>
 * Everything a worker sends is read by {@link AjpPacketReader}, whose refusal closes the connection.
 */
public final class AjpClientHandler extends ByteToMessageDecoder implements ChannelOutboundHandler {

    /** Written after the last body bytes of a request. */
    public static final Object BODY_END = new Object() {
        @Override
        public String toString() {
            return "AJP body end";
        }
    };

    /** Fired before the end of a response after which the container closes the connection (reuse=0). */
    public static final Object NOT_REUSABLE = new Object() {
        @Override
        public String toString() {
            return "AJP END_RESPONSE reuse=0";
        }
    };

    static final int HIGH_WATER = 64 * 1024;
    static final int LOW_WATER = 32 * 1024;
    private static final int WRITABILITY_BIT = 1;
    private static final Logger LOG = LoggerFactory.getLogger(AjpClientHandler.class);
    private static final byte[] CPING = {0x12, 0x34, 0, 1, AjpProtocol.CPING};
    private static final byte[] EMPTY_BODY = {0x12, 0x34, 0, 0};
    private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};

    private final String worker;
    private final boolean secretSent;
    private final AjpPacketReader reader;
    private final int maxBodyChunk;
    private final long idlePingMillis;
    private final long pingTimeoutMillis;
    private ChannelHandlerContext ctx;

    // the request in progress
    private boolean inRequest;
    private boolean headRequest;
    private final ArrayDeque<ByteBuf> body = new ArrayDeque<>();
    private int queued;
    private boolean bodyEnded;
    /** Body packets the container is waiting for, and the size it asked for. */
    private int credit;
    private int requested;

    // its response
    private boolean headersSeen;
    private int status;
    private boolean noBody;
    private boolean chunked;
    private long declaredLength;
    private long bodyBytes;
    /** What completes the HTTP response, held until END_RESPONSE. */
    private ByteBuf held;

    private Promise<Void> ping;
    private ScheduledFuture<?> idlePing;
    /** The worker sent something malformed: the connection is done. */
    private boolean refused;

    /**
     * @param worker            the worker's name, for messages
     * @param secretSent        whether requests carry a secret (for the message when the container refuses them)
     * @param maxPacketSize     the worker's {@code max_packet_size}
     * @param idlePingMillis    CPing a connection idle this long (ping_mode I), 0 for never
     * @param pingTimeoutMillis how long a CPong may take
     */
    public AjpClientHandler(String worker, boolean secretSent, int maxPacketSize, long idlePingMillis, long pingTimeoutMillis) {
        this.worker = worker;
        this.secretSent = secretSent;
        this.reader = new AjpPacketReader(maxPacketSize);
        this.maxBodyChunk = maxPacketSize - 6; // mark, length, chunk length
        this.idlePingMillis = idlePingMillis;
        this.pingTimeoutMillis = pingTimeoutMillis;
    }

    /** Sends a CPing on this AJP connection; the future fails (and the connection closes) without a CPong in time. */
    public static Future<Void> ping(Channel channel) {
        AjpClientHandler h = channel.pipeline().get(AjpClientHandler.class);
        Promise<Void> done = channel.eventLoop().newPromise();
        channel.eventLoop().execute(() -> h.ping().addListener(f -> {
            if (f.isSuccess()) {
                done.trySuccess(null);
            } else {
                done.tryFailure(f.cause());
            }
        }));
        return done;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        scheduleIdlePing();
        super.channelActive(ctx);
    }

    // ---- out ----

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof AjpRequestStart start) {
            startRequest(start);
            ctx.write(start.content(), promise);
        } else if (msg instanceof ByteBuf data) {
            if (!inRequest || bodyEnded || !data.isReadable()) {
                data.release(); // after the response ended the rest of a body is not wanted
            } else {
                body.add(data);
                queued += data.readableBytes();
                sendBody();
            }
            promise.setSuccess();
        } else if (msg == BODY_END) {
            if (inRequest) {
                bodyEnded = true;
                sendBody();
            }
            promise.setSuccess();
        } else {
            ctx.write(msg, promise);
        }
    }

    private void startRequest(AjpRequestStart start) {
        if (idlePing != null) {
            idlePing.cancel(false);
            idlePing = null;
        }
        discardBody();
        inRequest = true;
        headRequest = start.headRequest;
        bodyEnded = start.contentLength == 0;
        credit = start.contentLength > 0 ? 1 : 0; // Tomcat reads the first body packet unasked when the length is known
        requested = maxBodyChunk;
        headersSeen = false;
        bodyBytes = 0;
    }

    /** Sends as many body packets as the container waits for and the client has given. */
    private void sendBody() {
        boolean wrote = false;
        while (credit > 0) {
            if (queued > 0) {
                int n = Math.min(queued, Math.min(requested, maxBodyChunk));
                ByteBuf packet = ctx.alloc().buffer(6 + n);
                packet.writeShort(AjpProtocol.TO_CONTAINER).writeShort(n + 2).writeShort(n);
                for (int left = n; left > 0; ) {
                    ByteBuf first = body.peek();
                    int take = Math.min(left, first.readableBytes());
                    packet.writeBytes(first, take);
                    left -= take;
                    if (!first.isReadable()) {
                        body.poll().release();
                    }
                }
                queued -= n;
                ctx.write(packet);
            } else if (bodyEnded) {
                ctx.write(ctx.alloc().buffer(4).writeBytes(EMPTY_BODY));
            } else {
                break;
            }
            credit--;
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
        updateWritability();
    }

    private void updateWritability() {
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        if (out == null) {
            return;
        }
        if (queued > HIGH_WATER) {
            out.setUserDefinedWritability(WRITABILITY_BIT, false);
        } else if (queued < LOW_WATER) {
            out.setUserDefinedWritability(WRITABILITY_BIT, true);
        }
    }

    private void discardBody() {
        for (ByteBuf b; (b = body.poll()) != null; ) {
            b.release();
        }
        queued = 0;
        credit = 0;
        if (ctx != null) {
            updateWritability();
        }
    }

    // ---- in ----

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (refused) {
            in.skipBytes(in.readableBytes()); // the connection is closing: nothing after a refusal is read
            return;
        }
        try {
            readMessages(in, out);
        } catch (AjpProtocolException e) {
            refused = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private void readMessages(ByteBuf in, List<Object> out) {
        for (AjpMessage m; in.isReadable() && (m = reader.next(in)) != null; ) {
            if (m instanceof AjpMessage.SendHeaders h) {
                onHeaders(h, out);
            } else if (m instanceof AjpMessage.BodyChunk c) {
                onBody(c.data(), out);
            } else if (m instanceof AjpMessage.EndResponse e) {
                onEnd(e.reuse(), out);
            } else if (m instanceof AjpMessage.GetBodyChunk g) {
                if (!inRequest) {
                    throw new AjpProtocolException("GET_BODY_CHUNK from the worker outside a request");
                }
                credit++;
                requested = Math.max(1, g.size());
                sendBody();
            } else {
                onPong();
            }
        }
    }

    private void onHeaders(AjpMessage.SendHeaders h, List<Object> out) {
        if (!inRequest || headersSeen) {
            throw new AjpProtocolException("SEND_HEADERS from the worker " + (inRequest ? "twice" : "outside a request"));
        }
        if (h.status() < 200) {
            throw new AjpProtocolException("an informational status " + h.status() + " over AJP13");
        }
        headersSeen = true;
        status = h.status();
        noBody = headRequest || status == 204 || status == 304;
        AjpResponseHead head = AjpResponseHead.write(ctx.alloc(), h, noBody);
        declaredLength = head.contentLength();
        chunked = head.chunked();
        if (noBody || declaredLength == 0) {
            held = head.bytes(); // complete as it is: not before END_RESPONSE
        } else {
            out.add(head.bytes());
        }
    }

    private void onBody(ByteBuf data, List<Object> out) {
        if (!headersSeen) {
            throw new AjpProtocolException("SEND_BODY_CHUNK from the worker before SEND_HEADERS");
        }
        int n = data.readableBytes();
        if (noBody || n == 0) {
            return; // a body to a HEAD request is not passed on; an empty chunk is the container's flush
        }
        if (held != null) {
            throw new AjpProtocolException("SEND_BODY_CHUNK from the worker past its Content-Length " + declaredLength);
        }
        bodyBytes += n;
        if (chunked) {
            String size = Integer.toHexString(n);
            ByteBuf framed = ctx.alloc().buffer(size.length() + n + 4);
            framed.writeCharSequence(size, java.nio.charset.StandardCharsets.ISO_8859_1);
            framed.writeShort(0x0d0a).writeBytes(data).writeShort(0x0d0a);
            out.add(framed);
        } else if (bodyBytes > declaredLength) {
            throw new AjpProtocolException("more body from the worker than its Content-Length " + declaredLength);
        } else if (bodyBytes == declaredLength) {
            held = data.retainedSlice(); // the response's last bytes: they go with END_RESPONSE
        } else {
            out.add(data.retainedSlice());
        }
    }

    private void onEnd(boolean reuse, List<Object> out) {
        if (!inRequest || !headersSeen) {
            throw new AjpProtocolException("END_RESPONSE from the worker " + (inRequest ? "before SEND_HEADERS" : "outside a request"));
        }
        if (!noBody && !chunked && bodyBytes != declaredLength) {
            throw new AjpProtocolException("END_RESPONSE from the worker after " + bodyBytes + " of its Content-Length "
                    + declaredLength + " bytes");
        }
        inRequest = false;
        discardBody();
        if (!reuse) {
            if (status == 403) {
                SecretRefusals.report(LOG, worker, remote(), secretSent);
            }
            ctx.fireUserEventTriggered(NOT_REUSABLE);
        }
        if (held != null) {
            out.add(held);
            held = null;
        }
        if (chunked) {
            out.add(ctx.alloc().buffer(LAST_CHUNK.length).writeBytes(LAST_CHUNK));
        }
        if (reuse) {
            scheduleIdlePing();
        }
    }

    private String remote() {
        SocketAddress a = ctx.channel().remoteAddress();
        return a instanceof java.net.InetSocketAddress inet ? inet.getHostString() + ":" + inet.getPort() : String.valueOf(a);
    }

    /** Bytes received and not yet read as a packet (at most one packet's worth): for the reader's tests. */
    int buffered() {
        return actualReadableBytes();
    }

    // ---- CPing ----

    private Future<Void> ping() {
        Promise<Void> p = ctx.executor().newPromise();
        if (inRequest || ping != null || !ctx.channel().isActive()) {
            return p.setFailure(new AjpPingException("connection to " + worker + " is " + (ctx.channel().isActive() ? "busy" : "closed")));
        }
        ping = p;
        ctx.writeAndFlush(ctx.alloc().buffer(CPING.length).writeBytes(CPING));
        ctx.read();
        ScheduledFuture<?> timer = ctx.executor().schedule(() -> {
            if (ping == p) {
                ping = null;
                p.tryFailure(new AjpPingException("worker " + worker + " sent no CPong within " + pingTimeoutMillis + " ms"));
                ctx.close();
            }
        }, pingTimeoutMillis, TimeUnit.MILLISECONDS);
        p.addListener(f -> timer.cancel(false));
        return p;
    }

    private void onPong() {
        Promise<Void> p = ping;
        if (p == null) {
            throw new AjpProtocolException("CPONG from the worker without a CPing");
        }
        ping = null;
        p.trySuccess(null);
        if (!inRequest) {
            ctx.read(); // an idle pooled connection keeps a read pending, to notice the worker closing it
        }
    }

    private void scheduleIdlePing() {
        if (idlePingMillis <= 0 || ctx == null) {
            return;
        }
        if (idlePing != null) {
            idlePing.cancel(false);
        }
        idlePing = ctx.executor().schedule(() -> {
            idlePing = null;
            if (!inRequest && ping == null && ctx.channel().isActive()) {
                ping().addListener(f -> {
                    if (f.isSuccess()) {
                        scheduleIdlePing();
                    } else {
                        LOG.info("closing an idle AJP connection to {}: {}", worker, f.cause().getMessage());
                    }
                });
            }
        }, idlePingMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (ping != null) {
            Promise<Void> p = ping;
            ping = null;
            p.tryFailure(new AjpPingException("worker " + worker + " closed the connection before its CPong"));
        }
        if (idlePing != null) {
            idlePing.cancel(false);
        }
        discardBody();
        if (held != null) {
            held.release();
            held = null;
        }
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        for (ByteBuf b; (b = body.poll()) != null; ) {
            b.release();
        }
        ReferenceCountUtil.release(held);
        held = null;
    }

    // ---- the rest of ChannelOutboundHandler passes through ----

    @Override
    public void bind(ChannelHandlerContext ctx, SocketAddress localAddress, ChannelPromise promise) {
        ctx.bind(localAddress, promise);
    }

    @Override
    public void connect(ChannelHandlerContext ctx, SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
        ctx.connect(remoteAddress, localAddress, promise);
    }

    @Override
    public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.disconnect(promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.close(promise);
    }

    @Override
    public void deregister(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.deregister(promise);
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        ctx.read();
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        ctx.flush();
    }
}
