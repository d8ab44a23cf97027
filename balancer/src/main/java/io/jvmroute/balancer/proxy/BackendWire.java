package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.InetAddress;

/**
 * What travels on a leased worker connection, and how: the one place that knows the backend's wire format.
 * {@link Attempts} decides which worker, when to retry and when to give up; it hands the connection to a
 * wire to start the request on it, so that a second backend protocol (AJP13) plugs in as another wire
 * without touching the retry rules. Every call runs on the connection's event loop.
 *
 * <p>Responses come back as {@link ResponsePart}s through the connection's {@link BackendHandler}, whatever
 * the wire: the {@link ResponseWriter} frames them for the client.
 */
interface BackendWire {

    /**
     * The request head in the wire's format, written once per request and kept for every attempt
     * ({@link Exchange#backendHead}); the client's head bytes are released by the caller afterwards.
     *
     * @param front      the client's connection (its allocator, addresses and TLS session)
     * @param clientText {@code client} as text (formatted once per connection)
     */
    ByteBuf prepare(ChannelHandlerContext front, Exchange ex, InetAddress client, String clientText);

    /**
     * The current attempt's worker is chosen, no connection leased yet: what the wire needs per attempt is made
     * here, and a request the wire cannot carry to that worker is refused (the client gets the answer).
     *
     * @return null, or the answer for the client
     */
    default Refusal prepareAttempt(Exchange ex) {
        return null;
    }

    /** A request this wire cannot carry to the chosen worker, and the answer the client gets instead. */
    record Refusal(HttpResponseStatus status, String explanation) {
    }

    /**
     * Starts the current attempt of {@code ex} on a fresh lease: the request head (with the failover line
     * when the request moved from its route), the body parts kept from an earlier attempt and those received
     * but not sent yet; then flushes and reads the answer.
     */
    void begin(Channel backend, Exchange ex);

    /** Sends one part of the request body received after {@link #begin}; the wire owns {@code part}. */
    void send(Channel backend, Exchange ex, ByteBuf part);

    /** The request body ended (after {@link #begin}): HTTP's framing says so itself, AJP13 must be told. */
    default void end(Channel backend, Exchange ex) {
    }

    /**
     * Whether the connection may serve another request after a complete response: nothing of the worker's
     * is left over (bytes after the end of a response mean a worker out of step, e.g. a wrong length).
     */
    boolean clean(Channel backend);
}
