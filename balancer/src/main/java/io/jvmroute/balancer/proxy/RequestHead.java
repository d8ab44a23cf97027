package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;

import java.util.List;

/**
 * A client's request head: the bytes as received (request line, header lines, blank line) plus what the
 * proxy routes and decides on, found while parsing ({@link RequestHeadParser}), so that nothing is parsed
 * twice and no header becomes an object. {@link ProxyHeaders} writes the head on to the workers from these
 * bytes.
 */
final class RequestHead extends ParsedHead implements RequestPart {

    /** How the body that follows the head ends. */
    enum Framing {
        /** No body. */
        NONE,
        /** {@code Content-Length} bytes. */
        LENGTH,
        /** Chunked: the zero-size chunk and the trailers end it. */
        CHUNKED
    }

    // What each header line is beyond ParsedHead's kinds, for routing and the forwarding rules.
    static final int HOST = 9;
    static final int COOKIE = 10;
    static final int EXPECT = 11;
    static final int X_FORWARDED_FOR = 12;
    static final int X_FORWARDED_PROTO = 13;
    static final int X_FORWARDED_HOST = 14;
    static final int FORWARDED = 15;

    final String method;
    final String uri;
    /** The client speaks HTTP/1.0 (the worker is spoken to in HTTP/1.1 all the same). */
    final boolean http10;
    final boolean keepAlive;
    final Framing framing;
    final long contentLength;
    /** {@code Expect: 100-continue}. */
    final boolean expectContinue;
    /** The protocol asked for with {@code Upgrade} and {@code Connection: upgrade}, or null. */
    final String upgrade;
    /** The first {@code Host} value, or null. */
    final String host;
    /** Every {@code Cookie} value, in order (for the session route). */
    final List<String> cookies;
    /** The client's forwarding values (all lines of a name joined by ", "), or null; used from trusted proxies only. */
    final String xForwardedFor;
    final String xForwardedProto;
    final String xForwardedHost;
    final String forwarded;
    /** Where the method ends and the request target starts and ends, relative to the head's first byte. */
    final int methodEnd;
    final int uriStart;
    final int uriEnd;

    RequestHead(ByteBuf bytes, RequestHeadParser p, Framing framing) {
        super(bytes, p.lines, p.connection.names, p.bareLf);
        this.method = p.method;
        this.uri = p.uri;
        this.http10 = p.http10;
        this.keepAlive = p.http10 ? p.connection.keepAlive : !p.connection.close;
        this.framing = framing;
        this.contentLength = p.contentLength;
        this.expectContinue = p.expectContinue;
        this.upgrade = p.connection.upgrade ? p.upgradeValue : null;
        this.host = p.host;
        this.cookies = p.cookies == null ? List.of() : p.cookies;
        this.xForwardedFor = p.xForwardedFor;
        this.xForwardedProto = p.xForwardedProto;
        this.xForwardedHost = p.xForwardedHost;
        this.forwarded = p.forwarded;
        this.methodEnd = p.methodEnd;
        this.uriStart = p.uriStart;
        this.uriEnd = p.uriEnd;
    }

    boolean isHead() {
        return "HEAD".equals(method);
    }

    /** RFC 9110 §9.2.2. */
    boolean idempotent() {
        return switch (method) {
            case "GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE" -> true;
            default -> false;
        };
    }

}
