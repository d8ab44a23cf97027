package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.jvmroute.balancer.proxy.HeadBytes.*;

/**
 * What one head's {@code Connection} lines list (RFC 9110 §7.6.1), read the same way for requests and
 * responses: the close, keep-alive and upgrade options, and every other name, which names a hop-by-hop
 * header that is not passed on.
 */
final class ConnectionOptions {

    boolean close;
    boolean keepAlive;
    boolean upgrade;
    /** Lower-case names besides close, keep-alive and upgrade, or null; a new list for each head. */
    List<String> names;

    void reset() {
        close = false;
        keepAlive = false;
        upgrade = false;
        names = null;
    }

    /** One {@code Connection} value {@code [start, end)}. */
    void add(ByteBuf in, int start, int end) {
        for (int t = start; t < end; ) {
            int comma = in.indexOf(t, end, (byte) ',');
            int tokenEnd = comma < 0 ? end : comma;
            int s = skipWhiteSpace(in, t, tokenEnd);
            int e = trimWhiteSpace(in, s, tokenEnd);
            if (is(in, s, e - s, CLOSE)) {
                close = true;
            } else if (is(in, s, e - s, KEEP_ALIVE)) {
                keepAlive = true;
            } else if (is(in, s, e - s, UPGRADE)) {
                upgrade = true;
            } else if (e > s) {
                if (names == null) {
                    names = new ArrayList<>(2);
                }
                names.add(in.toString(s, e - s, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
            }
            t = tokenEnd + 1;
        }
    }
}
