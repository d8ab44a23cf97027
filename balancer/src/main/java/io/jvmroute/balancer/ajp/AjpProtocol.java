package io.jvmroute.balancer.ajp;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The numbers of the AJP13 protocol (Tomcat's {@code org.apache.coyote.ajp.Constants}, mod_jk's
 * {@code jk_ajp13.h}): packet marks, message types, and the codes that stand for common method, header and
 * attribute names.
 */
final class AjpProtocol {

    /** Packets to the container start with 0x1234, packets from it with "AB". */
    static final int TO_CONTAINER = 0x1234;
    static final int FROM_CONTAINER = 0x4142;
    /** Mark and length. */
    static final int PACKET_HEADER = 4;
    /** The smallest max_packet_size (mod_jk's and Tomcat's default). */
    static final int DEFAULT_PACKET_SIZE = 8192;

    // server -> container
    static final byte FORWARD_REQUEST = 2;
    static final byte CPING = 10;
    // container -> server
    static final byte SEND_BODY_CHUNK = 3;
    static final byte SEND_HEADERS = 4;
    static final byte END_RESPONSE = 5;
    static final byte GET_BODY_CHUNK = 6;
    static final byte CPONG = 9;

    // request attributes
    static final byte A_REMOTE_USER = 3;
    static final byte A_QUERY_STRING = 5;
    static final byte A_JVM_ROUTE = 6;
    static final byte A_SSL_CERT = 7;
    static final byte A_SSL_CIPHER = 8;
    static final byte A_SSL_SESSION = 9;
    static final byte A_REQ_ATTRIBUTE = 10;
    static final byte A_SSL_KEY_SIZE = 11;
    static final byte A_SECRET = 12;
    static final byte A_STORED_METHOD = 13;
    static final byte A_ARE_DONE = (byte) 0xFF;
    /** The method code for a method without its own code: its name follows as {@link #A_STORED_METHOD}. */
    static final byte M_STORED = (byte) 0xFF;

    /** Coded request header names: 0xA001 accept ... 0xA00E user-agent. */
    private static final String[] REQUEST_HEADERS = {"accept", "accept-charset", "accept-encoding", "accept-language",
            "authorization", "connection", "content-type", "content-length", "cookie", "cookie2", "host", "pragma",
            "referer", "user-agent"};
    /** Coded response header names: 0xA001 Content-Type ... 0xA00B WWW-Authenticate. */
    private static final String[] RESPONSE_HEADERS = {"Content-Type", "Content-Language", "Content-Length", "Date",
            "Last-Modified", "Location", "Set-Cookie", "Set-Cookie2", "Servlet-Engine", "Status", "WWW-Authenticate"};
    private static final byte[][] RESPONSE_HEADER_BYTES = new byte[RESPONSE_HEADERS.length][];
    private static final String[] METHODS = {"OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "PROPFIND",
            "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "ACL", "REPORT", "VERSION-CONTROL", "CHECKIN",
            "CHECKOUT", "UNCHECKOUT", "SEARCH", "MKWORKSPACE", "UPDATE", "LABEL", "MERGE", "BASELINE-CONTROL",
            "MKACTIVITY"};
    private static final Map<String, Integer> METHOD_CODES;

    static {
        Map<String, Integer> codes = new java.util.HashMap<>();
        for (int i = 0; i < METHODS.length; i++) {
            codes.put(METHODS[i], i + 1);
        }
        METHOD_CODES = Map.copyOf(codes);
        for (int i = 0; i < RESPONSE_HEADERS.length; i++) {
            RESPONSE_HEADER_BYTES[i] = RESPONSE_HEADERS[i].getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    private AjpProtocol() {
    }

    /** The method's code (1 for OPTIONS ...), or 0 when it has none and goes as a stored method. */
    static int methodCode(String method) {
        Integer code = METHOD_CODES.get(method);
        return code == null ? 0 : code;
    }

    /**
     * The code of a request header name (0xA001 ...), or 0 when the name goes as a string.
     *
     * @param lowerCaseName the header name in lower case
     */
    static int requestHeaderCode(String lowerCaseName) {
        for (int i = 0; i < REQUEST_HEADERS.length; i++) {
            if (REQUEST_HEADERS[i].equals(lowerCaseName)) {
                return 0xA001 + i;
            }
        }
        return 0;
    }

    /** The name a coded response header stands for, or null when the code is not one. */
    static byte[] responseHeaderName(int code) {
        int i = code - 0xA001;
        return i >= 0 && i < RESPONSE_HEADER_BYTES.length ? RESPONSE_HEADER_BYTES[i] : null;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
