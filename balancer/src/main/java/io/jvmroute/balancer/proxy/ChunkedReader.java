package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;

import java.util.function.Function;

/**
 * Follows the framing of one chunked body (RFC 9112 §7.1) through the bytes as they arrive, only to find
 * where the chunk data is and where the body ends; chunk lines, extensions and trailers are checked for
 * shape and otherwise left as they are. (Writing chunk framing is {@link ChunkedFraming}'s.)
 *
 * <p>Shared by the request and the response parser: each reports malformed framing as its own exception,
 * made from the message by the factory it passes in, so that the limits and messages are the same for both.
 */
final class ChunkedReader<E extends Exception> {

    /** {@link #nextData} result: the body's last line was consumed. */
    static final int END = -1;

    /** Longest chunk-size line (size and extensions), as Netty's decoder allows by default. */
    private static final int MAX_CHUNK_LINE = 4096;

    private enum State { SIZE, DATA, DATA_END, TRAILERS, ENDED }

    private final int maxTrailers;
    private final Function<String, E> malformed;
    private State state = State.ENDED;
    /** Bytes of the current chunk still due. */
    private long remaining;
    private int trailerBytes;
    private long payload;

    /**
     * @param maxTrailers the largest trailer section accepted (as large as a head may be)
     * @param malformed   makes the exception to throw for malformed framing from its message
     */
    ChunkedReader(int maxTrailers, Function<String, E> malformed) {
        this.maxTrailers = maxTrailers;
        this.malformed = malformed;
    }

    /** A new chunked body starts with the next byte. */
    void start() {
        state = State.SIZE;
        remaining = 0;
        trailerBytes = 0;
    }

    /**
     * Consumes what was read: framing and chunk data alike.
     *
     * @return whether the body ended (nothing after its last line is consumed); {@link #payload} tells how
     * many bytes of chunk data went by
     */
    boolean skip(ByteBuf in) throws E {
        payload = 0;
        int n;
        while ((n = nextData(in)) > 0) {
            in.skipBytes(n);
            payload += n;
        }
        return n == END;
    }

    /** The bytes of chunk data that the last {@link #skip} consumed. */
    long payload() {
        return payload;
    }

    /**
     * Consumes framing up to the next chunk data, for a caller that takes the data itself.
     *
     * @return the number of data bytes now at the reader index, which the caller must consume before it
     * calls again; 0 when more input is needed; {@link #END} when the body ended
     */
    int nextData(ByteBuf in) throws E {
        while (in.isReadable()) {
            switch (state) {
                case SIZE -> {
                    int next = lineEnd(in, MAX_CHUNK_LINE, "chunk size line");
                    if (next < 0) {
                        return 0;
                    }
                    remaining = chunkSize(in, in.readerIndex(), next);
                    in.readerIndex(next);
                    state = remaining == 0 ? State.TRAILERS : State.DATA;
                }
                case DATA -> {
                    int n = (int) Math.min(remaining, in.readableBytes());
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.DATA_END;
                    }
                    return n;
                }
                case DATA_END -> { // CRLF (or a bare LF) must follow the data
                    int at = in.readerIndex();
                    byte first = in.getByte(at);
                    if (first == '\r' && in.readableBytes() < 2) {
                        return 0;
                    }
                    if (first != '\n' && (first != '\r' || in.getByte(at + 1) != '\n')) {
                        throw malformed.apply("chunk data longer than its size");
                    }
                    in.readerIndex(at + (first == '\n' ? 1 : 2));
                    state = State.SIZE;
                }
                case TRAILERS -> {
                    int next = lineEnd(in, maxTrailers - trailerBytes, "trailer section");
                    if (next < 0) {
                        return 0;
                    }
                    int len = next - in.readerIndex();
                    trailerBytes += len;
                    if (len == lineBreakLength(in, next)) {
                        in.readerIndex(next);
                        state = State.ENDED;
                        return END;
                    }
                    if (in.indexOf(in.readerIndex(), next, (byte) ':') <= in.readerIndex()) {
                        throw malformed.apply("bad trailer line '" + HeadBytes.printable(in, in.readerIndex(), len) + "'");
                    }
                    in.readerIndex(next);
                }
                case ENDED -> {
                    return END;
                }
            }
        }
        return state == State.ENDED ? END : 0;
    }

    /** The index after the next LF, or -1 when it has not arrived yet (and at most {@code max} bytes did). */
    private int lineEnd(ByteBuf in, int max, String what) throws E {
        int from = in.readerIndex();
        int lf = in.indexOf(from, from + Math.min(in.readableBytes(), max), (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() >= max) {
                throw malformed.apply(what + " longer than " + max + " bytes");
            }
            return -1;
        }
        return lf + 1;
    }

    /** 1 for a bare LF, 2 for CRLF, before {@code next}. */
    private static int lineBreakLength(ByteBuf in, int next) {
        return next - 2 >= in.readerIndex() && in.getByte(next - 2) == '\r' ? 2 : 1;
    }

    /** {@code 1*HEXDIG [BWS ";" extensions]}: the size; the extensions are passed on, not interpreted. */
    private long chunkSize(ByteBuf in, int from, int next) throws E {
        int end = next - lineBreakLength(in, next);
        long size = 0;
        int i = from;
        for (; i < end; i++) {
            int d = Character.digit(in.getByte(i), 16);
            if (d < 0) {
                break;
            }
            if (i - from == 15) {
                throw malformed.apply("chunk size too large");
            }
            size = size * 16 + d;
        }
        if (i == from) {
            throw malformed.apply("bad chunk size line '" + HeadBytes.printable(in, from, end - from) + "'");
        }
        while (i < end && (in.getByte(i) == ' ' || in.getByte(i) == '\t')) {
            i++;
        }
        if (i < end && in.getByte(i) != ';' || in.indexOf(i, end, (byte) '\r') >= 0 || in.indexOf(i, end, (byte) 0) >= 0) {
            throw malformed.apply("bad chunk size line '" + HeadBytes.printable(in, from, end - from) + "'");
        }
        return size;
    }
}
