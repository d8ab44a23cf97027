package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Reads a client's requests as bytes (in place of Netty's {@code HttpRequestDecoder}): the head as one
 * {@link RequestHead} (its bytes untouched, what matters about them noted), then the body as
 * {@link RequestBody} slices of what was read, the last one marked; a request without a body is followed
 * by an empty last piece, so that every request ends the same way. Nothing is decoded into header objects
 * and nothing is copied but a head or a chunk line split between two reads (the cumulation does that).
 *
 * <p>Chunked bodies pass as they are, chunk lines, extensions and trailers included, one slice per read;
 * a small state machine follows the chunk boundaries only to find the end. A malformed request is
 * reported once as {@link Malformed} (with the status to answer) and whatever follows on the connection
 * is dropped: it cannot be trusted to be in step.
 */
final class RequestParser extends ByteToMessageDecoder {

    /** The client's request is refused: 400, 414 or 431, then the connection closes. */
    record Malformed(int status, String reason) implements RequestPart {
    }

    private enum State { HEAD, LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS, BROKEN }

    /** Longest chunk-size line (size and extensions), as Netty's decoder allows by default. */
    private static final int MAX_CHUNK_LINE = 4096;

    private final RequestHeadParser head;
    private final int maxTrailers;
    private State state = State.HEAD;
    /** Body bytes still due: of the Content-Length, or of the current chunk. */
    private long remaining;
    private int trailerBytes;

    RequestParser(int maxInitialLine, int maxHeaderSize) {
        this.head = new RequestHeadParser(maxInitialLine, maxHeaderSize);
        this.maxTrailers = maxHeaderSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            switch (state) {
                case BROKEN -> in.skipBytes(in.readableBytes());
                case HEAD -> head(in, out);
                case LENGTH -> length(in, out);
                default -> chunked(in, out);
            }
        } catch (MalformedRequest e) {
            state = State.BROKEN;
            in.skipBytes(in.readableBytes());
            out.add(new Malformed(e.status, e.getMessage()));
        }
    }

    private void head(ByteBuf in, List<Object> out) throws MalformedRequest {
        if (head.fresh()) { // RFC 9112 §2.2: empty lines before a request line are ignored
            while (in.isReadable() && (in.getByte(in.readerIndex()) == '\r' || in.getByte(in.readerIndex()) == '\n')) {
                in.skipBytes(1);
            }
            if (!in.isReadable()) {
                return;
            }
        }
        int length = head.feed(in);
        if (length < 0) {
            return;
        }
        RequestHead h = head.build(in, length);
        head.reset();
        out.add(h);
        switch (h.framing) {
            case NONE -> out.add(RequestBody.end());
            case LENGTH -> {
                remaining = h.contentLength;
                state = State.LENGTH;
            }
            case CHUNKED -> {
                state = State.CHUNK_SIZE;
                trailerBytes = 0;
            }
        }
    }

    private void length(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(remaining, in.readableBytes());
        remaining -= n;
        boolean last = remaining == 0;
        if (last) {
            state = State.HEAD;
        }
        out.add(new RequestBody(in.readRetainedSlice(n), last, n));
    }

    /** Follows the chunks through what was read; everything consumed here leaves as one slice. */
    private void chunked(ByteBuf in, List<Object> out) throws MalformedRequest {
        int start = in.readerIndex();
        long payload = 0;
        boolean done = false;
        loop:
        while (in.isReadable()) {
            switch (state) {
                case CHUNK_SIZE -> {
                    int next = lineEnd(in, MAX_CHUNK_LINE, "chunk size line");
                    if (next < 0) {
                        break loop;
                    }
                    remaining = chunkSize(in, in.readerIndex(), next);
                    in.readerIndex(next);
                    state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
                }
                case CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, in.readableBytes());
                    in.skipBytes(n);
                    payload += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.CHUNK_DATA_END;
                    }
                }
                case CHUNK_DATA_END -> { // CRLF (or a bare LF) must follow the data
                    int at = in.readerIndex();
                    byte first = in.getByte(at);
                    if (first == '\r' && in.readableBytes() < 2) {
                        break loop;
                    }
                    if (first != '\n' && (first != '\r' || in.getByte(at + 1) != '\n')) {
                        throw MalformedRequest.bad("chunk data longer than its size");
                    }
                    in.readerIndex(at + (first == '\n' ? 1 : 2));
                    state = State.CHUNK_SIZE;
                }
                case TRAILERS -> {
                    int next = lineEnd(in, maxTrailers - trailerBytes, "trailer section");
                    if (next < 0) {
                        break loop;
                    }
                    int len = next - in.readerIndex();
                    trailerBytes += len;
                    if (len == lineBreakLength(in, next)) {
                        in.readerIndex(next);
                        state = State.HEAD;
                        done = true;
                        break loop;
                    }
                    if (in.indexOf(in.readerIndex(), next, (byte) ':') <= in.readerIndex()) {
                        throw MalformedRequest.bad("bad trailer line '" + HeadParser.printable(in, in.readerIndex(), len) + "'");
                    }
                    in.readerIndex(next);
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
        if (in.readerIndex() > start) {
            out.add(new RequestBody(in.retainedSlice(start, in.readerIndex() - start), done, payload));
        }
    }

    /** The index after the next LF, or -1 when it has not arrived yet (and at most {@code max} bytes did). */
    private static int lineEnd(ByteBuf in, int max, String what) throws MalformedRequest {
        int from = in.readerIndex();
        int lf = in.indexOf(from, from + Math.min(in.readableBytes(), max), (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() >= max) {
                throw MalformedRequest.bad(what + " longer than " + max + " bytes");
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
    private static long chunkSize(ByteBuf in, int from, int next) throws MalformedRequest {
        int end = next - lineBreakLength(in, next);
        long size = 0;
        int i = from;
        for (; i < end; i++) {
            int d = Character.digit(in.getByte(i), 16);
            if (d < 0) {
                break;
            }
            if (i - from == 15) {
                throw MalformedRequest.bad("chunk size too large");
            }
            size = size * 16 + d;
        }
        if (i == from) {
            throw MalformedRequest.bad("bad chunk size line '" + HeadParser.printable(in, from, end - from) + "'");
        }
        while (i < end && (in.getByte(i) == ' ' || in.getByte(i) == '\t')) {
            i++;
        }
        if (i < end && in.getByte(i) != ';' || in.indexOf(i, end, (byte) '\r') >= 0 || in.indexOf(i, end, (byte) 0) >= 0) {
            throw MalformedRequest.bad("bad chunk size line '" + HeadParser.printable(in, from, end - from) + "'");
        }
        return size;
    }
}
