package io.jvmroute.replication;

import java.io.EOFException;
import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link ByteWriter} wrote, from untrusted peer data: every read is checked against the bytes that
 * are there before anything is allocated, and a short or malformed input throws an {@link java.io.IOException}
 * ({@link EOFException}, {@link StreamCorruptedException}), never a runtime exception.
 */
final class ByteReader {

    private final byte[] data;
    private final int end;
    private int pos;

    ByteReader(byte[] data, int offset, int end) {
        this.data = data;
        this.pos = offset;
        this.end = end;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return end - pos;
    }

    byte readByte() throws EOFException {
        need(1);
        return data[pos++];
    }

    int readUnsignedShort() throws EOFException {
        need(2);
        int v = (data[pos] & 0xff) << 8 | data[pos + 1] & 0xff;
        pos += 2;
        return v;
    }

    int readInt() throws EOFException {
        need(4);
        int v = getInt(data, pos);
        pos += 4;
        return v;
    }

    long readLong() throws EOFException {
        return (long) readInt() << 32 | readInt() & 0xffffffffL;
    }

    void readFully(byte[] b, int off, int len) throws EOFException {
        need(len);
        System.arraycopy(data, pos, b, off, len);
        pos += len;
    }

    /** Copies up to {@code len} bytes; -1 at the end (InputStream semantics, for ObjectInput.read). */
    int read(byte[] b, int off, int len) {
        int n = Math.min(len, end - pos);
        if (n <= 0) {
            return len == 0 ? 0 : -1;
        }
        System.arraycopy(data, pos, b, off, n);
        pos += n;
        return n;
    }

    int skip(int n) {
        int skipped = Math.max(0, Math.min(n, end - pos));
        pos += skipped;
        return skipped;
    }

    String readString() throws EOFException, StreamCorruptedException {
        int header = readInt();
        if (header < 0) {
            throw new StreamCorruptedException("string length " + header);
        }
        int length = header >>> 1;
        if ((header & 1) == 0) {
            need(length);
            String s = new String(data, pos, length, StandardCharsets.ISO_8859_1);
            pos += length;
            return s;
        }
        need(2L * length);
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = (char) readUnsignedShort();
        }
        return new String(chars);
    }

    static int getInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
    }

    private void need(long bytes) throws EOFException {
        if (bytes < 0 || bytes > end - pos) {
            throw new EOFException(bytes + " bytes needed, " + (end - pos) + " left");
        }
    }
}
