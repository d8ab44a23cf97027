package io.jvmroute.balancer.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * One client connection: takes its requests one at a time and connects each to a worker's response. The
 * glue between the two sides: what the client sends goes to the worker of the current attempt
 * ({@link Attempts} chooses it, retries and times it out), what the worker sends goes to the
 * {@link ResponseWriter}; this handler keeps the connection's own state (the request in progress, early
 * pipelined requests, a refused request's body being dropped) and answers with the balancer's own errors.
 *
 * <p>Backpressure (both channels have autoRead off, so nothing is read that cannot be passed on):
 * <ol>
 *   <li>The client is read only while the current request's worker connection is writable; when it is
 *       not, reading resumes on its writability change ({@link #backendWritable}).</li>
 *   <li>The worker is read again only when what was last read from it has been written to the client's
 *       socket ({@link ResponseWriter#readComplete}).</li>
 *   <li>Between requests the client is read for the next one; a pipelined request that arrives early
 *       waits in {@link #inbox} (at most one read's worth, since reading stops until the response ends).</li>
 * </ol>
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter implements BackendListener, Attempts.Client {

    private static final Logger LOG = LoggerFactory.getLogger(FrontendHandler.class);
    /** How much of a refused request's body is read and dropped to keep the connection; beyond it, close. */
    private static final long DISCARD_LIMIT = 256 * 1024;

    private final Supplier<ProxyRuntime> runtimes;
    private ChannelHandlerContext ctx;
    private Attempts attempts;
    private ResponseWriter writer;
    private InetAddress client;
    /** {@link #client} as text, formatted once per connection (headers and access log use it per request). */
    private String clientText;
    private Exchange ex;
    private final ArrayDeque<Object> inbox = new ArrayDeque<>();
    private boolean closing;
    /** The current request was answered before its body ended: the rest is read and dropped. */
    private boolean discarding;
    private long discarded;

    FrontendHandler(Supplier<ProxyRuntime> runtimes) {
        this.runtimes = runtimes;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.attempts = new Attempts(ctx, this, this, WorkerWires.INSTANCE);
        this.writer = new ResponseWriter(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        SocketAddress remote = ctx.channel().remoteAddress();
        client = remote instanceof InetSocketAddress inet ? inet.getAddress() : InetAddress.getLoopbackAddress();
        clientText = client.getHostAddress();
        ctx.read();
    }

    // ---- client side ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
        } else if (ex != null && ex.requestComplete) {
            inbox.add(msg); // the next pipelined request: handled when this response is done
        } else {
            handle(msg);
        }
    }

    private void handle(Object msg) {
        if (discarding) {
            discard(msg);
            return;
        }
        if (msg instanceof RequestHead request) {
            if (ex != null) { // a new request before the last body part: the parser would not produce this
                request.release();
                closeClient();
                return;
            }
            startExchange(request);
        } else if (msg instanceof RequestBody part) {
            onBodyPart(part);
        } else if (msg instanceof RequestParser.Malformed bad) {
            onMalformed(bad);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    /** A refused head (no exchange yet) or a malformed chunked body (the exchange fails): 400/414/431 and close. */
    private void onMalformed(RequestParser.Malformed bad) {
        if (ex != null) {
            fail(HttpResponseStatus.BAD_REQUEST, "malformed request body (" + bad.reason() + ")");
        } else if (bad.status() == 414) {
            refuse(HttpResponseStatus.REQUEST_URI_TOO_LONG, "the request line is longer than the balancer accepts"
                    + " (balancer.max_initial_line)");
        } else if (bad.status() == 431) {
            refuse(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "the request headers are larger than the"
                    + " balancer accepts (balancer.max_header_size)");
        } else {
            refuse(HttpResponseStatus.BAD_REQUEST, "malformed request (" + bad.reason() + ")");
        }
    }

    private void startExchange(RequestHead request) {
        ex = new Exchange(request, runtimes.get());
        attempts.start(ex, client, clientText);
    }

    private void onBodyPart(RequestBody part) {
        if (ex == null) {
            part.release();
        } else {
            attempts.forward(ex, part);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (discarding) {
            ctx.read();
        } else if (ex != null && ex.backend != null) {
            ex.backend.flush();
            if (!ex.requestComplete && ex.backend.isWritable()) {
                ctx.read();
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && ex == null) {
            ctx.close(); // an idle keep-alive client; a request in progress is bounded by response_timeout
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        attempts.stop();
        if (ex != null) {
            attempts.abandon(ex);
            finish(ex.responseStarted ? ex.status : 499);
        }
        dropInbox();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("client connection {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    // ---- worker side (BackendListener): the response to the writer, failures to the attempts ----

    @Override
    public void backendRead(ResponsePart part) {
        if (ex == null || ex.backend == null) {
            ReferenceCountUtil.release(part);
            return;
        }
        if (part instanceof ResponseHead head) {
            try {
                onHead(head);
            } finally {
                head.release();
            }
        } else if (part instanceof ResponseBody body) {
            writer.body(ex, body);
            if (body.last) {
                endExchange();
            }
        } else if (part instanceof ResponseParser.Malformed bad) {
            attempts.failed(ex, "malformed response from worker: " + bad.reason());
        }
    }

    private void onHead(ResponseHead head) {
        switch (head.framing) {
            case UPGRADE -> upgrade(head); // the parser reports it only when the request asked for it
            case INTERIM -> writer.interim(ex, head); // e.g. 100 Continue: keep waiting for the real answer
            default -> {
                attempts.responded(ex, head.status);
                writer.head(ex, head);
            }
        }
    }

    /** The worker switched protocols: this request ends here and the connection becomes a tunnel. */
    private void upgrade(ResponseHead head) {
        Channel backend = attempts.handOver(ex);
        Exchange upgraded = finish(101);
        closing = true;
        dropInbox();
        writer.switchProtocols(upgraded, head, backend);
    }

    @Override
    public void backendReadComplete() {
        writer.readComplete(ex);
    }

    @Override
    public void backendWritable() {
        if (ex != null && !ex.requestComplete) {
            ctx.read();
        }
    }

    @Override
    public void backendClosed(Throwable cause) {
        if (ex == null || ex.backend == null) {
            return;
        }
        attempts.failed(ex, cause == null ? "worker closed the connection" : cause.toString());
    }

    // ---- what the attempts ask of the client side (Attempts.Client) ----

    @Override
    public void readRequest() {
        ctx.read();
    }

    /**
     * Answers the current request with the balancer's own error. A keep-alive connection stays open: the
     * rest of the request body, if any, is read and dropped (up to {@link #DISCARD_LIMIT} bytes, beyond
     * that the connection closes rather than read a large upload for nothing).
     */
    @Override
    public void fail(HttpResponseStatus status, String explanation) {
        attempts.detach(ex, false);
        ex.status = status.code();
        Exchange failed = finish(status.code());
        boolean keep = failed.clientKeepAlive && !status.equals(HttpResponseStatus.BAD_REQUEST);
        var response = ErrorResponses.of(ctx.alloc(), status, explanation, keep);
        if (!keep) {
            closing = true;
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.writeAndFlush(response);
        if (failed.requestComplete) {
            nextRequest();
        } else {
            discarding = true;
            discarded = 0;
            ctx.read();
        }
    }

    @Override
    public void cutOff() {
        finish(ex.status);
        closeClient();
    }

    // ---- ending a request ----

    private void endExchange() {
        attempts.succeeded(ex);
        Exchange done = finish(ex.status);
        if (!done.clientKeepAlive || !done.requestComplete || done.closeAfter) {
            closeClient();
            return;
        }
        ctx.flush();
        nextRequest();
    }

    /** The current exchange is over: its access-log line, its buffers freed; returned for what follows. */
    private Exchange finish(int status) {
        Exchange done = ex;
        ex = null;
        AccessLog.log(clientText, done, status);
        done.release();
        return done;
    }

    private void dropInbox() {
        inbox.forEach(ReferenceCountUtil::release);
        inbox.clear();
    }

    /** Drops a body part of a request already answered; the last one makes the connection ready again. */
    private void discard(Object msg) {
        if (msg instanceof RequestBody part) {
            discarded += part.content().readableBytes();
            if (part.last) {
                discarding = false;
            }
        }
        ReferenceCountUtil.release(msg);
        if (discarded > DISCARD_LIMIT || msg instanceof RequestParser.Malformed) {
            closeClient();
        } else if (!discarding) {
            nextRequest();
        }
    }

    /**
     * The connection is free: handle a request that arrived early, or read the next one. A request taken
     * from the inbox brings its body parts (at least the parser's end marker) along: they are handled
     * with it, else the request would never be complete and its response would close the connection.
     */
    private void nextRequest() {
        while (!inbox.isEmpty() && !closing && (ex == null ? !discarding : !ex.requestComplete)) {
            handle(inbox.poll());
        }
        if (ex == null && !discarding && !closing) {
            ctx.read();
        }
    }

    /** A request the balancer refuses before choosing a worker (malformed, too long): answer and close. */
    private void refuse(HttpResponseStatus status, String explanation) {
        closing = true;
        AccessLog.log(clientText, "-", "-", status.code(), 0, 0, null, null, "refused");
        ctx.writeAndFlush(ErrorResponses.of(ctx.alloc(), status, explanation, false)).addListener(ChannelFutureListener.CLOSE);
    }

    private void closeClient() {
        closing = true;
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
}
