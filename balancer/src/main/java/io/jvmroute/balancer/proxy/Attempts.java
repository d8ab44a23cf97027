package io.jvmroute.balancer.proxy;

import io.jvmroute.balancer.routing.Decision;
import io.jvmroute.balancer.routing.Router;
import io.jvmroute.balancer.routing.WorkerState;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

/**
 * Gets the current request of one client connection to a worker: chooses one ({@link Router#decide}),
 * leases a connection from its pool, has the {@link BackendWire} start the request on it, and after a
 * failure tries the next worker while the rules allow.
 *
 * <p>The rules: a connect failure marks the worker down and tries the next one whatever the method; a
 * failure after the request reached a worker is retried only for idempotent requests whose body was kept
 * (empty or within {@code retry_buffer}), else the client gets 502; no response headers within
 * {@code response_timeout} give 504. At most {@code retries} further workers are tried.
 *
 * <p>This class knows workers, pools, time and the worker statistics an attempt feeds; it knows no wire
 * format (that is the {@link BackendWire}'s) and writes nothing to the client (it asks its {@link Client}).
 * Everything runs on the client's event loop, which is also the loop of the pools it leases from: no locks.
 */
final class Attempts {

    /** What the attempts need from the client side of the connection. */
    interface Client {

        /** The worker connection can take more of the request body: read the client on. */
        void readRequest();

        /** No worker will answer: answer the current request with the balancer's own error. */
        void fail(HttpResponseStatus status, String explanation);

        /** The worker failed after its response started: nothing can be retried, the client is cut off. */
        void cutOff();
    }

    private static final Logger LOG = LoggerFactory.getLogger(Attempts.class);

    private final ChannelHandlerContext ctx;
    private final Client client;
    private final BackendListener events;
    private final BackendWire wire;
    /** The pending response-timeout check of this connection, or null ({@link #awaitResponse}). */
    private ScheduledFuture<?> responseTimer;
    /** The exchange whose response the timer watches. */
    private Exchange timed;

    /**
     * @param ctx    the client's handler context: its event loop picks the pools, its executor runs the timer
     * @param events where a leased connection reports what the worker sends
     */
    Attempts(ChannelHandlerContext ctx, Client client, BackendListener events, BackendWire wire) {
        this.ctx = ctx;
        this.client = client;
        this.events = events;
        this.wire = wire;
    }

    /**
     * A new request: the route it asks for, its head in the wire's format (once, for every attempt), then
     * the first attempt. The client's head bytes are released here: held, they would make the request
     * parser copy its input.
     */
    void start(Exchange ex, InetAddress clientAddress, String clientText) {
        RequestHead request = ex.request;
        Router router = ex.runtime.router();
        ex.match = router.match(request.uri, request.cookies);
        if (router.isDomainMatch(ex.match)) {
            ex.requestedRoute = router.routeOf(request.uri, request.cookies);
        } else if (ex.match >= 0) {
            ex.requestedRoute = router.workers().get(ex.match).route();
        }
        ex.upgrade = request.upgrade;
        try {
            ex.backendHead = wire.prepare(ctx, ex, clientAddress, clientText);
        } finally {
            request.release();
        }
        next(ex);
    }

    /**
     * A part of the request body: to the worker if connected (a copy kept for a retry while the copies fit
     * {@code retry_buffer}), else held until the connection is there ({@link BackendWire#begin} sends it).
     * After the last part the response is awaited.
     */
    void forward(Exchange ex, RequestBody part) {
        ex.requestBytes += part.payload;
        if (ex.decision != null && !ex.decision.refused()) {
            ex.decision.worker().requested(part.payload);
        }
        ByteBuf content = part.content();
        if (!content.isReadable()) {
            content.release(); // the end of a request without body: nothing to send
        } else if (ex.backend != null) {
            ex.keepForReplay(content, ex.runtime.settings().retryBuffer());
            wire.send(ex.backend, ex, content);
        } else {
            ex.unsent.add(content);
        }
        if (part.last) {
            ex.requestComplete = true;
            if (ex.backend != null) {
                wire.end(ex.backend, ex);
                ex.backend.flush();
                awaitResponse(ex);
            }
        }
    }

    /** Makes the next attempt: a new worker, or the balancer's 503 when the router refuses. */
    void next(Exchange ex) {
        Router router = ex.runtime.router();
        Decision d = router.decide(ex.match, ex.requestedRoute, ex.tried);
        ex.decision = d;
        if (d.refused()) {
            client.fail(HttpResponseStatus.SERVICE_UNAVAILABLE, router.lb().stickySessionForce() && ex.requestedRoute != null
                    ? "the worker of this session (" + ex.requestedRoute + ") is unavailable and sticky_session_force is set"
                    : "no worker is available");
            return;
        }
        WorkerState worker = d.worker();
        BackendWire.Refusal refusal = wire.prepareAttempt(ex);
        if (refusal != null) {
            client.fail(refusal.status(), refusal.explanation());
            return;
        }
        ex.attempts++;
        ex.tried = Router.markTried(ex.tried, router.indexOf(worker));
        ex.attemptStartNanos = System.nanoTime();
        worker.started();
        if (d.movedFromRoute() != null && ex.requestedRoute != null && ex.match >= 0 && !router.isDomainMatch(ex.match)) {
            router.workers().get(ex.match).failedOver();
        }
        ex.pool = ex.runtime.pools().pool(ctx.channel().eventLoop(), worker);
        ex.pool.acquire().addListener((Future<Channel> f) -> connected(ex, f));
    }

    private void connected(Exchange ex, Future<Channel> f) {
        if (ex.released()) { // the client left meanwhile
            if (f.isSuccess()) {
                ex.pool.release(f.getNow(), true);
            }
            return;
        }
        WorkerState worker = ex.decision.worker();
        if (!f.isSuccess()) {
            // all connections busy is a slow worker, not a dead one: try another without marking it down
            if (!(f.cause() instanceof BackendPool.PoolExhaustedException)) {
                worker.markDown("connect failed: " + f.cause().getMessage());
                LOG.warn("worker {} ({}) is down: connect failed: {}", worker.name(), ex.pool.address(), f.cause().toString());
            }
            worker.finished(System.nanoTime() - ex.attemptStartNanos, true);
            retryOr(ex, HttpResponseStatus.BAD_GATEWAY, "could not connect to worker " + worker.name(), true);
            return;
        }
        Channel backend = f.getNow();
        ex.backend = backend;
        BackendHandler.of(backend).lease(events);
        wire.begin(backend, ex);
        if (ex.requestComplete) {
            awaitResponse(ex);
        } else if (backend.isWritable()) {
            client.readRequest();
        }
    }

    /**
     * After a failed attempt: the next worker if the rules allow, else an error answer.
     *
     * @param beforeSend the request never reached a worker (connect failure): any method may be retried
     */
    private void retryOr(Exchange ex, HttpResponseStatus status, String explanation, boolean beforeSend) {
        boolean allowed = beforeSend || ex.retryableAfterSend();
        if (allowed && ex.attempts <= ex.runtime.settings().retries()) {
            ex.decision = null;
            next(ex);
        } else {
            client.fail(status, explanation);
        }
    }

    /** The worker's connection closed or sent garbage: retry if nothing reached the client yet, else cut off. */
    void failed(Exchange ex, String why) {
        WorkerState worker = ex.decision.worker();
        worker.finished(System.nanoTime() - ex.attemptStartNanos, true);
        detach(ex, false);
        if (ex.responseStarted) {
            LOG.info("response from worker {} cut off: {}", worker.name(), why);
            client.cutOff();
            return;
        }
        ex.cancelTimer();
        retryOr(ex, HttpResponseStatus.BAD_GATEWAY, "worker " + worker.name() + " failed: " + why, false);
    }

    /**
     * The worker's response head arrived: no timeout any more, and a status listed in the worker's
     * {@code fail_on_status} takes it out of rotation (the response still goes to the client).
     */
    void responded(Exchange ex, int status) {
        ex.cancelTimer();
        ex.responseStarted = true;
        ex.status = status;
        WorkerState worker = ex.decision.worker();
        if (worker.def().failOnStatus().contains(status)) {
            worker.markDown("answered " + status + " (fail_on_status)");
            LOG.warn("worker {} is down: answered {} (fail_on_status)", worker.name(), status);
        }
    }

    /** The response ended: the worker's statistics, and its connection back to the pool if it can serve again. */
    void succeeded(Exchange ex) {
        ex.decision.worker().finished(System.nanoTime() - ex.attemptStartNanos, false);
        boolean reusable = ex.requestComplete && ex.backendKeepAlive && wire.clean(ex.backend);
        detach(ex, reusable);
    }

    /** The worker switched protocols: the attempt succeeded and its connection leaves the pool for the tunnel. */
    Channel handOver(Exchange ex) {
        ex.cancelTimer();
        Channel backend = ex.backend;
        ex.backend = null;
        ex.decision.worker().finished(System.nanoTime() - ex.attemptStartNanos, false);
        return backend;
    }

    /** The client left mid-request: the connection goes (never reused half-way) and the attempt counts as failed. */
    void abandon(Exchange ex) {
        detach(ex, false);
        if (ex.decision != null && !ex.decision.refused()) {
            ex.decision.worker().finished(System.nanoTime() - ex.attemptStartNanos, true);
        }
    }

    /** Gives the worker connection back, if the exchange holds one. */
    void detach(Exchange ex, boolean reusable) {
        if (ex.backend != null) {
            Channel backend = ex.backend;
            ex.backend = null;
            ex.pool.release(backend, reusable);
        }
    }

    /**
     * Arms the response timeout of the current attempt (the request is fully sent). One timer per
     * connection checks deadlines and re-arms itself while a later one is pending: scheduling and
     * cancelling a task for every request cost more than routing it.
     */
    private void awaitResponse(Exchange ex) {
        ex.responseDeadline = System.nanoTime() + ex.runtime.settings().responseTimeout().toNanos();
        timed = ex;
        if (responseTimer == null) {
            armTimer(ex.responseDeadline);
        }
    }

    /** The client connection closed: no timeout will be checked any more. */
    void stop() {
        if (responseTimer != null) {
            responseTimer.cancel(false);
            responseTimer = null;
        }
        timed = null;
    }

    private void armTimer(long deadline) {
        responseTimer = ctx.executor().schedule(this::checkTimeout, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    private void checkTimeout() {
        responseTimer = null;
        Exchange ex = timed;
        if (ex == null || ex.released() || ex.responseStarted || ex.responseDeadline == 0) {
            return; // nothing awaited: the next request arms the timer again
        }
        if (ex.responseDeadline - System.nanoTime() > 0) {
            armTimer(ex.responseDeadline);
            return;
        }
        WorkerState worker = ex.decision.worker();
        worker.finished(System.nanoTime() - ex.attemptStartNanos, true);
        detach(ex, false);
        client.fail(HttpResponseStatus.GATEWAY_TIMEOUT, "worker " + worker.name() + " sent no response within "
                + ex.runtime.settings().responseTimeout().toMillis() + " ms");
    }
}
