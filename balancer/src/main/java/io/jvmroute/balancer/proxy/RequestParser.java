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
 * {@link ChunkedReader} follows the chunk boundaries only to find the end. A malformed request is
 * reported once as {@link Malformed} (with the status to answer) and whatever follows on the connection
 * is dropped: it cannot be trusted to be in step.
 */
final class RequestParser extends ByteToMessageDecoder {

    /** The client's request is refused: 400, 414 or 431, then the connection closes. */
    record Malformed(int status, String reason) implements RequestPart {
    }

    private enum State { HEAD, LENGTH, CHUNKED, BROKEN }

    private final RequestHeadParser head;
    private final ChunkedReader<MalformedRequest> chunks;
    private State state = State.HEAD;
    /** Body bytes still due of the Content-Length. */
    private long remaining;

    RequestParser(int maxInitialLine, int maxHeaderSize) {
        this.head = new RequestHeadParser(maxInitialLine, maxHeaderSize);
        this.chunks = new ChunkedReader<>(maxHeaderSize, MalformedRequest::bad);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            switch (state) {
                case BROKEN -> in.skipBytes(in.readableBytes());
                case HEAD -> head(ctx, in, out);
                case LENGTH -> length(in, out);
                case CHUNKED -> chunked(in, out);
            }
        } catch (MalformedRequest e) {
            state = State.BROKEN;
            in.skipBytes(in.readableBytes());
            out.add(new Malformed(e.status, e.getMessage()));
        }
    }

    private void head(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws MalformedRequest {
        if (head.fresh()) { // RFC 9112 §2.2: empty lines before a request line are ignored
            while (in.isReadable() && (in.getByte(in.readerIndex()) == '\r' || in.getByte(in.readerIndex()) == '\n')) {
                in.skipBytes(1);
            }
            if (!in.isReadable()) {
                return;
            }
        }
        boolean fresh = head.fresh();
        int length = head.feed(in);
        if (length < 0) {
            if (fresh) { // a head begun and not finished in this read: its deadline runs from now
                ctx.fireUserEventTriggered(ClientDeadlines.HEAD_STARTED);
            }
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
                state = State.CHUNKED;
                chunks.start();
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
        boolean done = chunks.skip(in);
        if (done) {
            state = State.HEAD;
        }
        if (in.readerIndex() > start) {
            out.add(new RequestBody(in.retainedSlice(start, in.readerIndex() - start), done, chunks.payload()));
        }
    }
}
