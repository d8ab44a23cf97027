package io.jvmroute.balancer.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;

/**
 * Writes a worker's response on to the client, framed for what the client speaks: the head rewritten by
 * {@link ClientHead}, the body as it came, re-chunked when the worker delimits it by closing, or sent raw
 * and ended by closing to an HTTP/1.0 client that knows no chunks. A 101 hands both connections over to a
 * byte tunnel ({@link TunnelHandler}).
 *
 * <p>Backpressure, the response's half of it: the worker is read again only when what was last read from it
 * has been written to the client's socket (the write's future), so a client that stops reading stops the
 * worker with at most one read's worth of response held here.
 */
final class ResponseWriter {

    private final ChannelHandlerContext ctx;

    /** @param ctx the client's handler context: everything is written there, on its event loop */
    ResponseWriter(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** A 1xx before the real answer (e.g. 100 Continue): passed on, and the real head is still awaited. */
    void interim(Exchange ex, ResponseHead head) {
        ex.lastWrite = ctx.write(ClientHead.write(ctx.alloc(), head, ex.http10, null, false, null));
    }

    /** The response head: decides how the body is framed for the client and whether the connection stays. */
    void head(Exchange ex, ResponseHead head) {
        boolean http10 = ex.http10;
        ex.backendKeepAlive = head.keepAlive;
        boolean unsized = head.framing == ResponseHead.Framing.CHUNKED || head.framing == ResponseHead.Framing.UNTIL_CLOSE;
        // HTTP/1.0 knows no chunks: an unsized body is sent raw (the parser takes chunks off) and delimited by closing
        ex.closeAfter = http10 && unsized;
        // a body delimited by the worker closing is re-framed as chunked, so that the client's connection stays
        ex.rechunk = !http10 && head.framing == ResponseHead.Framing.UNTIL_CLOSE;
        String connection = !ex.clientKeepAlive || ex.closeAfter ? "close" : http10 ? "keep-alive" : null;
        ex.lastWrite = ctx.write(ClientHead.write(ctx.alloc(), head, http10, connection, ex.rechunk, null));
    }

    /** A piece of the body; the caller ends the exchange after the last one. */
    void body(Exchange ex, ResponseBody body) {
        ex.responseBytes += body.payload;
        ex.decision.worker().responded(body.payload);
        if (ex.rechunk) {
            ChannelFuture written = ChunkedFraming.write(ctx, body.content(), body.last);
            if (written != null) {
                ex.lastWrite = written;
            }
        } else if (body.content().isReadable()) {
            ex.lastWrite = ctx.write(body.content());
        } else {
            body.release();
        }
    }

    /**
     * The worker accepted an upgrade: answer the client with its 101 and turn both connections into a
     * byte tunnel. The parsers go (any bytes they hold pass on to the tunnel), the worker's connection has
     * left its pool for good ({@link Attempts#handOver}), and the client's handler leaves its pipeline.
     */
    void switchProtocols(Exchange ex, ResponseHead head, Channel backend) {
        ex.status = 101;
        String upgrade = head.upgrade != null ? head.upgrade : ex.upgrade;
        ctx.write(ClientHead.write(ctx.alloc(), head, false, "upgrade", false, upgrade));
        TunnelHandler.splice(ctx.channel(), ctx.handler(), backend);
    }

    /** The end of one read from the worker: flush to the client, and read the worker on once the client took it. */
    void readComplete(Exchange ex) {
        ctx.flush();
        if (ex == null || ex.backend == null) {
            return;
        }
        Channel backend = ex.backend;
        ChannelFuture written = ex.lastWrite;
        ex.lastWrite = null;
        if (written == null || written.isDone()) {
            backend.read();
        } else {
            written.addListener(f -> {
                if (f.isSuccess() && !ex.released() && ex.backend == backend) {
                    backend.read();
                }
            });
        }
    }
}
