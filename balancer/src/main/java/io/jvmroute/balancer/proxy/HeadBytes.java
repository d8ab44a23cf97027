package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The byte-level checks that a request head and a response head share (RFC 9110/9112 field syntax), kept in
 * one place so that both parsers refuse the same header lines with the same messages. What differs between
 * them (which field values are allowed, what the fields mean) stays in {@link RequestHeadParser} and
 * {@link HeadParser}.
 */
final class HeadBytes {

    // field names and tokens both parsers look for, lower case
    static final byte[] CONNECTION = bytes("connection");
    static final byte[] KEEP_ALIVE = bytes("keep-alive");
    static final byte[] PROXY_CONNECTION = bytes("proxy-connection");
    static final byte[] TE = bytes("te");
    static final byte[] TRAILER = bytes("trailer");
    static final byte[] UPGRADE = bytes("upgrade");
    static final byte[] TRANSFER_ENCODING = bytes("transfer-encoding");
    static final byte[] CONTENT_LENGTH = bytes("content-length");
    static final byte[] CLOSE = bytes("close");
    static final byte[] CHUNKED = bytes("chunked");

    /** RFC 9110 tchar, by byte value. */
    static final boolean[] TCHAR = new boolean[256];
    static {
        for (int b = 0x21; b < 0x7f; b++) {
            TCHAR[b] = "\"(),/:;<=>?@[\\]{}".indexOf(b) < 0;
        }
    }
    /** Through forEachByte: one bounds check per name instead of one per byte. */
    static final ByteProcessor TOKEN_BYTE = b -> TCHAR[b & 0xff];

    private HeadBytes() {
    }

    /** Where the line whose LF is at {@code lf} ends before its line break: before a CR if one precedes. */
    static int beforeLineBreak(ByteBuf in, int from, int lf) {
        return lf > from && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
    }

    /**
     * Checks the shape of a header line {@code [from, end)} (no line break): not folded, a token name, a
     * colon, a value of {@code valueByte}s.
     *
     * @return the index of the colon
     */
    static <E extends Exception> int headerColon(ByteBuf in, int from, int end, ByteProcessor valueByte,
                                                 Function<String, E> malformed) throws E {
        if (in.getByte(from) == ' ' || in.getByte(from) == '\t') { // obs-fold: RFC 9112 §5.2 lets us refuse it
            throw malformed.apply("folded header line '" + printable(in, from, end - from) + "'");
        }
        int colon = in.indexOf(from, end, (byte) ':');
        if (colon < 0) {
            throw malformed.apply("header line without colon '" + printable(in, from, end - from) + "'");
        }
        if (colon == from) {
            throw malformed.apply("header line without name");
        }
        if (in.forEachByte(from, colon - from, TOKEN_BYTE) >= 0) { // also refuses 'Name :' (RFC 9112 §5.1)
            throw malformed.apply("bad header name '" + printable(in, from, colon - from) + "'");
        }
        if (end > colon + 1 && in.forEachByte(colon + 1, end - colon - 1, valueByte) >= 0) {
            throw malformed.apply("control character in header " + printable(in, from, colon - from));
        }
        return colon;
    }

    /** Whether {@code len} bytes at {@code at} are {@code lower}, ignoring ASCII case. */
    static boolean is(ByteBuf in, int at, int len, byte[] lower) {
        if (len != lower.length) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            byte b = in.getByte(at + i);
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lower[i]) {
                return false;
            }
        }
        return true;
    }

    /** The first index at or after {@code from} that is not SP or HTAB (at most {@code end}). */
    static int skipWhiteSpace(ByteBuf in, int from, int end) {
        while (from < end && (in.getByte(from) == ' ' || in.getByte(from) == '\t')) {
            from++;
        }
        return from;
    }

    /** {@code end} moved back over trailing SP and HTAB (not before {@code from}). */
    static int trimWhiteSpace(ByteBuf in, int from, int end) {
        while (end > from && (in.getByte(end - 1) == ' ' || in.getByte(end - 1) == '\t')) {
            end--;
        }
        return end;
    }

    static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** For error messages: at most 64 bytes, control characters escaped. */
    static String printable(ByteBuf in, int at, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(len, 64); i++) {
            int b = in.getByte(at + i) & 0xff;
            if (b < 0x20 || b >= 0x7f) {
                sb.append(String.format("\\x%02x", b));
            } else {
                sb.append((char) b);
            }
        }
        return len > 64 ? sb.append("...").toString() : sb.toString();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
