package io.jvmroute.balancer.proxy;

import io.jvmroute.balancer.ajp.AjpClientHandler;
import io.jvmroute.balancer.ajp.AjpForwardRequest;
import io.jvmroute.balancer.ajp.AjpRequestStart;
import io.jvmroute.balancer.routing.WorkerState;
import io.jvmroute.config.WorkerDef;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLSession;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * What a request needs when it goes to an AJP13 worker, kept beside its {@link Exchange}: the FORWARD_REQUEST
 * written once ({@link AjpHeads}), the packet of each attempt, and the body passed without HTTP framing (a
 * chunked body's chunk lines are taken off here; the parts kept for a retry stay as the client sent them, so
 * every attempt reads them afresh). Also answers {@code Expect: 100-continue} itself, once: AJP has no
 * interim responses, and a client that waits for one would otherwise wait for nothing.
 */
final class AjpExchange {

    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private final ChannelHandlerContext front;
    private final AjpForwardRequest request;
    private final boolean chunked;
    private final boolean expectContinue;
    private ChunkedReader<MalformedRequest> dechunker;
    private boolean continued;

    private AjpExchange(ChannelHandlerContext front, AjpForwardRequest request, boolean chunked, boolean expectContinue) {
        this.front = front;
        this.request = request;
        this.chunked = chunked;
        this.expectContinue = expectContinue;
    }

    /** The AJP side of a request, or null when no worker of the lb speaks AJP13. */
    static AjpExchange of(ChannelHandlerContext ctx, RequestHead head, ProxyRuntime rt, InetSocketAddress client,
                          String clientText) {
        if (!rt.anyAjp()) {
            return null;
        }
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        SSLSession session = ssl == null ? null : ssl.engine().getSession();
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        return new AjpExchange(ctx, AjpHeads.toAjp(ctx.alloc(), head, rt.headers(), client, clientText, local, session),
                head.framing == RequestHead.Framing.CHUNKED, head.expectContinue && !head.http10);
    }

    /**
     * The FORWARD_REQUEST packet of an attempt at {@code worker}; from here on the body starts again.
     *
     * @throws AjpForwardRequest.TooLargeException when the head does not fit in the worker's packet size
     */
    AjpRequestStart start(WorkerState worker, String movedFromRoute, String failoverHeader)
            throws AjpForwardRequest.TooLargeException {
        WorkerDef def = worker.def();
        dechunker = chunked ? new ChunkedReader<>(Integer.MAX_VALUE, MalformedRequest::bad) : null;
        if (dechunker != null) {
            dechunker.start();
        }
        String activation = switch (worker.activation()) {
            case ACTIVE -> "ACT";
            case DISABLED -> "DIS";
            case STOPPED -> "STP";
        };
        return request.packet(front.alloc(), def.ajp().secret().orElse(null), def.route(), activation, failoverHeader,
                movedFromRoute, def.ajp().maxPacketSize());
    }

    /** Writes a part of the body as the client sent it (this releases {@code part}). */
    void write(Channel backend, ByteBuf part) {
        if (dechunker == null) {
            backend.write(part);
            return;
        }
        try {
            for (int n; (n = dechunker.nextData(part)) > 0; ) {
                backend.write(part.readRetainedSlice(n));
            }
        } catch (MalformedRequest e) {
            // the request parser checked this framing already: it cannot be malformed here
            throw new IllegalStateException(e);
        } finally {
            part.release();
        }
    }

    /** The body ended: the container gets an empty packet when it asks for more. */
    void end(Channel backend) {
        backend.write(AjpClientHandler.BODY_END);
    }

    /** Answers 100 Continue to a client that waits for it, once per request. */
    void continueIfExpected(boolean requestComplete) {
        if (expectContinue && !requestComplete && !continued) {
            continued = true;
            front.writeAndFlush(Unpooled.wrappedBuffer(CONTINUE));
        }
    }

    void release() {
        request.release();
    }
}
