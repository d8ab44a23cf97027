package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;

import java.util.List;

/**
 * A worker's response head: the bytes as received (status line, header lines, blank line) plus what the
 * proxy needs to know about them, found while parsing, so that nothing is parsed twice and no header
 * becomes an object. {@link ClientHead} writes the head on to the client from these bytes.
 */
final class ResponseHead extends ParsedHead implements ResponsePart {

    /** How the body that follows the head ends. */
    enum Framing {
        /** No body: 204, 304, an answer to HEAD. */
        NONE,
        /** {@code Content-Length} bytes. */
        LENGTH,
        /** Chunked: the zero-size chunk and the trailers end it. */
        CHUNKED,
        /** The worker closes the connection after the body. */
        UNTIL_CLOSE,
        /** A 1xx interim answer: the real response head follows. */
        INTERIM,
        /** 101 to an upgrade request: the connection speaks another protocol from here on. */
        UPGRADE
    }

    final int status;
    final Framing framing;
    final long contentLength;
    /** Whether the worker keeps the connection open after this response. */
    final boolean keepAlive;
    /** The worker's {@code Upgrade} header, or null. */
    final String upgrade;
    /** Where the status line ends (before its line break), relative to the head's first byte. */
    final int statusLineEnd;

    ResponseHead(ByteBuf bytes, int status, Framing framing, long contentLength, boolean keepAlive, String upgrade,
                 int statusLineEnd, HeaderLines lines, List<String> connectionNames, boolean bareLf) {
        super(bytes, lines, connectionNames, bareLf);
        this.status = status;
        this.framing = framing;
        this.contentLength = contentLength;
        this.keepAlive = keepAlive;
        this.upgrade = upgrade;
        this.statusLineEnd = statusLineEnd;
    }
}
