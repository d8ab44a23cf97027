package io.jvmroute.replication.secure;

import java.util.Arrays;
import org.apache.catalina.tribes.membership.MemberImpl;

/**
 * The lengths inside a Tribes package, checked before Tribes reads it: {@code ChannelData.getDataFromPackage} and
 * {@code MemberImpl.getMember} allocate each field as long as its length field says (a 2 GB unique id from a
 * 100-byte frame) and index past the end of a short one. Layout (Tomcat 10.1 and 11 alike):
 * <pre>
 * ChannelData: options(4) timestamp(8) uniqueIdLength(4) uniqueId  memberLength(4) member  messageLength(4) message
 * member:      TRIBES-B bodyLength(4) { alive(8) port(4) securePort(4) udpPort(4) hostLength(1) host
 *              commandLength(4) command  domainLength(4) domain  uniqueId(16)  payloadLength(4) payload } TRIBES-E
 * </pre>
 */
final class PackageLayout {

    private PackageLayout() {
    }

    /** What is wrong with the package data in {@code data[from, from + length)}, or {@code null}. */
    static String problem(byte[] data, int from, int length) {
        Cursor c = new Cursor(data, from, from + length);
        if (!c.skip(4 + 8)) {
            return "truncated header";
        }
        if (c.block() < 0) {
            return "bad unique id length";
        }
        int memberLength = c.length();
        if (memberLength < 0) {
            return "bad sender member length";
        }
        String member = memberProblem(data, c.at, memberLength);
        if (member != null) {
            return "sender member: " + member;
        }
        c.skip(memberLength);
        int messageLength = c.length();
        if (messageLength < 0) {
            return "bad message length";
        }
        return null;
    }

    private static String memberProblem(byte[] data, int from, int length) {
        byte[] begin = MemberImpl.TRIBES_MBR_BEGIN;
        byte[] endMarker = MemberImpl.TRIBES_MBR_END;
        if (length < begin.length + 4 + endMarker.length
                || !Arrays.equals(data, from, from + begin.length, begin, 0, begin.length)) {
            return "no start marker";
        }
        int bodyLength = FrameReader.toInt(data, from + begin.length);
        int bodyStart = from + begin.length + 4;
        if (bodyLength < 0 || bodyLength != length - begin.length - 4 - endMarker.length) {
            return "body length " + bodyLength + " does not fit its " + length + " bytes";
        }
        int bodyEnd = bodyStart + bodyLength;
        if (!Arrays.equals(data, bodyEnd, bodyEnd + endMarker.length, endMarker, 0, endMarker.length)) {
            return "no end marker";
        }
        Cursor c = new Cursor(data, bodyStart, bodyEnd);
        if (!c.skip(8 + 4 + 4 + 4)) {
            return "truncated";
        }
        if (c.at >= c.end || !c.skip(1) || data[c.at - 1] < 0 || !c.skip(data[c.at - 1])) {
            return "bad host length";
        }
        if (c.block() < 0 || c.block() < 0) {
            return "bad command or domain length";
        }
        if (!c.skip(16) || c.block() < 0) {
            return "bad unique id or payload length";
        }
        return null;
    }

    /** Reads forward within {@code [at, end)}; every method refuses to move past the end. */
    private static final class Cursor {
        final byte[] data;
        int at;
        final int end;

        Cursor(byte[] data, int at, int end) {
            this.data = data;
            this.at = at;
            this.end = end;
        }

        boolean skip(int n) {
            if (n < 0 || n > end - at) {
                return false;
            }
            at += n;
            return true;
        }

        /** A 4-byte length that fits in what remains (the cursor moves past the length only), or -1. */
        int length() {
            if (end - at < 4) {
                return -1;
            }
            int n = FrameReader.toInt(data, at);
            at += 4;
            return n >= 0 && n <= end - at ? n : -1;
        }

        /** A length and the bytes it counts: skipped; -1 when it does not fit. */
        int block() {
            int n = length();
            return n < 0 || !skip(n) ? -1 : n;
        }
    }
}
