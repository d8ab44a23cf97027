package io.jvmroute.balancer.ajp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A container's SEND_HEADERS as an HTTP/1.1 response head: its headers as they are but Transfer-Encoding
 * (AJP frames bodies in packets; the head says {@code chunked} itself when no Content-Length is given and a
 * body may follow). Tomcat sends the status code as the reason phrase: the standard phrase replaces it.
 *
 * @param bytes         the head, blank line included
 * @param contentLength the Content-Length given, or -1
 * @param chunked       whether the body that follows is framed as chunked
 */
record AjpResponseHead(ByteBuf bytes, long contentLength, boolean chunked) {

    private static final byte[] TRANSFER_ENCODING = "transfer-encoding".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CHUNKED = "transfer-encoding: chunked\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final short CRLF = 0x0d0a;

    /**
     * @param noBody the response has no body (a HEAD request, 204, 304): no framing is added
     * @throws AjpProtocolException for Content-Length values that are not one number
     */
    static AjpResponseHead write(ByteBufAllocator alloc, AjpMessage.SendHeaders h, boolean noBody) {
        List<byte[]> headers = h.headers();
        int size = 64;
        for (byte[] b : headers) {
            size += b.length + 2;
        }
        ByteBuf out = alloc.buffer(size + CHUNKED.length);
        try {
            out.writeCharSequence("HTTP/1.1 " + h.status() + " " + reason(h), StandardCharsets.ISO_8859_1);
            out.writeShort(CRLF);
            long length = -1;
            for (int i = 0; i < headers.size(); i += 2) {
                byte[] name = headers.get(i);
                byte[] value = headers.get(i + 1);
                if (equalsIgnoreCase(name, TRANSFER_ENCODING)) {
                    continue;
                }
                if (equalsIgnoreCase(name, CONTENT_LENGTH)) {
                    long l = contentLength(value);
                    if (length >= 0 && l != length) {
                        throw new AjpProtocolException("two different Content-Length values from the worker");
                    }
                    length = l;
                }
                out.writeBytes(name).writeByte(':').writeByte(' ').writeBytes(value).writeShort(CRLF);
            }
            boolean chunked = !noBody && length < 0;
            if (chunked) {
                out.writeBytes(CHUNKED);
            }
            out.writeShort(CRLF);
            return new AjpResponseHead(out, length, chunked);
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** The worker's phrase when it is one, else the standard one (Tomcat sends "200" for 200). */
    private static String reason(AjpMessage.SendHeaders h) {
        String r = h.reason().trim();
        boolean digits = !r.isEmpty() && r.chars().allMatch(Character::isDigit);
        return r.isEmpty() || digits ? HttpResponseStatus.valueOf(h.status()).reasonPhrase() : r;
    }

    private static long contentLength(byte[] value) {
        String v = new String(value, StandardCharsets.ISO_8859_1).trim();
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(Character::isDigit)) {
            throw new AjpProtocolException("Content-Length '" + v + "' from the worker is not a number");
        }
        return Long.parseLong(v);
    }

    private static boolean equalsIgnoreCase(byte[] a, byte[] lower) {
        if (a.length != lower.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            int c = a[i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lower[i]) {
                return false;
            }
        }
        return true;
    }
}
