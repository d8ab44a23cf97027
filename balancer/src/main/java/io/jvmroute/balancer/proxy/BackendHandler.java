package io.jvmroute.balancer.proxy;

import io.jvmroute.balancer.ajp.AjpClientHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of a connection to a worker: hands what arrives to the exchange that leased the
 * connection. While the connection idles in its pool nothing may arrive: data or an idle timeout close it,
 * and the pool keeps a read pending so that a worker's close is noticed before the connection is reused.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {

    private BackendListener listener;
    /** False once the worker said it closes the connection after this response (AJP13's reuse=0). */
    private boolean workerKeeps = true;

    static BackendHandler of(Channel channel) {
        return channel.pipeline().get(BackendHandler.class);
    }

    /** The connection now serves {@code exchange}; it reads only when the exchange asks (autoRead is off). */
    void lease(BackendListener exchange) {
        listener = exchange;
        workerKeeps = true;
    }

    boolean workerKeepsConnection() {
        return workerKeeps;
    }

    /** The connection goes back to its pool (or is closed). */
    void unlease() {
        listener = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (listener != null && msg instanceof ResponsePart part) {
            listener.backendRead(part);
        } else {
            ReferenceCountUtil.release(msg);
            ctx.close(); // a worker talking on an idle connection is out of step: never reuse it
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (listener != null) {
            listener.backendReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (listener != null && ctx.channel().isWritable()) {
            listener.backendWritable();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        BackendListener l = listener;
        listener = null;
        if (l != null) {
            l.backendClosed(null);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        BackendListener l = listener;
        listener = null;
        ctx.close();
        if (l != null) {
            l.backendClosed(cause);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == AjpClientHandler.NOT_REUSABLE) {
            workerKeeps = false;
        } else if (evt instanceof IdleStateEvent && listener == null) {
            ctx.close(); // idle too long in the pool: close before the worker's own keep-alive timeout does
        }
    }
}
