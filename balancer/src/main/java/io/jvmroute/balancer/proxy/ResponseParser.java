package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Reads a worker's responses as bytes and hands them on with as little work as possible: the head as one
 * {@link ResponseHead} (its bytes untouched, what matters about them noted), then the body as
 * {@link ResponseBody} slices of what was read, the last one marked. Nothing is decoded into header objects
 * and nothing is copied but a head or a chunk line split between two reads (the cumulation does that).
 *
 * <p>Chunked bodies pass as they are, chunk lines, extensions and trailers included, one slice per read;
 * a small state machine follows the chunk boundaries only to find the end. For an HTTP/1.0 client the
 * chunk framing is taken off instead ({@link #expect}).
 *
 * <p>The parser must know what a response answers: {@link #expect} before each request. Bytes that arrive
 * when no response is expected, and after a 101 switch, pass on as plain buffers (the pool closes such a
 * connection; the tunnel relays them). A malformed response is reported once as {@link Malformed} and
 * whatever follows on the connection is dropped: it cannot be trusted to be in step.
 */
final class ResponseParser extends ByteToMessageDecoder {

    /** The worker's response is not valid HTTP/1.x: the exchange fails as if the connection had broken. */
    record Malformed(String reason) implements ResponsePart {
    }

    private enum State { IDLE, HEAD, LENGTH, UNTIL_CLOSE, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS, UPGRADED, BROKEN }

    /** Longest chunk-size line (size and extensions), as Netty's decoder allows by default. */
    private static final int MAX_CHUNK_LINE = 4096;

    private final HeadParser head;
    private final int maxTrailers;
    private State state = State.IDLE;
    private boolean headRequest;
    private boolean upgradeRequested;
    private boolean dechunk;
    /** Body bytes still due: of the Content-Length, or of the current chunk. */
    private long remaining;
    private int trailerBytes;

    /** @param maxHead the largest response head accepted (status line and headers) */
    ResponseParser(int maxHead) {
        this.head = new HeadParser(maxHead);
        this.maxTrailers = maxHead;
    }

    static ResponseParser of(Channel channel) {
        return channel.pipeline().get(ResponseParser.class);
    }

    /**
     * The next response answers a request that is about to be sent.
     *
     * @param headRequest      a HEAD request: the response has no body whatever its headers say
     * @param upgradeRequested the request asked for an upgrade: a 101 ends HTTP on this connection
     * @param dechunk          pass a chunked body on without its chunk framing (the client speaks HTTP/1.0)
     */
    void expect(boolean headRequest, boolean upgradeRequested, boolean dechunk) {
        this.headRequest = headRequest;
        this.upgradeRequested = upgradeRequested;
        this.dechunk = dechunk;
        head.reset();
        state = State.HEAD;
    }

    /**
     * Whether the last response ended with nothing after it in what was read: else the worker sent more
     * than the response (a wrong length, an attempt at smuggling) and the connection must not be reused.
     */
    boolean holdsNothing() {
        return state == State.IDLE && !internalBuffer().isReadable();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            switch (state) {
                case IDLE, UPGRADED -> out.add(in.readRetainedSlice(in.readableBytes()));
                case BROKEN -> in.skipBytes(in.readableBytes());
                case HEAD -> head(in, out);
                case LENGTH -> length(in, out);
                case UNTIL_CLOSE -> {
                    int n = in.readableBytes();
                    out.add(new ResponseBody(in.readRetainedSlice(n), false, n));
                }
                default -> chunked(in, out);
            }
        } catch (MalformedResponse e) {
            state = State.BROKEN;
            in.skipBytes(in.readableBytes());
            out.add(new Malformed(e.getMessage()));
        }
    }

    /** The worker closed: that ends a close-delimited body; any other unfinished response is cut off. */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (in.isReadable()) {
            decode(ctx, in, out);
        }
        if (state == State.UNTIL_CLOSE) {
            state = State.IDLE;
            out.add(ResponseBody.end());
        }
    }

    private void head(ByteBuf in, List<Object> out) throws MalformedResponse {
        int length = head.feed(in);
        if (length < 0) {
            return;
        }
        ResponseHead h = head.build(in, length, headRequest, upgradeRequested);
        head.reset();
        out.add(h);
        switch (h.framing) {
            case INTERIM -> {
                // the real response head follows
            }
            case UPGRADE -> state = State.UPGRADED;
            case NONE -> end(out);
            case LENGTH -> {
                remaining = h.contentLength;
                if (remaining == 0) {
                    end(out);
                } else {
                    state = State.LENGTH;
                }
            }
            case CHUNKED -> {
                state = State.CHUNK_SIZE;
                trailerBytes = 0;
            }
            case UNTIL_CLOSE -> state = State.UNTIL_CLOSE;
        }
    }

    private void end(List<Object> out) {
        state = State.IDLE;
        out.add(ResponseBody.end());
    }

    private void length(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(remaining, in.readableBytes());
        remaining -= n;
        boolean last = remaining == 0;
        if (last) {
            state = State.IDLE;
        }
        out.add(new ResponseBody(in.readRetainedSlice(n), last, n));
    }

    /**
     * Follows the chunks through what was read. Passing the framing on, everything consumed here leaves as
     * one slice; taking it off, each run of chunk data leaves as its own slice.
     */
    private void chunked(ByteBuf in, List<Object> out) throws MalformedResponse {
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
                    if (dechunk) {
                        out.add(new ResponseBody(in.readRetainedSlice(n), false, n));
                    } else {
                        in.skipBytes(n);
                        payload += n;
                    }
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
                        throw new MalformedResponse("chunk data longer than its size");
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
                        state = State.IDLE;
                        done = true;
                        break loop;
                    }
                    if (in.indexOf(in.readerIndex(), next, (byte) ':') <= in.readerIndex()) {
                        throw new MalformedResponse("bad trailer line '" + HeadParser.printable(in, in.readerIndex(), len) + "'");
                    }
                    in.readerIndex(next);
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
        if (dechunk) {
            if (done) {
                out.add(ResponseBody.end());
            }
        } else if (in.readerIndex() > start) {
            out.add(new ResponseBody(in.retainedSlice(start, in.readerIndex() - start), done, payload));
        }
    }

    /** The index after the next LF, or -1 when it has not arrived yet (and at most {@code max} bytes did). */
    private static int lineEnd(ByteBuf in, int max, String what) throws MalformedResponse {
        int from = in.readerIndex();
        int lf = in.indexOf(from, from + Math.min(in.readableBytes(), max), (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() >= max) {
                throw new MalformedResponse(what + " longer than " + max + " bytes");
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
    private static long chunkSize(ByteBuf in, int from, int next) throws MalformedResponse {
        int end = next - lineBreakLength(in, next);
        long size = 0;
        int i = from;
        for (; i < end; i++) {
            int d = Character.digit(in.getByte(i), 16);
            if (d < 0) {
                break;
            }
            if (i - from == 15) {
                throw new MalformedResponse("chunk size too large");
            }
            size = size * 16 + d;
        }
        if (i == from) {
            throw new MalformedResponse("bad chunk size line '" + HeadParser.printable(in, from, end - from) + "'");
        }
        while (i < end && (in.getByte(i) == ' ' || in.getByte(i) == '\t')) {
            i++;
        }
        if (i < end && in.getByte(i) != ';' || in.indexOf(i, end, (byte) '\r') >= 0 || in.indexOf(i, end, (byte) 0) >= 0) {
            throw new MalformedResponse("bad chunk size line '" + HeadParser.printable(in, from, end - from) + "'");
        }
        return size;
    }
}
