package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;

/**
 * The balancer's own answers (400, 408, 414, 431, 502, 503, 504): short plain text saying what happened. Written
 * as bytes, since the client's pipeline has no response encoder (worker responses pass as bytes too).
 */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    /**
     * What a client is told of a failure on the balancer's side (502, 503, 504): what happened, never which
     * worker, which address or which exception (those go to the log).
     */
    public static String publicExplanation(HttpResponseStatus status) {
        return switch (status.code()) {
            case 502 -> "the application failed to answer this request";
            case 503 -> "no application server is available for this request";
            case 504 -> "the application did not answer in time";
            default -> "the request could not be served";
        };
    }

    public static ByteBuf of(ByteBufAllocator alloc, HttpResponseStatus status, String explanation, boolean keepAlive) {
        byte[] body = (status.code() + " " + status.reasonPhrase() + ": " + explanation + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status.code() + " " + status.reasonPhrase() + "\r\n"
                + "content-type: text/plain; charset=utf-8\r\n"
                + "content-length: " + body.length + "\r\n"
                + "cache-control: no-store\r\n"
                + (keepAlive ? "" : "connection: close\r\n")
                + "\r\n";
        ByteBuf out = alloc.buffer(head.length() + body.length);
        ByteBufUtil.writeAscii(out, head);
        return out.writeBytes(body);
    }
}
