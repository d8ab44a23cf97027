package io.jvmroute.replication;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutput;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a session delta ({@code DeltaRequest.writeExternal}) without Java serialization for what deltas mostly
 * carry: the action fields and attribute values that are strings, boxed primitives or {@code null} become a
 * few tagged bytes. Any other value goes, in order, to one Java serialization stream kept behind them, which the
 * receiver reads through the class allow-list ({@link CompactDeltaInput}).
 *
 * <p>Why: the stock format opens an {@code ObjectOutputStream} per delta and the receiver an
 * {@code ObjectInputStream} per delta, re-reading class descriptors each time; on a session-writing request this
 * was most of the replication cost of both nodes (see the README's cost section).
 *
 * <p>Layout: {@link #MAGIC} (3 bytes, never the {@code 0xACED} that starts a Java serialization stream, so the
 * receiver tells the two formats apart), the length of the tagged section (int), the tagged section, then the
 * serialization stream of the other values (absent if there are none).
 */
final class CompactDeltaOutput implements ObjectOutput {

    static final byte[] MAGIC = {'J', 'R', 1};

    // Value tags of writeObject
    static final byte NULL = 0;
    static final byte STRING = 1;
    static final byte INTEGER = 2;
    static final byte LONG = 3;
    static final byte TRUE = 4;
    static final byte FALSE = 5;
    static final byte SHORT = 6;
    static final byte BYTE = 7;
    static final byte CHARACTER = 8;
    static final byte FLOAT = 9;
    static final byte DOUBLE = 10;
    static final byte SERIALIZED = 11;

    private byte[] buf = new byte[256];
    private int pos;
    private ByteArrayOutputStream serializedBytes;
    private ObjectOutputStream serialized;

    /** The delta in the layout described on the class. */
    byte[] toByteArray() throws IOException {
        byte[] tail = new byte[0];
        if (serialized != null) {
            serialized.close();
            tail = serializedBytes.toByteArray();
        }
        byte[] out = new byte[MAGIC.length + Integer.BYTES + pos + tail.length];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        putInt(out, MAGIC.length, pos);
        System.arraycopy(buf, 0, out, MAGIC.length + Integer.BYTES, pos);
        System.arraycopy(tail, 0, out, MAGIC.length + Integer.BYTES + pos, tail.length);
        return out;
    }

    @Override
    public void writeObject(Object value) throws IOException {
        if (value == null) {
            writeByte(NULL);
        } else if (value instanceof String s) {
            writeByte(STRING);
            writeUTF(s);
        } else if (value instanceof Integer i) {
            writeByte(INTEGER);
            writeInt(i.intValue());
        } else if (value instanceof Long l) {
            writeByte(LONG);
            writeLong(l.longValue());
        } else if (value instanceof Boolean b) {
            writeByte(b.booleanValue() ? TRUE : FALSE);
        } else if (value instanceof Short s) {
            writeByte(SHORT);
            writeShort(s.shortValue());
        } else if (value instanceof Byte b) {
            writeByte(BYTE);
            writeByte(b.byteValue());
        } else if (value instanceof Character c) {
            writeByte(CHARACTER);
            writeChar(c.charValue());
        } else if (value instanceof Float f) {
            writeByte(FLOAT);
            writeFloat(f.floatValue());
        } else if (value instanceof Double d) {
            writeByte(DOUBLE);
            writeDouble(d.doubleValue());
        } else {
            writeByte(SERIALIZED);
            if (serialized == null) {
                serializedBytes = new ByteArrayOutputStream(512);
                serialized = new ObjectOutputStream(serializedBytes);
            }
            // One stream for all of the delta's other values: objects they share stay shared on the receiver.
            serialized.writeObject(value);
        }
    }

    /**
     * Any string, exactly: ASCII as one byte per char (the usual case), anything else as UTF-16 code units, so
     * unpaired surrogates survive as they do in Java serialization. Header: length × 2, plus 1 for UTF-16.
     */
    @Override
    public void writeUTF(String s) {
        // UTF-8 of an ASCII string is as long as the string, and the JDK encodes it with a vectorized copy.
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length == s.length()) {
            writeInt(s.length() << 1);
            write(utf8);
        } else {
            writeInt(s.length() << 1 | 1);
            writeChars(s);
        }
    }

    @Override
    public void write(int b) {
        writeByte(b);
    }

    @Override
    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
    }

    @Override
    public void writeBoolean(boolean v) {
        writeByte(v ? 1 : 0);
    }

    @Override
    public void writeByte(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
    }

    @Override
    public void writeShort(int v) {
        ensure(2);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    @Override
    public void writeChar(int v) {
        writeShort(v);
    }

    @Override
    public void writeInt(int v) {
        ensure(4);
        putInt(buf, pos, v);
        pos += 4;
    }

    @Override
    public void writeLong(long v) {
        writeInt((int) (v >>> 32));
        writeInt((int) v);
    }

    @Override
    public void writeFloat(float v) {
        writeInt(Float.floatToIntBits(v));
    }

    @Override
    public void writeDouble(double v) {
        writeLong(Double.doubleToLongBits(v));
    }

    @Override
    public void writeBytes(String s) {
        for (int i = 0; i < s.length(); i++) {
            writeByte(s.charAt(i));
        }
    }

    @Override
    public void writeChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            writeChar(s.charAt(i));
        }
    }

    @Override
    public void flush() {
        // in memory until toByteArray
    }

    @Override
    public void close() {
        // in memory until toByteArray
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
