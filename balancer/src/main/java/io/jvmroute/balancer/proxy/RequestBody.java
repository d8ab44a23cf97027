package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;

/**
 * A piece of a client's request body as it arrived: a retained slice of the bytes read, chunk framing
 * included for a chunked body (the worker gets it as it is).
 */
final class RequestBody extends DefaultByteBufHolder implements RequestPart {

    /** The end of a request without a body (or whose body has no bytes left). */
    static RequestBody end() {
        return new RequestBody(Unpooled.EMPTY_BUFFER, true, 0);
    }

    /** Whether this piece ends the request. */
    final boolean last;
    /** Body bytes in this piece without chunk framing: what the access log and the worker's bytes-in count. */
    final long payload;

    RequestBody(ByteBuf content, boolean last, long payload) {
        super(content);
        this.last = last;
        this.payload = payload;
    }
}
