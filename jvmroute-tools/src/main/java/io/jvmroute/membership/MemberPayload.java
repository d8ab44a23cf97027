package io.jvmroute.membership;

import io.jvmroute.route.IdProblem;
import io.jvmroute.route.SessionId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * A cluster member's route and state, as it publishes them in its Tribes membership payload so that valves
 * and the balancer know which route is alive, draining or gone.
 *
 * <h2>Wire format, version 1</h2>
 * <pre>
 *   byte 0-1  magic 'J' 'R'          (0x4A 0x52)
 *   byte 2    format version         (1)
 *   byte 3    state                  (0 active, 1 draining; see {@link MemberState})
 *   byte 4    route length N         (1..255)
 *   byte 5..  route, N ASCII bytes   (a valid route, {@link SessionId#checkRoute})
 *   then any number of extensions:   [type: 1 byte][length L: 1 byte][L bytes]
 *     type 1  settings fingerprint   (ASCII, 1..64 bytes; peers compare it to detect differing settings)
 *     type 10 HTTP front address     (ASCII {@code host:port}, the connector a balancer sends HTTP to)
 *     type 11 AJP front address      (ASCII {@code host:port}, the node's AJP connector, when it has one)
 * </pre>
 * (Types 2..9 are left to other fields; a type's meaning never changes once published.)
 * Readers skip extensions whose type they do not know, so later versions can add fields without breaking
 * older members; a higher format version means the layout of the fixed part changed and is refused.
 * Payloads longer than {@link #MAX_ENCODED_LENGTH} bytes are refused unread.
 *
 * @param route       the member's route (its Engine jvmRoute)
 * @param state       the member's state
 * @param fingerprint a short digest of the member's cluster settings, or the empty string
 * @param http        where a balancer reaches the member's HTTP connector ({@code host:port}), or the empty string
 * @param ajp         where a balancer reaches the member's AJP connector ({@code host:port}), or the empty string
 */
public record MemberPayload(String route, MemberState state, String fingerprint, String http, String ajp) {

    /** The format version this code writes. */
    public static final int VERSION = 1;
    /** Longest payload read; anything longer is a peer sending garbage. */
    public static final int MAX_ENCODED_LENGTH = 1024;
    static final int MAX_FINGERPRINT_LENGTH = 64;

    private static final byte MAGIC_0 = 'J';
    private static final byte MAGIC_1 = 'R';
    private static final int EXT_FINGERPRINT = 1;
    private static final int EXT_HTTP_FRONT = 10;
    private static final int EXT_AJP_FRONT = 11;
    static final int MAX_FRONT_LENGTH = 255;

    public MemberPayload {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(ajp, "ajp");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(fingerprint, "fingerprint");
        IdProblem problem = SessionId.checkRoute(route);
        if (problem != null || route.length() > 255) {
            throw new IllegalArgumentException("route: " + route + " (expected: a valid route of at most 255 characters)");
        }
        if (fingerprint.length() > MAX_FINGERPRINT_LENGTH || !isPrintableAscii(fingerprint)) {
            throw new IllegalArgumentException("fingerprint: " + fingerprint
                    + " (expected: at most " + MAX_FINGERPRINT_LENGTH + " printable ASCII characters)");
        }
        checkFront("http", http);
        checkFront("ajp", ajp);
    }

    /** A payload without front addresses (a member that does not say where a balancer reaches it). */
    public MemberPayload(String route, MemberState state, String fingerprint) {
        this(route, state, fingerprint, "", "");
    }

    /** A payload without a fingerprint. */
    public static MemberPayload of(String route, MemberState state) {
        return new MemberPayload(route, state, "");
    }

    /** The same member in another state. */
    public MemberPayload withState(MemberState newState) {
        return new MemberPayload(route, newState, fingerprint, http, ajp);
    }

    /** The same member with these front addresses ({@code host:port}, or empty when it has none). */
    public MemberPayload withFront(String newHttp, String newAjp) {
        return new MemberPayload(route, state, fingerprint, newHttp, newAjp);
    }

    /** The bytes to publish. */
    public byte[] encode() {
        byte[] routeBytes = route.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream(5 + routeBytes.length + 6 + fingerprint.length()
                + http.length() + ajp.length());
        out.write(MAGIC_0);
        out.write(MAGIC_1);
        out.write(VERSION);
        out.write(state.code());
        out.write(routeBytes.length);
        out.writeBytes(routeBytes);
        if (!fingerprint.isEmpty()) {
            out.write(EXT_FINGERPRINT);
            out.write(fingerprint.length());
            out.writeBytes(fingerprint.getBytes(StandardCharsets.US_ASCII));
        }
        writeExtension(out, EXT_HTTP_FRONT, http);
        writeExtension(out, EXT_AJP_FRONT, ajp);
        return out.toByteArray();
    }

    /**
     * Reads a payload a peer published. Never throws: garbage, truncation, unknown versions and states give a
     * {@link Decoded} whose {@link Decoded#problem()} says what was wrong, and the member counts as unknown.
     */
    public static Decoded decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return Decoded.failed("no payload (a member that does not publish its route)");
        }
        if (bytes.length > MAX_ENCODED_LENGTH) {
            return Decoded.failed("payload of " + bytes.length + " bytes (expected: at most " + MAX_ENCODED_LENGTH + ")");
        }
        if (bytes.length < 5 || bytes[0] != MAGIC_0 || bytes[1] != MAGIC_1) {
            return Decoded.failed("not a jvmroute payload (no 'JR' header)");
        }
        int version = bytes[2] & 0xff;
        if (version != VERSION) {
            return Decoded.failed("payload format version " + version + " (expected: " + VERSION + ")");
        }
        MemberState state = MemberState.ofCode(bytes[3] & 0xff);
        if (state == null) {
            return Decoded.failed("unknown member state code " + (bytes[3] & 0xff));
        }
        int routeLength = bytes[4] & 0xff;
        if (5 + routeLength > bytes.length) {
            return Decoded.failed("truncated payload (route of " + routeLength + " bytes, " + (bytes.length - 5) + " present)");
        }
        String route = new String(bytes, 5, routeLength, StandardCharsets.ISO_8859_1);
        if (SessionId.checkRoute(route) != null) {
            return Decoded.failed("invalid route in payload (" + SessionId.checkRoute(route).description() + ")");
        }
        String fingerprint = "";
        String http = "";
        String ajp = "";
        for (int i = 5 + routeLength; i < bytes.length; ) {
            if (i + 2 > bytes.length || i + 2 + (bytes[i + 1] & 0xff) > bytes.length) {
                return Decoded.failed("truncated extension at byte " + i);
            }
            int type = bytes[i] & 0xff;
            int length = bytes[i + 1] & 0xff;
            if (type == EXT_FINGERPRINT) {
                fingerprint = new String(bytes, i + 2, length, StandardCharsets.ISO_8859_1);
                if (length > MAX_FINGERPRINT_LENGTH || !isPrintableAscii(fingerprint)) {
                    return Decoded.failed("invalid settings fingerprint");
                }
            } else if (type == EXT_HTTP_FRONT || type == EXT_AJP_FRONT) {
                String front = new String(bytes, i + 2, length, StandardCharsets.ISO_8859_1);
                if (!isFront(front)) {
                    return Decoded.failed("invalid front address");
                }
                if (type == EXT_HTTP_FRONT) {
                    http = front;
                } else {
                    ajp = front;
                }
            }
            i += 2 + length;
        }
        return new Decoded(new MemberPayload(route, state, fingerprint, http, ajp), null);
    }

    private static void writeExtension(ByteArrayOutputStream out, int type, String value) {
        if (!value.isEmpty()) {
            out.write(type);
            out.write(value.length());
            out.writeBytes(value.getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void checkFront(String name, String front) {
        if (!front.isEmpty() && !isFront(front)) {
            throw new IllegalArgumentException(name + ": " + front + " (expected: host:port, at most "
                    + MAX_FRONT_LENGTH + " printable ASCII characters)");
        }
    }

    /** {@code host:port} (an IPv6 host in brackets) with a port 1-65535, printable ASCII, within the length. */
    static boolean isFront(String front) {
        if (front.isEmpty() || front.length() > MAX_FRONT_LENGTH || !isPrintableAscii(front)) {
            return false;
        }
        int colon = front.lastIndexOf(':');
        if (colon <= 0 || colon == front.length() - 1 || front.length() - colon > 6) {
            return false;
        }
        for (int i = colon + 1; i < front.length(); i++) {
            if (front.charAt(i) < '0' || front.charAt(i) > '9') {
                return false;
            }
        }
        int port = Integer.parseInt(front.substring(colon + 1));
        return port >= 1 && port <= 65535;
    }

    private static boolean isPrintableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /**
     * The outcome of {@link #decode}: a payload, or the problem that made the member "unknown".
     *
     * @param payloadOrNull the payload, or {@code null} when {@code problem} is set
     * @param problem       why the bytes were refused, or {@code null}
     */
    public record Decoded(MemberPayload payloadOrNull, String problem) {
        static Decoded failed(String problem) {
            return new Decoded(null, problem);
        }

        public Optional<MemberPayload> payload() {
            return Optional.ofNullable(payloadOrNull);
        }

        public boolean isOk() {
            return payloadOrNull != null;
        }
    }
}
