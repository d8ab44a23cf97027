package io.jvmroute.replication;

import java.io.EOFException;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.ArrayList;
import java.util.List;
import org.apache.catalina.ha.session.SessionMessage;
import org.apache.catalina.ha.session.SessionMessageImpl;

/**
 * The session messages of one lane batch as one Tribes byte message: the fields of each {@link SessionMessage}
 * written out plainly, in order. It replaces a serialized list of {@code SessionMessageImpl} objects, which cost
 * an {@code ObjectOutputStream} on the sender and an allow-list-filtered {@code ObjectInputStream} on the
 * receiver per frame for nothing but strings, numbers and a byte array; the session data inside (a delta, a
 * session id) is read by the manager as before, through the allow-list where it holds objects.
 *
 * <p>Layout: {@link #MAGIC}, the message count, then per message: event type, context name (or a back-reference
 * to the previous one: a frame's messages mostly share it), session id, unique id, timestamp, data.
 */
final class LaneFrame {

    static final byte[] MAGIC = {'J', 'L', 1};

    private static final int SAME_CONTEXT = 1;
    private static final int NEW_CONTEXT = 2;

    private LaneFrame() {
    }

    /** The frame of {@code messages} in replication format {@code version} ({@link WireFormats}). */
    static byte[] encode(int version, List<SessionMessage> messages) {
        if (version != 2) {
            throw new IllegalArgumentException("replication format " + version + " (this release writes 2)");
        }
        return encode(messages);
    }

    static byte[] encode(List<SessionMessage> messages) {
        ByteWriter out = new ByteWriter(64 + 160 * messages.size());
        out.write(MAGIC, 0, MAGIC.length);
        out.writeInt(messages.size());
        String context = null;
        for (SessionMessage message : messages) {
            out.writeInt(message.getEventType());
            if (message.getContextName().equals(context)) {
                out.writeByte(SAME_CONTEXT);
            } else {
                context = message.getContextName();
                out.writeByte(NEW_CONTEXT);
                out.writeString(context);
            }
            writeNullable(out, message.getSessionID());
            writeNullable(out, message.getUniqueId());
            out.writeLong(message.getTimestamp());
            byte[] data = message.getSession();
            out.writeInt(data == null ? -1 : data.length);
            if (data != null) {
                out.write(data, 0, data.length);
            }
        }
        return out.toByteArray();
    }

    /** Whether {@code data} starts as a lane frame does. */
    static boolean isFrame(byte[] data) {
        return data != null && data.length >= MAGIC.length && data[0] == MAGIC[0] && data[1] == MAGIC[1]
                && data[2] == MAGIC[2];
    }

    /**
     * The messages of a frame, all of them or none: a malformed frame (peer data is untrusted) throws before
     * anything is applied, and no length in it is believed beyond the bytes that are there.
     */
    static List<SessionMessage> decode(byte[] frame) throws IOException {
        if (!isFrame(frame)) {
            throw new StreamCorruptedException("not a lane frame");
        }
        ByteReader in = new ByteReader(frame, MAGIC.length, frame.length);
        int count = in.readInt();
        // Each message takes at least 19 bytes: a larger count is a lie, refused before the list is sized by it.
        if (count < 0 || count > in.remaining() / 19) {
            throw new StreamCorruptedException("lane frame: " + count + " messages in " + frame.length + " bytes");
        }
        List<SessionMessage> messages = new ArrayList<>(count);
        String context = null;
        for (int i = 0; i < count; i++) {
            int eventType = in.readInt();
            int contextMark = in.readByte();
            if (contextMark == NEW_CONTEXT) {
                context = in.readString();
            } else if (contextMark != SAME_CONTEXT || context == null) {
                throw new StreamCorruptedException("lane frame: context mark " + contextMark);
            }
            String sessionId = readNullable(in);
            String uniqueId = readNullable(in);
            long timestamp = in.readLong();
            int length = in.readInt();
            if (length < -1 || length > in.remaining()) {
                throw new EOFException("lane frame: data of " + length + " bytes, " + in.remaining() + " left");
            }
            byte[] data = null;
            if (length >= 0) {
                data = new byte[length];
                in.readFully(data, 0, length);
            }
            SessionMessageImpl message = new SessionMessageImpl(context, eventType, data, sessionId, uniqueId);
            message.setTimestamp(timestamp);
            messages.add(message);
        }
        if (in.remaining() != 0) {
            throw new StreamCorruptedException("lane frame: " + in.remaining() + " bytes after the last message");
        }
        return messages;
    }

    private static void writeNullable(ByteWriter out, String s) {
        out.writeByte(s == null ? 0 : 1);
        if (s != null) {
            out.writeString(s);
        }
    }

    private static String readNullable(ByteReader in) throws IOException {
        return in.readByte() != 0 ? in.readString() : null;
    }
}
