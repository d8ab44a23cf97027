package io.jvmroute.balancer.ajp;

import io.netty.buffer.ByteBuf;

import java.util.List;

/** One message from the container, as {@link AjpPacketReader} reads it. */
sealed interface AjpMessage {

    /**
     * SEND_HEADERS.
     *
     * @param headers name and value bytes in turn (ISO-8859-1, checked to be an HTTP field)
     */
    record SendHeaders(int status, String reason, List<byte[]> headers) implements AjpMessage {
    }

    /** SEND_BODY_CHUNK: a slice of the packet reader's input (not retained); empty for a flush. */
    record BodyChunk(ByteBuf data) implements AjpMessage {
    }

    /** END_RESPONSE: whether the container keeps the connection for another request. */
    record EndResponse(boolean reuse) implements AjpMessage {
    }

    /** GET_BODY_CHUNK: the container wants up to {@code size} more bytes of the request body. */
    record GetBodyChunk(int size) implements AjpMessage {
    }

    /** CPONG_REPLY. */
    record CPong() implements AjpMessage {
    }
}
