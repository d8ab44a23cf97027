package io.jvmroute.replication;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable big-endian byte buffer for the replication formats ({@link CompactDeltaOutput}, {@link LaneFrame}):
 * what {@code DataOutputStream} over a {@code ByteArrayOutputStream} does, without the per-byte virtual calls,
 * the synchronized writes and {@code writeUTF}'s char-by-char encoding, which showed in the sender's profile.
 */
final class ByteWriter {

    private byte[] buf;
    private int pos;

    ByteWriter(int initialCapacity) {
        this.buf = new byte[Math.max(16, initialCapacity)];
    }

    int size() {
        return pos;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /** Copies what was written into {@code target} at {@code offset}. */
    void copyTo(byte[] target, int offset) {
        System.arraycopy(buf, 0, target, offset, pos);
    }

    void writeByte(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
    }

    void writeShort(int v) {
        ensure(2);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    void writeInt(int v) {
        ensure(4);
        putInt(buf, pos, v);
        pos += 4;
    }

    void writeLong(long v) {
        writeInt((int) (v >>> 32));
        writeInt((int) v);
    }

    void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
    }

    /**
     * Any string, exactly ({@link ByteReader#readString} reads it): ASCII as one byte per char, the usual case,
     * anything else as UTF-16 code units, so unpaired surrogates survive as they do in Java serialization.
     * Header: the length × 2, plus 1 for UTF-16.
     */
    void writeString(String s) {
        // UTF-8 of an ASCII string is as long as the string, and the JDK encodes it with a vectorized copy.
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length == s.length()) {
            writeInt(s.length() << 1);
            write(utf8, 0, utf8.length);
        } else {
            writeInt(s.length() << 1 | 1);
            for (int i = 0; i < s.length(); i++) {
                writeShort(s.charAt(i));
            }
        }
    }

    static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }
}
