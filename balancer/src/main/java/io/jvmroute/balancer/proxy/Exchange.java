package io.jvmroute.balancer.proxy;

import io.jvmroute.balancer.routing.Decision;
import io.jvmroute.balancer.routing.Router;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one client request while the balancer forwards it: where it may go, what was tried, the
 * worker's head (written once, sent again by retries), the body parts not yet sent and the copies kept for
 * a retry. Owned by one {@link FrontendHandler} (its {@link Attempts} and
 * {@link ResponseWriter} work on it), touched only on its event loop. {@link #release} frees
 * every buffer it still holds.
 */
final class Exchange {

    /** The client's head (what it says; its bytes are released once the worker's head is written from them). */
    final RequestHead request;
    final ProxyRuntime runtime;
    final long startNanos = System.nanoTime();
    final boolean idempotent;
    final boolean clientKeepAlive;
    /** The client speaks HTTP/1.0: the request itself goes to the worker as HTTP/1.1. */
    final boolean http10;
    /** The head for the workers ({@link ProxyHeaders#toBackend}), kept for retries; null once released. */
    ByteBuf backendHead;

    /** The request as AJP13 writes it ({@link AjpWire}), when the lb has AJP13 workers, else null. */
    AjpExchange ajp;
    /** The FORWARD_REQUEST of the attempt being connected (AJP13 workers), until it is written. */
    io.jvmroute.balancer.ajp.AjpRequestStart ajpStart;

    /** The protocol the client asked to upgrade to (WebSocket), or null. */
    String upgrade;
    int match = Router.NO_MATCH;
    String requestedRoute;
    long tried;
    int attempts;
    Decision decision;
    long attemptStartNanos;

    Channel backend;
    BackendPool pool;
    boolean requestComplete;
    boolean responseStarted;
    boolean backendKeepAlive;
    /** The response is delimited by closing the client connection (an unsized body to HTTP/1.0). */
    boolean closeAfter;
    /** The worker's body is delimited by its close and goes to the client re-framed as chunked. */
    boolean rechunk;
    int status;
    long requestBytes;
    long responseBytes;
    /** When the response headers are due ({@link System#nanoTime}), or 0 when none is awaited. */
    long responseDeadline;
    /** The last part of the response written to the client in the current read (backpressure). */
    ChannelFuture lastWrite;

    /** Body parts received but not yet written to the current connection (we own them). */
    final ArrayDeque<ByteBuf> unsent = new ArrayDeque<>();
    /** Copies of every part written so far, for a retry; dropped once they exceed the retry buffer. */
    private final List<ByteBuf> replay = new ArrayList<>();
    private long replayBytes;
    private boolean replayable = true;
    private boolean released;

    Exchange(RequestHead request, ProxyRuntime runtime) {
        this.request = request;
        this.runtime = runtime;
        this.clientKeepAlive = request.keepAlive;
        this.http10 = request.http10;
        this.idempotent = request.idempotent();
    }

    /** Keeps a copy of a body part written to a worker, for a retry, while the copies fit in {@code limit} bytes. */
    void keepForReplay(ByteBuf part, int limit) {
        if (!replayable) {
            return;
        }
        int size = part.readableBytes();
        if (replayBytes + size > limit) {
            dropReplay();
            return;
        }
        replayBytes += size;
        replay.add(part.retainedDuplicate());
    }

    private void dropReplay() {
        replayable = false;
        replay.forEach(ReferenceCountUtil::release);
        replay.clear();
    }

    /** Whether a request that reached a worker and then failed may be sent again (idempotent, body kept). */
    boolean retryableAfterSend() {
        return idempotent && replayable;
    }

    /** Hands the kept copies to a new connection's writer, before the parts that were never sent. */
    void writeReplay(java.util.function.Consumer<ByteBuf> writer) {
        for (ByteBuf part : replay) {
            writer.accept(part.retainedDuplicate());
        }
    }

    /** No response is awaited any more (it started, or the attempt ended). */
    void cancelTimer() {
        responseDeadline = 0;
    }

    /** Whether the exchange is over: callbacks of an attempt that come after it (a late connect) find nothing to do. */
    boolean released() {
        return released;
    }

    /** Frees the FORWARD_REQUEST of an attempt that was never written. */
    void releaseAjpStart() {
        if (ajpStart != null) {
            ajpStart.release();
            ajpStart = null;
        }
    }

    void release() {
        released = true;
        cancelTimer();
        for (ByteBuf part; (part = unsent.poll()) != null; ) {
            part.release();
        }
        dropReplay();
        if (backendHead != null) {
            backendHead.release();
            backendHead = null;
        }
        releaseAjpStart();
        if (ajp != null) {
            ajp.release();
            ajp = null;
        }
    }
}
