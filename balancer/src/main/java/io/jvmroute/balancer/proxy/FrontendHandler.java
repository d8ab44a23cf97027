package io.jvmroute.balancer.proxy;

import io.jvmroute.balancer.routing.Decision;
import io.jvmroute.balancer.routing.Router;
import io.jvmroute.balancer.routing.WorkerState;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One client connection: takes its requests one at a time, picks a worker ({@link Router}), forwards the
 * request over a pooled connection of the same event loop and streams the response back.
 *
 * <p>Backpressure (both channels have autoRead off, so nothing is read that cannot be passed on):
 * <ol>
 *   <li>The client is read only while the current request's worker connection is writable; when it is
 *       not, reading resumes on its writability change ({@link #backendWritable}).</li>
 *   <li>The worker is read again only when what was last read from it has been written to the client's
 *       socket (the write's future): a client that stops reading stops the worker, with at most one read's
 *       worth of response held here.</li>
 *   <li>Between requests the client is read for the next one; a pipelined request that arrives early
 *       waits in {@link #inbox} (at most one read's worth, since reading stops until the response ends).</li>
 * </ol>
 *
 * <p>Failover: a connect failure marks the worker down and tries the next one whatever the method; a
 * failure after the request reached a worker is retried only for idempotent requests whose body was
 * kept (empty or within {@code retry_buffer}), else the client gets 502; no response headers within
 * {@code response_timeout} give 504. At most {@code retries} further workers are tried.
 */
public final class FrontendHandler extends ChannelInboundHandlerAdapter implements BackendListener {

    private static final Logger LOG = LoggerFactory.getLogger(FrontendHandler.class);

    private final Supplier<ProxyRuntime> runtimes;
    private ChannelHandlerContext ctx;
    private InetAddress client;
    private InetSocketAddress clientAddress;
    /** {@link #client} as text, formatted once per connection (headers and access log use it per request). */
    private String clientText;
    private Exchange ex;
    private final ArrayDeque<Object> inbox = new ArrayDeque<>();
    private boolean closing;
    /** The current request was answered before its body ended: the rest is read and dropped. */
    private boolean discarding;
    /** The pending response-timeout check of this connection, or null ({@link #startResponseTimer}). */
    private ScheduledFuture<?> responseTimer;
    private long discarded;
    private static final long DISCARD_LIMIT = 256 * 1024;

    public FrontendHandler(Supplier<ProxyRuntime> runtimes) {
        this.runtimes = runtimes;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        SocketAddress remote = ctx.channel().remoteAddress();
        clientAddress = remote instanceof InetSocketAddress inet ? inet : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        client = clientAddress.getAddress();
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
            failRequest(HttpResponseStatus.BAD_REQUEST, "malformed request body (" + bad.reason() + ")");
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
        ProxyRuntime rt = runtimes.get();
        ex = new Exchange(request, rt);
        Router router = rt.router();
        ex.match = router.match(request.uri, request.cookies);
        if (router.isDomainMatch(ex.match)) {
            ex.requestedRoute = router.routeOf(request.uri, request.cookies);
        } else if (ex.match >= 0) {
            ex.requestedRoute = router.workers().get(ex.match).route();
        }
        // WebSocket and the like: asked of the worker, tunnelled after its 101
        ex.upgrade = request.upgrade;
        try {
            if (rt.anyHttp()) {
                ex.backendHead = rt.headers().toBackend(ctx.alloc(), request, client, clientText, rt.tls(), request.upgrade);
            }
            ex.ajp = AjpExchange.of(ctx, request, rt, clientAddress, clientText);
        } finally {
            // the client's bytes are not needed any more; held, they would make the parser copy its input
            request.release();
        }
        nextAttempt();
    }

    private void onBodyPart(RequestBody part) {
        if (ex == null) {
            part.release();
            return;
        }
        ex.requestBytes += part.payload;
        boolean last = part.last;
        if (ex.decision != null && !ex.decision.refused()) {
            ex.decision.worker().requested(part.payload);
        }
        ByteBuf content = part.content();
        if (!content.isReadable()) {
            content.release(); // the end of a request without body: nothing to send
        } else if (ex.backend != null) {
            ex.keepForReplay(content, ex.runtime.settings().retryBuffer());
            ex.writeBody(ex.backend, content);
        } else {
            ex.unsent.add(content);
        }
        if (last) {
            ex.requestComplete = true;
            if (ex.backend != null) {
                ex.endBody(ex.backend);
                ex.backend.flush();
                startResponseTimer();
            }
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
        if (responseTimer != null) {
            responseTimer.cancel(false);
            responseTimer = null;
        }
        if (ex != null) {
            Exchange gone = ex;
            ex = null;
            if (gone.backend != null) {
                gone.pool.release(gone.backend, false);
            }
            if (gone.decision != null && !gone.decision.refused()) {
                gone.decision.worker().finished(System.nanoTime() - gone.attemptStartNanos, true);
            }
            log(gone, gone.responseStarted ? gone.status : 499);
            gone.release();
        }
        inbox.forEach(ReferenceCountUtil::release);
        inbox.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("client connection {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    // ---- choosing and connecting to a worker ----

    private void nextAttempt() {
        Router router = ex.runtime.router();
        Decision d = router.decide(ex.match, ex.requestedRoute, ex.tried);
        ex.decision = d;
        if (d.refused()) {
            failRequest(HttpResponseStatus.SERVICE_UNAVAILABLE, ex.runtime.router().lb().stickySessionForce() && ex.requestedRoute != null
                    ? "the worker of this session (" + ex.requestedRoute + ") is unavailable and sticky_session_force is set"
                    : "no worker is available");
            return;
        }
        WorkerState worker = d.worker();
        // h2c is an offer a server may ignore (Java's HttpClient makes it by default): over AJP13 it is ignored
        if (worker.def().speaksAjp() && ex.upgrade != null && !ex.upgrade.trim().equalsIgnoreCase("h2c")) {
            failRequest(HttpResponseStatus.NOT_IMPLEMENTED, "worker " + worker.name() + " is spoken to in AJP13, which"
                    + " cannot carry an Upgrade (" + ex.upgrade + "); give it an http_port or type=http for WebSocket");
            return;
        }
        if (ex.ajpStart != null) { // an earlier attempt's, never written (its connect failed)
            ex.ajpStart.release();
            ex.ajpStart = null;
        }
        if (worker.def().speaksAjp()) {
            try {
                ex.ajpStart = ex.ajp.start(ctx.alloc(), worker, d.movedFromRoute(), ex.runtime.headers().failoverHeader());
            } catch (io.jvmroute.balancer.ajp.AjpForwardRequest.TooLargeException e) {
                failRequest(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, e.getMessage());
                return;
            }
        }
        ex.attempts++;
        ex.tried = Router.markTried(ex.tried, router.indexOf(worker));
        ex.attemptStartNanos = System.nanoTime();
        worker.started();
        if (d.movedFromRoute() != null && ex.requestedRoute != null && ex.match >= 0 && !router.isDomainMatch(ex.match)) {
            router.workers().get(ex.match).failedOver();
        }
        ex.pool = ex.runtime.pools().pool(ctx.channel().eventLoop(), worker);
        Exchange owner = ex;
        ex.pool.acquire().addListener((Future<Channel> f) -> onConnected(owner, f));
    }

    private void onConnected(Exchange owner, Future<Channel> f) {
        if (owner != ex) { // the client left meanwhile
            if (f.isSuccess()) {
                owner.pool.release(f.getNow(), true);
            }
            return;
        }
        WorkerState worker = ex.decision.worker();
        if (!f.isSuccess()) {
            boolean exhausted = f.cause() instanceof BackendPool.PoolExhaustedException;
            if (!exhausted) {
                worker.markDown("connect failed: " + f.cause().getMessage());
                LOG.warn("worker {} ({}) is down: connect failed: {}", worker.name(), ex.pool.address(), f.cause().toString());
            }
            worker.finished(System.nanoTime() - ex.attemptStartNanos, true);
            retryOr(HttpResponseStatus.BAD_GATEWAY, "could not connect to worker " + worker.name(), true);
            return;
        }
        Channel backend = f.getNow();
        ex.backend = backend;
        BackendHandler.of(backend).lease(this);
        ex.parser = ResponseParser.of(backend);
        ex.parser.expect(ex.request.isHead(), ex.upgrade != null, ex.http10);
        if (ex.ajpStart != null) {
            backend.write(ex.ajpStart);
            ex.ajpStart = null;
            ex.ajp.continueIfExpected(ctx, ex.requestComplete);
        } else {
            // the same head for every attempt but for the failover line
            backend.write(ex.runtime.headers().forAttempt(backend.alloc(), ex.backendHead, ex.decision.movedFromRoute()));
        }
        ex.writeReplay(backend);
        for (ByteBuf part; (part = ex.unsent.poll()) != null; ) {
            ex.keepForReplay(part, ex.runtime.settings().retryBuffer());
            ex.writeBody(backend, part);
        }
        if (ex.requestComplete) {
            ex.endBody(backend);
        }
        backend.flush();
        backend.read();
        if (ex.requestComplete) {
            startResponseTimer();
        } else if (backend.isWritable()) {
            ctx.read();
        }
    }

    /**
     * After a failed attempt: the next worker if the rules allow, else an error answer.
     *
     * @param beforeSend the request never reached a worker (connect failure): any method may be retried
     */
    private void retryOr(HttpResponseStatus status, String explanation, boolean beforeSend) {
        boolean allowed = beforeSend || ex.retryableAfterSend();
        if (allowed && ex.attempts <= ex.runtime.settings().retries()) {
            ex.decision = null;
            nextAttempt();
        } else {
            failRequest(status, explanation);
        }
    }

    /**
     * Arms the response timeout of the current attempt. One timer per connection checks deadlines and
     * re-arms itself while a later one is pending: scheduling and cancelling a task for every request cost
     * more than routing it.
     */
    private void startResponseTimer() {
        ex.responseDeadline = System.nanoTime() + ex.runtime.settings().responseTimeout().toNanos();
        if (responseTimer == null) {
            armResponseTimer(ex.responseDeadline);
        }
    }

    private void armResponseTimer(long deadline) {
        responseTimer = ctx.executor().schedule(this::checkResponseTimeout, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    private void checkResponseTimeout() {
        responseTimer = null;
        if (ex == null || ex.responseStarted || ex.responseDeadline == 0) {
            return; // nothing awaited: the next request arms the timer again
        }
        if (ex.responseDeadline - System.nanoTime() > 0) {
            armResponseTimer(ex.responseDeadline);
            return;
        }
        WorkerState worker = ex.decision.worker();
        worker.finished(System.nanoTime() - ex.attemptStartNanos, true);
        detachBackend(false);
        failRequest(HttpResponseStatus.GATEWAY_TIMEOUT, "worker " + worker.name() + " sent no response within "
                + ex.runtime.settings().responseTimeout().toMillis() + " ms");
    }

    // ---- worker side (BackendListener) ----

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
            onBody(body);
        } else if (part instanceof ResponseParser.Malformed bad) {
            backendFailed("malformed response from worker: " + bad.reason());
        }
    }

    private void onHead(ResponseHead head) {
        boolean http10 = ex.http10;
        switch (head.framing) {
            case UPGRADE -> onSwitchingProtocols(head); // the parser reports it only when the request asked for it
            // e.g. 100 Continue: pass on and keep waiting for the real answer
            case INTERIM -> ex.lastWrite = ctx.write(ClientHead.write(ctx.alloc(), head, http10, null, false, null));
            default -> onResponseHead(head, http10);
        }
    }

    private void onBody(ResponseBody body) {
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
        if (body.last) {
            endExchange();
        }
    }

    /**
     * The worker accepted an upgrade: answer the client with its 101 and turn both connections into a
     * byte tunnel. The parsers go (any bytes they hold pass on to the tunnel), the worker's connection
     * leaves its pool for good, and this handler leaves the client's pipeline.
     */
    private void onSwitchingProtocols(ResponseHead head) {
        ex.cancelTimer();
        ex.status = 101;
        String upgrade = head.upgrade != null ? head.upgrade : ex.upgrade;
        ctx.write(ClientHead.write(ctx.alloc(), head, false, "upgrade", false, upgrade));
        Channel backend = ex.backend;
        ex.backend = null;
        ex.decision.worker().finished(System.nanoTime() - ex.attemptStartNanos, false);
        log(ex, 101);
        ex.release();
        ex = null;
        closing = true;
        inbox.forEach(ReferenceCountUtil::release);
        inbox.clear();

        TunnelHandler.splice(ctx.channel(), this, backend);
    }

    private void onResponseHead(ResponseHead head, boolean http10) {
        ex.cancelTimer();
        ex.responseStarted = true;
        int code = head.status;
        ex.status = code;
        WorkerState worker = ex.decision.worker();
        if (worker.def().failOnStatus().contains(code)) {
            worker.markDown("answered " + code + " (fail_on_status)");
            LOG.warn("worker {} is down: answered {} (fail_on_status)", worker.name(), code);
        }
        ex.backendKeepAlive = head.keepAlive;
        boolean unsized = head.framing == ResponseHead.Framing.CHUNKED || head.framing == ResponseHead.Framing.UNTIL_CLOSE;
        // HTTP/1.0 knows no chunks: an unsized body is sent raw (the parser takes chunks off) and delimited by closing
        ex.closeAfter = http10 && unsized;
        // a body delimited by the worker closing is re-framed as chunked, so that the client's connection stays
        ex.rechunk = !http10 && head.framing == ResponseHead.Framing.UNTIL_CLOSE;
        String connection = !ex.clientKeepAlive || ex.closeAfter ? "close" : http10 ? "keep-alive" : null;
        ex.lastWrite = ctx.write(ClientHead.write(ctx.alloc(), head, http10, connection, ex.rechunk, null));
    }

    @Override
    public void backendReadComplete() {
        ctx.flush();
        if (ex == null || ex.backend == null) {
            return;
        }
        Exchange owner = ex;
        Channel backend = ex.backend;
        ChannelFuture written = ex.lastWrite;
        ex.lastWrite = null;
        if (written == null || written.isDone()) {
            backend.read();
        } else {
            // read more from the worker only once the client's socket took what we read (step 2)
            written.addListener(f -> {
                if (f.isSuccess() && owner == ex && owner.backend == backend) {
                    backend.read();
                }
            });
        }
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
        backendFailed(cause == null ? "worker closed the connection" : cause.toString());
    }

    private void backendFailed(String why) {
        WorkerState worker = ex.decision.worker();
        worker.finished(System.nanoTime() - ex.attemptStartNanos, true);
        detachBackend(false);
        if (ex.responseStarted) {
            LOG.info("response from worker {} cut off: {}", worker.name(), why);
            log(ex, ex.status);
            ex.release();
            ex = null;
            closeClient();
            return;
        }
        ex.cancelTimer();
        retryOr(HttpResponseStatus.BAD_GATEWAY, "worker " + worker.name() + " failed: " + why, false);
    }

    // ---- ending a request ----

    private void endExchange() {
        Exchange done = ex;
        done.decision.worker().finished(System.nanoTime() - done.attemptStartNanos, false);
        // bytes after the end of the response mean a worker out of step (a wrong Content-Length): never reuse
        boolean reusable = done.requestComplete && done.backendKeepAlive && done.parser.holdsNothing();
        detachBackend(reusable);
        log(done, done.status);
        done.release();
        ex = null;
        if (!done.clientKeepAlive || !done.requestComplete || done.closeAfter) {
            closeClient();
            return;
        }
        ctx.flush();
        nextRequest();
    }

    private void detachBackend(boolean reusable) {
        if (ex.backend != null) {
            Channel backend = ex.backend;
            ex.backend = null;
            ex.pool.release(backend, reusable);
        }
    }

    /**
     * Answers the current request with the balancer's own error. A keep-alive connection stays open: the
     * rest of the request body, if any, is read and dropped (up to {@link #DISCARD_LIMIT} bytes, beyond
     * that the connection closes rather than read a large upload for nothing).
     */
    private void failRequest(HttpResponseStatus status, String explanation) {
        Exchange failed = ex;
        failed.cancelTimer();
        detachBackend(false);
        ex = null;
        failed.status = status.code();
        log(failed, status.code());
        failed.release();
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
        ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void log(Exchange e, int status) {
        if (!AccessLog.enabled()) {
            return;
        }
        Decision d = e.decision;
        AccessLog.log(clientText, e.request.method, e.request.uri, status, e.responseBytes,
                System.nanoTime() - e.startNanos, e.requestedRoute,
                d == null || d.refused() ? null : d.worker().name(),
                d == null ? "-" : d.reason().label());
    }
}
