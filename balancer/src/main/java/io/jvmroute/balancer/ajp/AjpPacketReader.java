package io.jvmroute.balancer.ajp;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the container's packets ({@code 'A' 'B' length payload}) out of what a worker sent and interprets
 * each as an {@link AjpMessage}, refusing anything malformed with an {@link AjpProtocolException}:
 * the limits are the packet size (nothing larger is ever waited for, so a hostile length cannot make the
 * balancer buffer more than one packet) and the packet's own length (no field may reach past it). Headers
 * become HTTP/1.1 lines later, so names must be tokens and values must hold no CR, LF or other control
 * character but TAB: a worker cannot split a response.
 */
final class AjpPacketReader {

    private final int maxPacketSize;

    /** @param maxPacketSize the largest packet accepted, header included ({@code max_packet_size}) */
    AjpPacketReader(int maxPacketSize) {
        this.maxPacketSize = maxPacketSize;
    }

    /**
     * The next message, consuming its packet; null when the packet has not fully arrived (nothing is
     * consumed then). A body chunk's data is a slice of {@code in}: use it before reading on.
     */
    AjpMessage next(ByteBuf in) {
        int at = in.readerIndex();
        int readable = in.readableBytes();
        if (readable >= 1 && in.getByte(at) != 'A' || readable >= 2 && in.getByte(at + 1) != 'B') {
            throw new AjpProtocolException("a packet from the worker does not start with 'AB' (0x"
                    + hex(in, at, Math.min(readable, 2)) + ")");
        }
        if (readable < AjpProtocol.PACKET_HEADER) {
            return null;
        }
        int length = in.getUnsignedShort(at + 2);
        if (length == 0) {
            throw new AjpProtocolException("an empty packet from the worker (no message type)");
        }
        if (length > maxPacketSize - AjpProtocol.PACKET_HEADER) {
            throw new AjpProtocolException("a packet of " + (length + AjpProtocol.PACKET_HEADER)
                    + " bytes from the worker, more than max_packet_size " + maxPacketSize);
        }
        if (readable < AjpProtocol.PACKET_HEADER + length) {
            return null;
        }
        in.skipBytes(AjpProtocol.PACKET_HEADER);
        ByteBuf packet = in.readSlice(length);
        byte type = packet.readByte();
        AjpMessage message = switch (type) {
            case AjpProtocol.SEND_HEADERS -> sendHeaders(packet);
            case AjpProtocol.SEND_BODY_CHUNK -> bodyChunk(packet);
            case AjpProtocol.END_RESPONSE -> new AjpMessage.EndResponse(need(packet, 1, "END_RESPONSE").readByte() != 0);
            case AjpProtocol.GET_BODY_CHUNK -> new AjpMessage.GetBodyChunk(need(packet, 2, "GET_BODY_CHUNK").readUnsignedShort());
            case AjpProtocol.CPONG -> new AjpMessage.CPong();
            default -> throw new AjpProtocolException("a message of unknown type " + (type & 0xFF) + " from the worker");
        };
        // a message longer than its fields is tolerated (mod_jk reads fields, not lengths), a shorter one is not
        return message;
    }

    private static AjpMessage sendHeaders(ByteBuf p) {
        int status = need(p, 2, "SEND_HEADERS status").readUnsignedShort();
        if (status < 100 || status > 999) {
            throw new AjpProtocolException("SEND_HEADERS with status " + status + " (expected: 100-999)");
        }
        String reason = string(p, "reason phrase", false);
        int count = need(p, 2, "SEND_HEADERS header count").readUnsignedShort();
        // each header takes at least 4 bytes (a code and an empty value): no list larger than the packet
        if (count > p.readableBytes() / 4) {
            throw new AjpProtocolException("SEND_HEADERS announces " + count + " headers in " + p.readableBytes() + " bytes");
        }
        List<byte[]> headers = new ArrayList<>(count * 2);
        for (int i = 0; i < count; i++) {
            int code = need(p, 2, "header name").getUnsignedShort(p.readerIndex());
            byte[] name;
            if ((code & 0xFF00) == 0xA000) {
                p.skipBytes(2);
                name = AjpProtocol.responseHeaderName(code);
                if (name == null) {
                    throw new AjpProtocolException("SEND_HEADERS with unknown header code 0x" + Integer.toHexString(code));
                }
            } else {
                name = bytes(p, "header name", true);
                checkName(name);
            }
            byte[] value = bytes(p, "header value", false);
            headers.add(name);
            headers.add(value == null ? new byte[0] : value);
        }
        return new AjpMessage.SendHeaders(status, reason == null ? "" : reason, headers);
    }

    private static AjpMessage bodyChunk(ByteBuf p) {
        int length = need(p, 2, "SEND_BODY_CHUNK length").readUnsignedShort();
        return new AjpMessage.BodyChunk(need(p, length, "SEND_BODY_CHUNK data").readSlice(length));
    }

    private static String string(ByteBuf p, String what, boolean required) {
        byte[] b = bytes(p, what, required);
        return b == null ? null : new String(b, StandardCharsets.ISO_8859_1);
    }

    /** An AJP string: length, bytes, NUL; length 0xFFFF is null. Checked to be usable in an HTTP head. */
    private static byte[] bytes(ByteBuf p, String what, boolean required) {
        int length = need(p, 2, what).readUnsignedShort();
        if (length == 0xFFFF) {
            if (required) {
                throw new AjpProtocolException("a null " + what + " from the worker");
            }
            return null;
        }
        need(p, length + 1, what);
        byte[] b = new byte[length];
        p.readBytes(b);
        if (p.readByte() != 0) {
            throw new AjpProtocolException("a " + what + " from the worker without its terminating NUL");
        }
        for (byte c : b) {
            if (c >= 0 && c < 0x20 && c != '\t' || c == 0x7f) {
                throw new AjpProtocolException("a " + what + " from the worker with control character 0x"
                        + Integer.toHexString(c));
            }
        }
        return b;
    }

    private static void checkName(byte[] name) {
        if (name.length == 0) {
            throw new AjpProtocolException("an empty header name from the worker");
        }
        for (byte c : name) {
            if (c <= ' ' || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                throw new AjpProtocolException("header name '" + new String(name, StandardCharsets.ISO_8859_1)
                        + "' from the worker is not an HTTP token");
            }
        }
    }

    private static ByteBuf need(ByteBuf p, int n, String what) {
        if (p.readableBytes() < n) {
            throw new AjpProtocolException("a packet from the worker ends inside its " + what);
        }
        return p;
    }

    private static String hex(ByteBuf in, int at, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(String.format("%02x", in.getByte(at + i) & 0xFF));
        }
        return sb.toString();
    }
}
