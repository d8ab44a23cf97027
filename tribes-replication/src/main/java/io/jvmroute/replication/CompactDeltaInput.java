package io.jvmroute.replication;

import java.io.EOFException;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectInputStream;
import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link CompactDeltaOutput} wrote, for {@code DeltaRequest.readExternal}. Strings and boxed primitives
 * are decoded here without instantiating any class by name; the other values come from one
 * {@link ObjectInputStream} over the serialized tail, opened on first use by {@link Streams} (the manager's
 * replication stream, which carries the class allow-list and the web application's class loaders).
 *
 * <p>Peer data is untrusted: every length is checked against what is left before anything is allocated, and
 * anything malformed ends the read with an {@link IOException}, never with a large allocation or a runtime
 * exception.
 */
final class CompactDeltaInput implements ObjectInput {

    /** Opens the Java serialization stream over part of the data; the allow-list must be on it. */
    @FunctionalInterface
    interface Streams {
        ObjectInputStream open(byte[] data, int offset, int length) throws IOException;
    }

    private final byte[] data;
    private final int end;
    private final int tailOffset;
    private final Streams streams;
    private int pos;
    private ObjectInputStream tail;

    CompactDeltaInput(byte[] data, Streams streams) throws IOException {
        if (!isCompact(data) || data.length < CompactDeltaOutput.MAGIC.length + Integer.BYTES) {
            throw new StreamCorruptedException("not a compact delta");
        }
        this.data = data;
        this.streams = streams;
        int at = CompactDeltaOutput.MAGIC.length;
        int tagged = (data[at] & 0xff) << 24 | (data[at + 1] & 0xff) << 16 | (data[at + 2] & 0xff) << 8
                | data[at + 3] & 0xff;
        this.pos = at + Integer.BYTES;
        if (tagged < 0 || tagged > data.length - pos) {
            throw new StreamCorruptedException("compact delta: tagged section of " + tagged + " bytes in "
                    + data.length);
        }
        this.end = pos + tagged;
        this.tailOffset = end;
    }

    /** Whether {@code data} is in the compact format (else it is a Java serialization stream). */
    static boolean isCompact(byte[] data) {
        byte[] magic = CompactDeltaOutput.MAGIC;
        if (data == null || data.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (data[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Object readObject() throws IOException, ClassNotFoundException {
        byte tag = readByte();
        return switch (tag) {
            case CompactDeltaOutput.NULL -> null;
            case CompactDeltaOutput.STRING -> readUTF();
            case CompactDeltaOutput.INTEGER -> Integer.valueOf(readInt());
            case CompactDeltaOutput.LONG -> Long.valueOf(readLong());
            case CompactDeltaOutput.TRUE -> Boolean.TRUE;
            case CompactDeltaOutput.FALSE -> Boolean.FALSE;
            case CompactDeltaOutput.SHORT -> Short.valueOf(readShort());
            case CompactDeltaOutput.BYTE -> Byte.valueOf(readByte());
            case CompactDeltaOutput.CHARACTER -> Character.valueOf(readChar());
            case CompactDeltaOutput.FLOAT -> Float.valueOf(readFloat());
            case CompactDeltaOutput.DOUBLE -> Double.valueOf(readDouble());
            case CompactDeltaOutput.SERIALIZED -> readSerialized();
            default -> throw new StreamCorruptedException("compact delta: unknown value tag " + tag);
        };
    }

    private Object readSerialized() throws IOException, ClassNotFoundException {
        try {
            return serialized().readObject();
        } catch (RuntimeException e) {
            // ObjectInputStream answers some corrupt streams with a NullPointerException and the like.
            throw (IOException) new StreamCorruptedException("compact delta: unreadable serialized value: " + e)
                    .initCause(e);
        }
    }

    private ObjectInputStream serialized() throws IOException {
        if (tail == null) {
            if (tailOffset >= data.length) {
                throw new StreamCorruptedException("compact delta: a serialized value but no serialized section");
            }
            tail = streams.open(data, tailOffset, data.length - tailOffset);
        }
        return tail;
    }

    @Override
    public String readUTF() throws IOException {
        int header = readInt();
        int length = header >>> 1;
        if (header < 0) {
            throw new StreamCorruptedException("compact delta: string length " + header);
        }
        if ((header & 1) == 0) {
            need(length);
            String s = new String(data, pos, length, StandardCharsets.ISO_8859_1);
            pos += length;
            return s;
        }
        need(2L * length);
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = readChar();
        }
        return new String(chars);
    }

    @Override
    public byte readByte() throws IOException {
        need(1);
        return data[pos++];
    }

    @Override
    public int readUnsignedByte() throws IOException {
        return readByte() & 0xff;
    }

    @Override
    public boolean readBoolean() throws IOException {
        return readByte() != 0;
    }

    @Override
    public short readShort() throws IOException {
        return (short) readUnsignedShort();
    }

    @Override
    public int readUnsignedShort() throws IOException {
        need(2);
        int v = (data[pos] & 0xff) << 8 | data[pos + 1] & 0xff;
        pos += 2;
        return v;
    }

    @Override
    public char readChar() throws IOException {
        return (char) readUnsignedShort();
    }

    @Override
    public int readInt() throws IOException {
        need(4);
        int v = (data[pos] & 0xff) << 24 | (data[pos + 1] & 0xff) << 16 | (data[pos + 2] & 0xff) << 8
                | data[pos + 3] & 0xff;
        pos += 4;
        return v;
    }

    @Override
    public long readLong() throws IOException {
        return (long) readInt() << 32 | readInt() & 0xffffffffL;
    }

    @Override
    public float readFloat() throws IOException {
        return Float.intBitsToFloat(readInt());
    }

    @Override
    public double readDouble() throws IOException {
        return Double.longBitsToDouble(readLong());
    }

    @Override
    public void readFully(byte[] b) throws IOException {
        readFully(b, 0, b.length);
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
        need(len);
        System.arraycopy(data, pos, b, off, len);
        pos += len;
    }

    @Override
    public int read() {
        return pos < end ? data[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b) {
        return read(b, 0, b.length);
    }

    @Override
    public int read(byte[] b, int off, int len) {
        int n = Math.min(len, end - pos);
        if (n <= 0) {
            return len == 0 ? 0 : -1;
        }
        System.arraycopy(data, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int skipBytes(int n) {
        int skipped = Math.max(0, Math.min(n, end - pos));
        pos += skipped;
        return skipped;
    }

    @Override
    public long skip(long n) {
        return skipBytes((int) Math.min(Integer.MAX_VALUE, n));
    }

    @Override
    public int available() {
        return end - pos;
    }

    @Override
    public String readLine() throws IOException {
        throw new IOException("compact delta: readLine is not part of the format");
    }

    @Override
    public void close() throws IOException {
        if (tail != null) {
            tail.close();
        }
    }

    private void need(long bytes) throws EOFException {
        if (bytes < 0 || bytes > end - pos) {
            throw new EOFException("compact delta: " + bytes + " bytes needed, " + (end - pos) + " left");
        }
    }
}
