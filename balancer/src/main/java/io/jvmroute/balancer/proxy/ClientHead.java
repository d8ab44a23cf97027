package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * Writes a worker's response head on to the client as bytes, with the proxy's edits only (RFC 9110
 * §7.6.1): the version becomes the one spoken with the client, hop-by-hop lines go (Connection and the
 * names it lists, Keep-Alive, Proxy-Connection, TE, Trailer, Upgrade, and Transfer-Encoding where the body's
 * framing changes), and the balancer's own Connection, Transfer-Encoding or Upgrade lines are added.
 * Every other line (Set-Cookie and all) passes byte for byte, and a head that needs no edit is passed on
 * as it came, without a copy.
 */
final class ClientHead {

    private static final byte[] HTTP_1_1 = ascii("HTTP/1.1");
    private static final byte[] HTTP_1_0 = ascii("HTTP/1.0");
    private static final byte[] CHUNKED = ascii("transfer-encoding: chunked\r\n");
    private static final byte[] CONNECTION = ascii("connection: ");
    private static final byte[] UPGRADE = ascii("upgrade: ");
    private static final short CRLF = ('\r' << 8) | '\n';

    private ClientHead() {
    }

    /**
     * @param http10     the client speaks HTTP/1.0 (it gets no Transfer-Encoding: the body comes unframed)
     * @param connection the value of the Connection line to add (close, keep-alive, upgrade), or null for none
     * @param chunked    the balancer frames the body as chunked (a close-delimited body to an HTTP/1.1 client)
     * @param upgrade    the Upgrade line to add (a 101), or null
     * @return the head for the client; the caller still releases {@code head}
     */
    static ByteBuf write(ByteBufAllocator alloc, ResponseHead head, boolean http10, String connection, boolean chunked,
                         String upgrade) {
        ByteBuf src = head.content();
        int base = src.readerIndex();
        boolean dropTransferEncoding = http10 || chunked;
        byte[] version = http10 ? HTTP_1_0 : HTTP_1_1;
        if (connection == null && !chunked && upgrade == null && !head.bareLf && sameVersion(src, base, version)
                && !anyDropped(head, src, dropTransferEncoding)) {
            return src.retainedDuplicate(); // the usual case: nothing to change
        }
        ByteBuf out = alloc.buffer(src.readableBytes() + 64);
        out.writeBytes(version);
        out.writeBytes(src, base + version.length, head.statusLineEnd - version.length);
        out.writeShort(CRLF);
        for (int i = 0; i < head.lineCount; i++) {
            if (!dropped(head, i, src, dropTransferEncoding)) {
                out.writeBytes(src, base + head.lineStart(i), head.lineEnd(i) - head.lineStart(i));
                out.writeShort(CRLF);
            }
        }
        if (chunked) {
            out.writeBytes(CHUNKED);
        }
        if (upgrade != null) {
            out.writeBytes(UPGRADE);
            out.writeCharSequence(upgrade, StandardCharsets.ISO_8859_1);
            out.writeShort(CRLF);
        }
        if (connection != null) {
            out.writeBytes(CONNECTION);
            out.writeCharSequence(connection, StandardCharsets.ISO_8859_1);
            out.writeShort(CRLF);
        }
        out.writeShort(CRLF);
        return out;
    }

    private static boolean sameVersion(ByteBuf src, int base, byte[] version) {
        for (int i = 0; i < version.length; i++) {
            if (src.getByte(base + i) != version[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyDropped(ResponseHead head, ByteBuf src, boolean dropTransferEncoding) {
        for (int i = 0; i < head.lineCount; i++) {
            if (dropped(head, i, src, dropTransferEncoding)) {
                return true;
            }
        }
        return false;
    }

    private static boolean dropped(ResponseHead head, int line, ByteBuf src, boolean dropTransferEncoding) {
        return switch (head.kind(line)) {
            case ResponseHead.CONNECTION, ResponseHead.KEEP_ALIVE, ResponseHead.PROXY_CONNECTION, ResponseHead.TE,
                 ResponseHead.TRAILER, ResponseHead.UPGRADE -> true;
            case ResponseHead.TRANSFER_ENCODING -> dropTransferEncoding;
            case ResponseHead.OTHER -> head.connectionNames != null && namedByConnection(head, line, src);
            default -> false;
        };
    }

    private static boolean namedByConnection(ResponseHead head, int line, ByteBuf src) {
        int at = src.readerIndex() + head.lineStart(line);
        int len = head.colon(line) - head.lineStart(line);
        for (String name : head.connectionNames) {
            if (HeadBytes.is(src, at, len, ascii(name))) {
                return true;
            }
        }
        return false;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
