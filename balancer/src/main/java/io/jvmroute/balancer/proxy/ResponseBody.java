package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;

/**
 * A piece of a worker's response body as it arrived: a retained slice of the bytes read, chunk framing
 * included for a chunked body (unless the parser was told to take it off).
 */
final class ResponseBody extends DefaultByteBufHolder implements ResponsePart {

    /** The end of a body that has no bytes left: no body at all, or a close-delimited body's close. */
    static ResponseBody end() {
        return new ResponseBody(Unpooled.EMPTY_BUFFER, true, 0);
    }

    /** Whether this piece ends the response. */
    final boolean last;
    /** Body bytes in this piece without chunk framing: what the access log and the worker's bytes-out count. */
    final long payload;

    ResponseBody(ByteBuf content, boolean last, long payload) {
        super(content);
        this.last = last;
        this.payload = payload;
    }
}
