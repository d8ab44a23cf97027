package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;

/**
 * One side of an upgraded connection (WebSocket or any other {@code Upgrade}) after the worker's 101:
 * bytes are relayed as they are to the peer channel. Backpressure as in the proxy: this side is read
 * again only when what it read last has been written to the peer's socket. Either side closing, or
 * idling past {@code idle_timeout} on the client side, closes both.
 *
 * <p>Bytes that arrive before both pipelines are switched (a worker may send its first frame in the same
 * packet as its 101, and the decoders pass on what they hold when removed) wait until {@link #start}, so
 * they are relayed after the 101 and in order.
 */
final class TunnelHandler extends ChannelInboundHandlerAdapter {

    private final Channel peer;
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean started;
    private ChannelFuture lastWrite;

    TunnelHandler(Channel peer) {
        this.peer = peer;
    }

    /**
     * Turns a client connection and its worker connection into a tunnel: the HTTP handlers and codecs
     * leave both pipelines (what the decoders still hold passes on and waits in the tunnel), then both
     * directions start. Runs on the event loop both channels share.
     *
     * @param frontHandler the handler the tunnel replaces in the client's pipeline
     */
    static void splice(Channel front, ChannelHandler frontHandler, Channel backend) {
        TunnelHandler fromClient = new TunnelHandler(backend);
        TunnelHandler fromWorker = new TunnelHandler(front);
        BackendHandler.of(backend).unlease();
        front.pipeline().replace(frontHandler, "tunnel", fromClient);
        backend.pipeline().replace(BackendHandler.class, "tunnel", fromWorker);
        backend.pipeline().remove(IdleStateHandler.class);
        backend.pipeline().remove(ResponseParser.class); // passes on what followed the 101 in its input
        front.pipeline().remove(RequestParser.class); // likewise what followed the request, if not yet parsed
        fromWorker.start();
        fromClient.start();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Both sides are switched: relay what waited and start reading. */
    void start() {
        started = true;
        for (ByteBuf buf; (buf = early.poll()) != null; ) {
            lastWrite = peer.write(buf);
        }
        channelReadComplete(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf && !started) {
            early.add(buf);
        } else if (msg instanceof ByteBuf) {
            lastWrite = peer.write(msg);
        } else {
            ReferenceCountUtil.release(msg); // a request part the parser still emitted: not tunnel bytes
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!started) {
            return;
        }
        peer.flush();
        ChannelFuture written = lastWrite;
        lastWrite = null;
        if (written == null || written.isDone()) {
            ctx.read();
        } else {
            written.addListener(f -> {
                if (f.isSuccess()) {
                    ctx.read();
                }
            });
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        early.forEach(ByteBuf::release);
        early.clear();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
