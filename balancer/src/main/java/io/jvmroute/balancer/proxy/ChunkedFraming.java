package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;

import java.nio.charset.StandardCharsets;

/**
 * Frames a close-delimited body as chunked for an HTTP/1.1 client, so that its connection can stay open:
 * a chunk header before each raw slice, CRLF after it, the zero-size chunk at the end.
 */
final class ChunkedFraming {

    private static final ByteBuf CRLF = constant("\r\n");
    private static final ByteBuf LAST = constant("0\r\n\r\n");

    private ChunkedFraming() {
    }

    /** Writes one piece of the body (the client's handler context); returns the future of the last write. */
    static ChannelFuture write(ChannelHandlerContext ctx, ByteBuf data, boolean last) {
        ChannelFuture written = null;
        if (data.isReadable()) {
            ByteBuf header = ctx.alloc().buffer(18);
            ByteBufUtil.writeAscii(header, Integer.toHexString(data.readableBytes()));
            header.writeShort(('\r' << 8) | '\n');
            ctx.write(header);
            ctx.write(data);
            written = ctx.write(CRLF.duplicate());
        } else {
            data.release();
        }
        if (last) {
            written = ctx.write(LAST.duplicate());
        }
        return written;
    }

    private static ByteBuf constant(String s) {
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.US_ASCII)).asReadOnly());
    }
}
