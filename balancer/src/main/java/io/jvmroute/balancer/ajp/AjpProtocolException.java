package io.jvmroute.balancer.ajp;

import io.netty.handler.codec.DecoderException;

/**
 * The reader's refusal of what a worker sent on an AJP connection: a packet without the "AB" mark, larger
 * than {@code max_packet_size}, cut short, with a string or header that does not fit in HTTP, or a message
 * that is not expected at this point. The connection is closed and the request fails (or is retried) as for
 * any broken worker connection; nothing in it reaches the client.
 */
public final class AjpProtocolException extends DecoderException {

    AjpProtocolException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // an expected refusal, named by its message; a stack per hostile packet is waste
    }
}
