package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

import java.util.List;

/**
 * A worker's response head: the bytes as received (status line, header lines, blank line) plus what the
 * proxy needs to know about them, found while parsing, so that nothing is parsed twice and no header
 * becomes an object. {@link ClientHead} writes the head on to the client from these bytes.
 */
final class ResponseHead extends DefaultByteBufHolder implements ResponsePart {

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

    // What each header line is, for the hop-by-hop rules (HeadParser recognises the names once).
    static final int OTHER = 0;
    static final int CONNECTION = 1;
    static final int KEEP_ALIVE = 2;
    static final int PROXY_CONNECTION = 3;
    static final int TE = 4;
    static final int TRAILER = 5;
    static final int UPGRADE = 6;
    static final int TRANSFER_ENCODING = 7;
    static final int CONTENT_LENGTH = 8;

    final int status;
    final Framing framing;
    final long contentLength;
    /** Whether the worker keeps the connection open after this response. */
    final boolean keepAlive;
    /** The worker's {@code Upgrade} header, or null. */
    final String upgrade;
    /** Where the status line ends (before its line break), relative to the head's first byte. */
    final int statusLineEnd;
    /** Per header line, four ints: start, end (before the line break), colon position, kind; relative offsets. */
    final int[] lines;
    final int lineCount;
    /** Lower-case header names listed in {@code Connection} (besides close, keep-alive, upgrade), or null. */
    final List<String> connectionNames;
    /** Some line ended with a bare LF: the head cannot be passed on unchanged. */
    final boolean bareLf;

    ResponseHead(ByteBuf bytes, int status, Framing framing, long contentLength, boolean keepAlive, String upgrade,
                 int statusLineEnd, int[] lines, int lineCount, List<String> connectionNames, boolean bareLf) {
        super(bytes);
        this.status = status;
        this.framing = framing;
        this.contentLength = contentLength;
        this.keepAlive = keepAlive;
        this.upgrade = upgrade;
        this.statusLineEnd = statusLineEnd;
        this.lines = lines;
        this.lineCount = lineCount;
        this.connectionNames = connectionNames;
        this.bareLf = bareLf;
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
