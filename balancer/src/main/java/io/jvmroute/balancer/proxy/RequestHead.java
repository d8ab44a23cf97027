package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

import java.util.List;

/**
 * A client's request head: the bytes as received (request line, header lines, blank line) plus what the
 * proxy routes and decides on, found while parsing ({@link RequestHeadParser}), so that nothing is parsed
 * twice and no header becomes an object. {@link ProxyHeaders} writes the head on to the workers from these
 * bytes.
 */
final class RequestHead extends DefaultByteBufHolder implements RequestPart {

    /** How the body that follows the head ends. */
    enum Framing {
        /** No body. */
        NONE,
        /** {@code Content-Length} bytes. */
        LENGTH,
        /** Chunked: the zero-size chunk and the trailers end it. */
        CHUNKED
    }

    // What each header line is, for the hop-by-hop and forwarding rules (the parser recognises names once).
    static final int OTHER = 0;
    static final int CONNECTION = 1;
    static final int KEEP_ALIVE = 2;
    static final int PROXY_CONNECTION = 3;
    static final int TE = 4;
    static final int TRAILER = 5;
    static final int UPGRADE = 6;
    static final int TRANSFER_ENCODING = 7;
    static final int CONTENT_LENGTH = 8;
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
    /** Per header line, four ints: start, end (before the line break), colon position, kind; relative offsets. */
    final int[] lines;
    final int lineCount;
    /** Lower-case header names listed in {@code Connection} (besides close, keep-alive, upgrade), or null. */
    final List<String> connectionNames;
    /** Some line ended with a bare LF: its lines are copied one by one with CRLF. */
    final boolean bareLf;

    RequestHead(ByteBuf bytes, RequestHeadParser p, Framing framing) {
        super(bytes);
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
        this.lines = p.lines.copy();
        this.lineCount = p.lines.count();
        this.connectionNames = p.connection.names;
        this.bareLf = p.bareLf;
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

    int lineStart(int i) {
        return lines[i * 4];
    }

    int lineEnd(int i) {
        return lines[i * 4 + 1];
    }

    int colon(int i) {
        return lines[i * 4 + 2];
    }

    int kind(int i) {
        return lines[i * 4 + 3];
    }
}
