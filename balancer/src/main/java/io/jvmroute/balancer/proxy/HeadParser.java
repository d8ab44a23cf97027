package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

import java.nio.charset.StandardCharsets;

import static io.jvmroute.balancer.proxy.HeadBytes.*;

/**
 * Parses one response head line by line as its bytes arrive, without consuming them: the head stays in the
 * input until it is complete and leaves it as one slice. Lines already parsed are not looked at again when
 * more bytes come, and every offset is kept relative to the head's first byte, which stays at the input's
 * reader index however the input is cumulated.
 *
 * <p>Only what the proxy acts on is interpreted (status, version, Connection, Content-Length,
 * Transfer-Encoding, Upgrade); every other line is checked for shape and otherwise left as bytes.
 */
final class HeadParser {

    /** A value may not carry a bare CR (a client could take it for a line break) or NUL. */
    private static final ByteProcessor VALUE_BYTE = b -> b != '\r' && b != 0;

    private final int maxHead;
    private int scanned;
    private boolean statusParsed;
    private int status;
    private boolean http11;
    private int statusLineEnd;
    private final HeaderLines lines = new HeaderLines();
    private final ConnectionOptions connection = new ConnectionOptions();
    private long contentLength;
    private final TransferCodings transferCodings = new TransferCodings();
    private String upgrade;
    private boolean bareLf;

    HeadParser(int maxHead) {
        this.maxHead = maxHead;
        reset();
    }

    void reset() {
        scanned = 0;
        statusParsed = false;
        lines.reset();
        connection.reset();
        contentLength = -1;
        transferCodings.reset();
        upgrade = null;
        bareLf = false;
    }

    /**
     * Parses the complete lines that arrived since the last call.
     *
     * @return the length of the head (blank line included) once it is complete, else -1
     */
    int feed(ByteBuf in) throws MalformedResponse {
        int base = in.readerIndex();
        int end = in.writerIndex();
        while (true) {
            int from = base + scanned;
            int lf = in.indexOf(from, Math.min(end, base + maxHead), (byte) '\n');
            if (lf < 0) {
                if (end - base >= maxHead) {
                    throw new MalformedResponse("response head larger than " + maxHead + " bytes");
                }
                return -1;
            }
            int lineEnd = beforeLineBreak(in, from, lf);
            bareLf |= lineEnd == lf;
            scanned = lf + 1 - base;
            if (!statusParsed) {
                statusLine(in, from, lineEnd);
                statusLineEnd = lineEnd - base;
                statusParsed = true;
            } else if (lineEnd == from) {
                return scanned;
            } else {
                headerLine(in, base, from, lineEnd);
            }
        }
    }

    /** {@code HTTP/1.x SP 3DIGIT [SP reason]}: HTTP/1.0 and 1.1 (a higher 1.x minor is read as 1.1). */
    private void statusLine(ByteBuf in, int from, int end) throws MalformedResponse {
        int len = end - from;
        if (len < 12 || in.getByte(from) != 'H' || in.getByte(from + 1) != 'T' || in.getByte(from + 2) != 'T'
                || in.getByte(from + 3) != 'P' || in.getByte(from + 4) != '/' || in.getByte(from + 5) != '1'
                || in.getByte(from + 6) != '.' || !digit(in.getByte(from + 7)) || in.getByte(from + 8) != ' '
                || (len > 12 && in.getByte(from + 12) != ' ')) {
            throw new MalformedResponse("bad status line '" + printable(in, from, len) + "'");
        }
        http11 = in.getByte(from + 7) != '0';
        int code = 0;
        for (int i = from + 9; i < from + 12; i++) {
            byte b = in.getByte(i);
            if (!digit(b)) {
                throw new MalformedResponse("bad status code in '" + printable(in, from, len) + "'");
            }
            code = code * 10 + (b - '0');
        }
        if (code < 100) {
            throw new MalformedResponse("bad status code " + code);
        }
        if (in.forEachByte(from + 12, len - 12, VALUE_BYTE) >= 0) {
            throw new MalformedResponse("control character in the status line");
        }
        status = code;
    }

    private void headerLine(ByteBuf in, int base, int from, int end) throws MalformedResponse {
        int colon = headerColon(in, from, end, VALUE_BYTE, MalformedResponse::new);
        int kind = kind(in, from, colon - from);
        int valueStart = skipWhiteSpace(in, colon + 1, end);
        int valueEnd = trimWhiteSpace(in, valueStart, end);
        switch (kind) {
            case ResponseHead.CONNECTION -> connection.add(in, valueStart, valueEnd);
            case ResponseHead.CONTENT_LENGTH -> contentLength(in, valueStart, valueEnd);
            case ResponseHead.TRANSFER_ENCODING -> transferCodings.add(in, valueStart, valueEnd, MalformedResponse::new);
            case ResponseHead.UPGRADE -> upgrade = in.toString(valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1);
            default -> {
            }
        }
        lines.add(from - base, end - base, colon - base, kind);
    }

    private static int kind(ByteBuf in, int at, int len) {
        return switch (len) {
            case 2 -> is(in, at, len, TE) ? ResponseHead.TE : ResponseHead.OTHER;
            case 7 -> is(in, at, len, UPGRADE) ? ResponseHead.UPGRADE
                    : is(in, at, len, TRAILER) ? ResponseHead.TRAILER : ResponseHead.OTHER;
            case 10 -> is(in, at, len, CONNECTION) ? ResponseHead.CONNECTION
                    : is(in, at, len, KEEP_ALIVE) ? ResponseHead.KEEP_ALIVE : ResponseHead.OTHER;
            case 14 -> is(in, at, len, CONTENT_LENGTH) ? ResponseHead.CONTENT_LENGTH : ResponseHead.OTHER;
            case 16 -> is(in, at, len, PROXY_CONNECTION) ? ResponseHead.PROXY_CONNECTION : ResponseHead.OTHER;
            case 17 -> is(in, at, len, TRANSFER_ENCODING) ? ResponseHead.TRANSFER_ENCODING : ResponseHead.OTHER;
            default -> ResponseHead.OTHER;
        };
    }

    /** Digits only; a list of equal values (a repeated header folded by an intermediary) is one length. */
    private void contentLength(ByteBuf in, int start, int end) throws MalformedResponse {
        for (int t = start; t <= end; ) {
            int comma = in.indexOf(t, end, (byte) ',');
            int tokenEnd = comma < 0 ? end : comma;
            int s = skipWhiteSpace(in, t, tokenEnd);
            int e = trimWhiteSpace(in, s, tokenEnd);
            if (e == s || e - s > 18) {
                throw new MalformedResponse("bad Content-Length '" + printable(in, start, end - start) + "'");
            }
            long value = 0;
            for (int i = s; i < e; i++) {
                byte b = in.getByte(i);
                if (!digit(b)) {
                    throw new MalformedResponse("bad Content-Length '" + printable(in, start, end - start) + "'");
                }
                value = value * 10 + (b - '0');
            }
            if (contentLength >= 0 && contentLength != value) {
                throw new MalformedResponse("conflicting Content-Length values " + contentLength + " and " + value);
            }
            contentLength = value;
            t = tokenEnd + 1;
        }
    }

    /**
     * The head is complete: decides how its body ends (RFC 9112 §6.3) and takes the head's bytes out of
     * {@code in}.
     */
    ResponseHead build(ByteBuf in, int length, boolean headRequest, boolean upgradeRequested) throws MalformedResponse {
        ResponseHead.Framing framing;
        if (status < 200) {
            framing = status == 101 && upgradeRequested ? ResponseHead.Framing.UPGRADE : ResponseHead.Framing.INTERIM;
        } else if (headRequest || status == 204 || status == 304) {
            framing = ResponseHead.Framing.NONE;
        } else if (transferCodings.present()) {
            if (contentLength >= 0) { // a smuggling attempt or a broken worker: either way not passed on
                throw new MalformedResponse("both Transfer-Encoding and Content-Length");
            }
            framing = transferCodings.chunked() ? ResponseHead.Framing.CHUNKED : ResponseHead.Framing.UNTIL_CLOSE;
        } else if (contentLength >= 0) {
            framing = ResponseHead.Framing.LENGTH;
        } else {
            framing = ResponseHead.Framing.UNTIL_CLOSE;
        }
        boolean reusable = (http11 ? !connection.close : connection.keepAlive)
                && framing != ResponseHead.Framing.UNTIL_CLOSE && framing != ResponseHead.Framing.UPGRADE;
        return new ResponseHead(in.readRetainedSlice(length), status, framing, contentLength, reusable, upgrade,
                statusLineEnd, lines, connection.names, bareLf);
    }
}
