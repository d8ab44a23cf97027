package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

import java.util.List;

/**
 * What a request head and a response head share: the bytes as received, and the index of their header
 * lines that the parser built while reading them ({@link HeaderLines}), so that the head is written on
 * ({@link ProxyHeaders}, {@link ClientHead}) line by line without being parsed again.
 */
abstract class ParsedHead extends DefaultByteBufHolder {

    // What each header line is, for the hop-by-hop rules (the parser recognises names once);
    // RequestHead adds the names requests are routed and forwarded on.
    static final int OTHER = 0;
    static final int CONNECTION = 1;
    static final int KEEP_ALIVE = 2;
    static final int PROXY_CONNECTION = 3;
    static final int TE = 4;
    static final int TRAILER = 5;
    static final int UPGRADE = 6;
    static final int TRANSFER_ENCODING = 7;
    static final int CONTENT_LENGTH = 8;

    /** Per header line, four ints: start, end (before the line break), colon position, kind; relative offsets. */
    final int[] lines;
    final int lineCount;
    /** Lower-case header names listed in {@code Connection} (besides close, keep-alive, upgrade), or null. */
    final List<String> connectionNames;
    /** Some line ended with a bare LF: the head is not passed on unchanged, its lines are copied with CRLF. */
    final boolean bareLf;

    ParsedHead(ByteBuf bytes, HeaderLines lines, List<String> connectionNames, boolean bareLf) {
        super(bytes);
        this.lines = lines.copy();
        this.lineCount = lines.count();
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
