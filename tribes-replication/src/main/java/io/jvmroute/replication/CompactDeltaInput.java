package io.jvmroute.replication;

import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectInputStream;
import java.io.StreamCorruptedException;

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
    private final ByteReader in;
    private final int tailOffset;
    private final Streams streams;
    private ObjectInputStream tail;

    CompactDeltaInput(byte[] data, Streams streams) throws IOException {
        int tagged = CompactDeltaOutput.MAGIC.length + Integer.BYTES;
        if (!isCompact(data) || data.length < tagged) {
            throw new StreamCorruptedException("not a compact delta");
        }
        int length = ByteReader.getInt(data, CompactDeltaOutput.MAGIC.length);
        if (length < 0 || length > data.length - tagged) {
            throw new StreamCorruptedException("compact delta: tagged section of " + length + " bytes in "
                    + data.length);
        }
        this.data = data;
        this.streams = streams;
        this.in = new ByteReader(data, tagged, tagged + length);
        this.tailOffset = tagged + length;
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
        return in.readString();
    }

    @Override
    public byte readByte() throws IOException {
        return in.readByte();
    }

    @Override
    public int readUnsignedByte() throws IOException {
        return in.readByte() & 0xff;
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readByte() != 0;
    }

    @Override
    public short readShort() throws IOException {
        return (short) in.readUnsignedShort();
    }

    @Override
    public int readUnsignedShort() throws IOException {
        return in.readUnsignedShort();
    }

    @Override
    public char readChar() throws IOException {
        return (char) in.readUnsignedShort();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return Float.intBitsToFloat(in.readInt());
    }

    @Override
    public double readDouble() throws IOException {
        return Double.longBitsToDouble(in.readLong());
    }

    @Override
    public void readFully(byte[] b) throws IOException {
        in.readFully(b, 0, b.length);
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
        in.readFully(b, off, len);
    }

    @Override
    public int read() throws IOException {
        return in.remaining() > 0 ? in.readByte() & 0xff : -1;
    }

    @Override
    public int read(byte[] b) {
        return in.read(b, 0, b.length);
    }

    @Override
    public int read(byte[] b, int off, int len) {
        return in.read(b, off, len);
    }

    @Override
    public int skipBytes(int n) {
        return in.skip(n);
    }

    @Override
    public long skip(long n) {
        return in.skip((int) Math.min(Integer.MAX_VALUE, n));
    }

    @Override
    public int available() {
        return in.remaining();
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
}
