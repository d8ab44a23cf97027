package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;

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
     * @param clientText {@code client} as text (formatted once per connection)
     */
    ByteBuf prepare(ByteBufAllocator alloc, Exchange ex, InetAddress client, String clientText);

    /**
     * Starts the current attempt of {@code ex} on a fresh lease: the request head (with the failover line
     * when the request moved from its route), the body parts kept from an earlier attempt and those received
     * but not sent yet; then flushes and reads the answer.
     */
    void begin(Channel backend, Exchange ex);

    /** Sends one part of the request body received after {@link #begin}; the wire owns {@code part}. */
    void send(Channel backend, ByteBuf part);

    /**
     * Whether the connection may serve another request after a complete response: nothing of the worker's
     * is left over (bytes after the end of a response mean a worker out of step, e.g. a wrong length).
     */
    boolean clean(Channel backend);
}
