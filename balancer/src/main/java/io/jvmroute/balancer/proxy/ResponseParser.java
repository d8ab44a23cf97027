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
 * {@link ChunkedReader} follows the chunk boundaries only to find the end. For an HTTP/1.0 client the
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

    private enum State { IDLE, HEAD, LENGTH, UNTIL_CLOSE, CHUNKED, UPGRADED, BROKEN }

    private final HeadParser head;
    private final ChunkedReader<MalformedResponse> chunks;
    private State state = State.IDLE;
    private boolean headRequest;
    private boolean upgradeRequested;
    private boolean dechunk;
    /** Body bytes still due of the Content-Length. */
    private long remaining;

    /** @param maxHead the largest response head accepted (status line and headers) */
    ResponseParser(int maxHead) {
        this.head = new HeadParser(maxHead);
        this.chunks = new ChunkedReader<>(maxHead, MalformedResponse::new);
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
                case CHUNKED -> chunked(in, out);
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
                state = State.CHUNKED;
                chunks.start();
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
        if (dechunk) {
            int n;
            while ((n = chunks.nextData(in)) > 0) {
                out.add(new ResponseBody(in.readRetainedSlice(n), false, n));
            }
            if (n == ChunkedReader.END) {
                end(out);
            }
            return;
        }
        int start = in.readerIndex();
        boolean done = chunks.skip(in);
        if (done) {
            state = State.IDLE;
        }
        if (in.readerIndex() > start) {
            out.add(new ResponseBody(in.retainedSlice(start, in.readerIndex() - start), done, chunks.payload()));
        }
    }
}
