package io.jvmroute.balancer.ajp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * What starts a request on an AJP connection: written to the channel like an HTTP head, followed by the body's
 * bytes (without HTTP framing) and {@link AjpClientHandler#BODY_END}. Made by {@link AjpForwardRequest#packet}.
 */
public final class AjpRequestStart extends DefaultByteBufHolder {

    final long contentLength;
    final boolean headRequest;

    AjpRequestStart(ByteBuf packet, long contentLength, boolean headRequest) {
        super(packet);
        this.contentLength = contentLength;
        this.headRequest = headRequest;
    }
}
