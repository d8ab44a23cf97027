package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.jvmroute.balancer.proxy.HeadBytes.*;

/**
 * Parses one request head line by line as its bytes arrive, without consuming them (as {@link HeadParser}
 * does for responses): the head leaves the input as one slice once complete, lines already parsed are not
 * looked at again, offsets are relative to the head's first byte.
 *
 * <p>Only what the proxy acts on is interpreted (method, target, version, Host, Cookie, Connection,
 * Content-Length, Transfer-Encoding, Expect, Upgrade, the forwarding headers); every other line is checked
 * for shape only. Refusals, as Netty's decoder gave them before: a request line over {@code maxInitialLine}
 * is 414, headers over {@code maxHeaderSize} 431, anything malformed 400 (RFC 9112; obs-fold, control
 * characters, a bad or repeated Content-Length, Transfer-Encoding with Content-Length or not ending in
 * chunked: the request smuggling defence).
 */
final class RequestHeadParser {

    private static final byte[] HOST = bytes("host");
    private static final byte[] COOKIE = bytes("cookie");
    private static final byte[] EXPECT = bytes("expect");
    private static final byte[] X_FORWARDED_FOR = bytes("x-forwarded-for");
    private static final byte[] X_FORWARDED_PROTO = bytes("x-forwarded-proto");
    private static final byte[] X_FORWARDED_HOST = bytes("x-forwarded-host");
    private static final byte[] FORWARDED = bytes("forwarded");
    private static final byte[] CONTINUE = bytes("100-continue");
    /** A request target: no control characters or spaces; obs-text (>= 0x80) passes, as it did before. */
    private static final ByteProcessor TARGET_BYTE = b -> (b > ' ' || b < 0) && b != 0x7f;
    /** A field value: no control characters but HTAB (RFC 9110 §5.5), so no bare CR or NUL either. */
    private static final ByteProcessor VALUE_BYTE = b -> (b >= ' ' || b < 0 || b == '\t') && b != 0x7f;
    /** Methods as shared strings: no String per request for the usual ones. */
    private static final String[] METHODS = {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"};
    private static final byte[][] METHOD_BYTES = {bytes("GET"), bytes("POST"), bytes("HEAD"), bytes("PUT"),
            bytes("DELETE"), bytes("OPTIONS"), bytes("PATCH"), bytes("TRACE")};

    private final int maxInitialLine;
    private final int maxHeaderSize;
    private int scanned;
    private boolean requestLineParsed;
    /** Where the header lines start, relative to the head's first byte. */
    private int headersStart;

    // what was found; read by RequestHead
    String method;
    String uri;
    boolean http10;
    int methodEnd;
    int uriStart;
    int uriEnd;
    final HeaderLines lines = new HeaderLines();
    final ConnectionOptions connection = new ConnectionOptions();
    long contentLength;
    private final TransferCodings transferCodings = new TransferCodings();
    boolean expectContinue;
    String upgradeValue;
    String host;
    List<String> cookies;
    String xForwardedFor;
    String xForwardedProto;
    String xForwardedHost;
    String forwarded;
    boolean bareLf;

    RequestHeadParser(int maxInitialLine, int maxHeaderSize) {
        this.maxInitialLine = maxInitialLine;
        this.maxHeaderSize = maxHeaderSize;
        reset();
    }

    void reset() {
        scanned = 0;
        requestLineParsed = false;
        lines.reset();
        connection.reset();
        contentLength = -1;
        transferCodings.reset();
        expectContinue = false;
        upgradeValue = null;
        host = null;
        cookies = null;
        xForwardedFor = null;
        xForwardedProto = null;
        xForwardedHost = null;
        forwarded = null;
        bareLf = false;
    }

    /** Nothing of this head has been looked at yet (blank lines before a request may be skipped). */
    boolean fresh() {
        return scanned == 0;
    }

    /**
     * Parses the complete lines that arrived since the last call.
     *
     * @return the length of the head (blank line included) once it is complete, else -1
     */
    int feed(ByteBuf in) throws MalformedRequest {
        int base = in.readerIndex();
        int end = in.writerIndex();
        while (true) {
            int from = base + scanned;
            // the limit: the request line (plus its line break), or the header section
            int limit = requestLineParsed ? base + headersStart + maxHeaderSize + 2 : base + maxInitialLine + 2;
            int lf = in.indexOf(from, Math.min(end, limit), (byte) '\n');
            if (lf < 0) {
                if (end >= limit) {
                    throw tooLong();
                }
                return -1;
            }
            int lineEnd = beforeLineBreak(in, from, lf);
            bareLf |= lineEnd == lf;
            scanned = lf + 1 - base;
            if (!requestLineParsed) {
                if (lineEnd - from > maxInitialLine) {
                    throw tooLong();
                }
                requestLine(in, base, from, lineEnd);
                headersStart = scanned;
                requestLineParsed = true;
            } else if (lineEnd == from) {
                if (host == null && !http10) {
                    throw MalformedRequest.bad("no Host (an HTTP/1.1 request must name one)");
                }
                return scanned;
            } else {
                headerLine(in, base, from, lineEnd);
            }
        }
    }

    private MalformedRequest tooLong() {
        return requestLineParsed
                ? new MalformedRequest(431, "request headers larger than " + maxHeaderSize + " bytes")
                : new MalformedRequest(414, "request line longer than " + maxInitialLine + " bytes");
    }

    /** {@code method SP request-target SP HTTP/1.x}, single spaces (RFC 9112 §3). */
    private void requestLine(ByteBuf in, int base, int from, int end) throws MalformedRequest {
        int sp1 = in.indexOf(from, end, (byte) ' ');
        if (sp1 <= from) {
            throw MalformedRequest.bad("bad request line '" + printable(in, from, end - from) + "'");
        }
        if (in.forEachByte(from, sp1 - from, TOKEN_BYTE) >= 0) {
            throw MalformedRequest.bad("bad method in '" + printable(in, from, end - from) + "'");
        }
        int sp2 = end - 9; // " HTTP/1.x"
        if (sp2 <= sp1 + 1 || in.getByte(sp2) != ' ' || in.getByte(sp2 + 1) != 'H' || in.getByte(sp2 + 2) != 'T'
                || in.getByte(sp2 + 3) != 'T' || in.getByte(sp2 + 4) != 'P' || in.getByte(sp2 + 5) != '/'
                || in.getByte(sp2 + 6) != '1' || in.getByte(sp2 + 7) != '.' || !digit(in.getByte(sp2 + 8))) {
            throw MalformedRequest.bad("bad request line or version in '" + printable(in, from, end - from) + "'");
        }
        if (in.forEachByte(sp1 + 1, sp2 - sp1 - 1, TARGET_BYTE) >= 0) {
            throw MalformedRequest.bad("bad request target in '" + printable(in, from, end - from) + "'");
        }
        http10 = in.getByte(sp2 + 8) == '0';
        method = method(in, from, sp1 - from);
        uri = in.toString(sp1 + 1, sp2 - sp1 - 1, StandardCharsets.ISO_8859_1);
        methodEnd = sp1 - base;
        uriStart = sp1 + 1 - base;
        uriEnd = sp2 - base;
    }

    private static String method(ByteBuf in, int at, int len) {
        for (int i = 0; i < METHODS.length; i++) {
            if (same(in, at, len, METHOD_BYTES[i])) {
                return METHODS[i];
            }
        }
        return in.toString(at, len, StandardCharsets.ISO_8859_1);
    }

    private void headerLine(ByteBuf in, int base, int from, int end) throws MalformedRequest {
        int colon = headerColon(in, from, end, VALUE_BYTE, MalformedRequest::bad);
        int kind = kind(in, from, colon - from);
        int vs = skipWhiteSpace(in, colon + 1, end);
        int ve = trimWhiteSpace(in, vs, end);
        switch (kind) {
            case RequestHead.CONNECTION -> connection.add(in, vs, ve);
            case RequestHead.CONTENT_LENGTH -> contentLength(in, vs, ve);
            case RequestHead.TRANSFER_ENCODING -> transferCodings.add(in, vs, ve, MalformedRequest::bad);
            case RequestHead.UPGRADE -> upgradeValue = text(in, vs, ve);
            case RequestHead.EXPECT -> expectContinue |= is(in, vs, ve - vs, CONTINUE);
            case RequestHead.HOST -> {
                if (host != null) { // RFC 9112 §3.2: which of two would the worker believe?
                    throw MalformedRequest.bad("more than one Host");
                }
                host = text(in, vs, ve);
            }
            case RequestHead.COOKIE -> {
                if (cookies == null) {
                    cookies = new ArrayList<>(2);
                }
                cookies.add(text(in, vs, ve));
            }
            case RequestHead.X_FORWARDED_FOR -> xForwardedFor = join(xForwardedFor, in, vs, ve);
            case RequestHead.X_FORWARDED_PROTO -> xForwardedProto = xForwardedProto == null ? text(in, vs, ve) : xForwardedProto;
            case RequestHead.X_FORWARDED_HOST -> xForwardedHost = xForwardedHost == null ? text(in, vs, ve) : xForwardedHost;
            case RequestHead.FORWARDED -> forwarded = join(forwarded, in, vs, ve);
            default -> {
            }
        }
        lines.add(from - base, end - base, colon - base, kind);
    }

    private static int kind(ByteBuf in, int at, int len) {
        return switch (len) {
            case 2 -> is(in, at, len, TE) ? RequestHead.TE : RequestHead.OTHER;
            case 4 -> is(in, at, len, HOST) ? RequestHead.HOST : RequestHead.OTHER;
            case 6 -> is(in, at, len, COOKIE) ? RequestHead.COOKIE
                    : is(in, at, len, EXPECT) ? RequestHead.EXPECT : RequestHead.OTHER;
            case 7 -> is(in, at, len, UPGRADE) ? RequestHead.UPGRADE
                    : is(in, at, len, TRAILER) ? RequestHead.TRAILER : RequestHead.OTHER;
            case 9 -> is(in, at, len, FORWARDED) ? RequestHead.FORWARDED : RequestHead.OTHER;
            case 10 -> is(in, at, len, CONNECTION) ? RequestHead.CONNECTION
                    : is(in, at, len, KEEP_ALIVE) ? RequestHead.KEEP_ALIVE : RequestHead.OTHER;
            case 14 -> is(in, at, len, CONTENT_LENGTH) ? RequestHead.CONTENT_LENGTH : RequestHead.OTHER;
            case 15 -> is(in, at, len, X_FORWARDED_FOR) ? RequestHead.X_FORWARDED_FOR : RequestHead.OTHER;
            case 16 -> is(in, at, len, PROXY_CONNECTION) ? RequestHead.PROXY_CONNECTION
                    : is(in, at, len, X_FORWARDED_HOST) ? RequestHead.X_FORWARDED_HOST : RequestHead.OTHER;
            case 17 -> is(in, at, len, TRANSFER_ENCODING) ? RequestHead.TRANSFER_ENCODING
                    : is(in, at, len, X_FORWARDED_PROTO) ? RequestHead.X_FORWARDED_PROTO : RequestHead.OTHER;
            default -> RequestHead.OTHER;
        };
    }

    /**
     * Digits only, once: a second Content-Length, even an equal one or in a list, is refused as Netty's
     * decoder refused it (two lengths are how smuggling starts).
     */
    private void contentLength(ByteBuf in, int start, int end) throws MalformedRequest {
        if (contentLength >= 0) {
            throw MalformedRequest.bad("more than one Content-Length");
        }
        if (end == start || end - start > 18) {
            throw MalformedRequest.bad("bad Content-Length '" + printable(in, start, end - start) + "'");
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            byte b = in.getByte(i);
            if (!digit(b)) {
                throw MalformedRequest.bad("bad Content-Length '" + printable(in, start, end - start) + "'");
            }
            value = value * 10 + (b - '0');
        }
        contentLength = value;
    }

    /**
     * The head is complete: decides how its body ends (RFC 9112 §6.3: Transfer-Encoding with Content-Length,
     * or a request Transfer-Encoding not ending in chunked, is refused) and takes the head's bytes out of
     * {@code in}.
     */
    RequestHead build(ByteBuf in, int length) throws MalformedRequest {
        if (length - headersStart > maxHeaderSize + 2) {
            throw new MalformedRequest(431, "request headers larger than " + maxHeaderSize + " bytes");
        }
        RequestHead.Framing framing;
        if (transferCodings.present()) {
            if (contentLength >= 0) {
                throw MalformedRequest.bad("both Transfer-Encoding and Content-Length");
            }
            if (!transferCodings.chunked()) {
                throw MalformedRequest.bad("Transfer-Encoding not ending in chunked");
            }
            framing = RequestHead.Framing.CHUNKED;
        } else {
            framing = contentLength > 0 ? RequestHead.Framing.LENGTH : RequestHead.Framing.NONE;
        }
        return new RequestHead(in.readRetainedSlice(length), this, framing);
    }

    // ---- bytes ----

    private static String text(ByteBuf in, int start, int end) {
        return in.toString(start, end - start, StandardCharsets.ISO_8859_1);
    }

    private static String join(String before, ByteBuf in, int start, int end) {
        String value = text(in, start, end);
        return before == null || before.isEmpty() ? value : value.isEmpty() ? before : before + ", " + value;
    }

    private static boolean same(ByteBuf in, int at, int len, byte[] exact) {
        if (len != exact.length) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (in.getByte(at + i) != exact[i]) {
                return false;
            }
        }
        return true;
    }
}
