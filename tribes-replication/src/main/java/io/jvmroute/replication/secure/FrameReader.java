package io.jvmroute.replication.secure;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads one Tribes package ({@code XByteBuffer}'s {@code FLT2002 <length> <ChannelData> TLF2003}) from an
 * authenticated connection, and checks every length in it before anything is allocated by it: the frame's own
 * (at most {@code maxFrameBytes}), and those inside the {@code ChannelData} and its sender member, each of which
 * Tribes would otherwise allocate as told ({@link PackageLayout}). Tribes' own reader doubles its buffer until a
 * frame is complete, so a peer announcing 2 GB could exhaust the heap; here a frame's bytes are held only as they
 * arrive, and a refused frame ends the connection with a {@link Refused} saying why.
 */
final class FrameReader {

    /** XByteBuffer's START_DATA and END_DATA (private there). */
    static final byte[] START = "FLT2002".getBytes(StandardCharsets.ISO_8859_1);
    static final byte[] END = "TLF2003".getBytes(StandardCharsets.ISO_8859_1);

    /** A frame this node will not read: the connection is closed, the line says why. */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason);
        }
    }

    private final InputStream in;
    private final int maxFrameBytes;

    FrameReader(InputStream in, int maxFrameBytes) {
        this.in = in;
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * The next complete package (start marker, length, data, end marker), checked; {@code null} when the peer
     * closed the connection between frames.
     *
     * @throws Refused     a frame that is malformed or larger than the limit
     * @throws EOFException the peer closed the connection inside a frame
     */
    byte[] next() throws IOException {
        byte[] head = in.readNBytes(START.length + 4);
        if (head.length == 0) {
            return null;
        }
        if (head.length < START.length + 4) {
            throw new EOFException("connection closed inside a frame header");
        }
        if (!Arrays.equals(head, 0, START.length, START, 0, START.length)) {
            throw new Refused("not a Tribes frame (no start marker)");
        }
        int length = toInt(head, START.length);
        if (length < 0 || length > maxFrameBytes) {
            throw new Refused("a frame of " + Integer.toUnsignedString(length) + " bytes exceeds maxFrameSize ("
                    + maxFrameBytes + " bytes)");
        }
        // readNBytes grows with what arrives, not with what the header announced.
        byte[] rest = in.readNBytes(length + END.length);
        if (rest.length < length + END.length) {
            throw new EOFException("connection closed inside a frame of " + length + " bytes");
        }
        if (!Arrays.equals(rest, length, rest.length, END, 0, END.length)) {
            throw new Refused("a frame of " + length + " bytes does not end with the end marker");
        }
        String problem = PackageLayout.problem(rest, 0, length);
        if (problem != null) {
            throw new Refused("malformed frame: " + problem);
        }
        byte[] whole = new byte[head.length + rest.length];
        System.arraycopy(head, 0, whole, 0, head.length);
        System.arraycopy(rest, 0, whole, head.length, rest.length);
        return whole;
    }

    static int toInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
