package io.jvmroute.replication;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutput;
import java.io.ObjectOutputStream;

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

    private final ByteWriter out = new ByteWriter(256);
    private ByteArrayOutputStream serializedBytes;
    private ObjectOutputStream serialized;

    /** The delta in the layout described on the class. */
    byte[] toByteArray() throws IOException {
        byte[] tail = new byte[0];
        if (serialized != null) {
            serialized.close();
            tail = serializedBytes.toByteArray();
        }
        int tagged = MAGIC.length + Integer.BYTES;
        byte[] bytes = new byte[tagged + out.size() + tail.length];
        System.arraycopy(MAGIC, 0, bytes, 0, MAGIC.length);
        ByteWriter.putInt(bytes, MAGIC.length, out.size());
        out.copyTo(bytes, tagged);
        System.arraycopy(tail, 0, bytes, tagged + out.size(), tail.length);
        return bytes;
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

    /** Any string, exactly, in {@link ByteWriter#writeString}'s form (not DataOutput's modified UTF-8). */
    @Override
    public void writeUTF(String s) {
        out.writeString(s);
    }

    @Override
    public void write(int b) {
        out.writeByte(b);
    }

    @Override
    public void write(byte[] b) {
        out.write(b, 0, b.length);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        out.write(b, off, len);
    }

    @Override
    public void writeBoolean(boolean v) {
        out.writeByte(v ? 1 : 0);
    }

    @Override
    public void writeByte(int v) {
        out.writeByte(v);
    }

    @Override
    public void writeShort(int v) {
        out.writeShort(v);
    }

    @Override
    public void writeChar(int v) {
        out.writeShort(v);
    }

    @Override
    public void writeInt(int v) {
        out.writeInt(v);
    }

    @Override
    public void writeLong(long v) {
        out.writeLong(v);
    }

    @Override
    public void writeFloat(float v) {
        out.writeInt(Float.floatToIntBits(v));
    }

    @Override
    public void writeDouble(double v) {
        out.writeLong(Double.doubleToLongBits(v));
    }

    @Override
    public void writeBytes(String s) {
        for (int i = 0; i < s.length(); i++) {
            out.writeByte(s.charAt(i));
        }
    }

    @Override
    public void writeChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            out.writeShort(s.charAt(i));
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
}
