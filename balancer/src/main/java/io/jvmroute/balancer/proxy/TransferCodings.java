package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;

import java.util.function.Function;

import static io.jvmroute.balancer.proxy.HeadBytes.*;

/**
 * What one head's {@code Transfer-Encoding} lines say, as both parsers need it: whether there was one, and
 * whether {@code chunked} is the last coding (RFC 9112 §6.1). What follows from that differs (a request
 * not ending in chunked is refused, a response is then read until close) and stays with each parser.
 */
final class TransferCodings {

    private boolean present;
    private boolean chunked;
    private int chunkedCount;

    void reset() {
        present = false;
        chunked = false;
        chunkedCount = 0;
    }

    /** One {@code Transfer-Encoding} value {@code [start, end)}; {@code chunked} applied twice is an error. */
    <E extends Exception> void add(ByteBuf in, int start, int end, Function<String, E> malformed) throws E {
        present = true;
        for (int t = start; t < end; ) {
            int comma = in.indexOf(t, end, (byte) ',');
            int tokenEnd = comma < 0 ? end : comma;
            int s = skipWhiteSpace(in, t, tokenEnd);
            int e = trimWhiteSpace(in, s, tokenEnd);
            if (e > s) {
                chunked = is(in, s, e - s, CHUNKED);
                if (chunked && ++chunkedCount > 1) {
                    throw malformed.apply("chunked applied twice in Transfer-Encoding");
                }
            }
            t = tokenEnd + 1;
        }
    }

    boolean present() {
        return present;
    }

    boolean chunked() {
        return chunked;
    }
}
