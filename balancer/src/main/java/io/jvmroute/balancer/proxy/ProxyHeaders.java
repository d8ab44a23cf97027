package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Writes a client's request head for the workers as bytes (responses are edited by {@link ClientHead},
 * with the same hop-by-hop rules): the request line with the version made HTTP/1.1, every header line
 * byte for byte except those that go, then the balancer's own lines.
 * <ul>
 *   <li>hop-by-hop headers (RFC 9110 §7.6.1: Connection and those it names, Keep-Alive, Proxy-Connection,
 *       TE, Trailer, Transfer-Encoding, Upgrade) are removed; {@code transfer-encoding: chunked} comes back
 *       for a chunked body (its framing passes as it is), Upgrade and {@code connection: upgrade} for an
 *       upgrade the balancer tunnels;</li>
 *   <li>requests get {@code X-Forwarded-For/-Proto/-Host} and {@code Forwarded}; incoming ones are kept
 *       (and appended to) only from a trusted proxy, else replaced;</li>
 *   <li>the failover header is stripped from every client request and set only by the balancer, per
 *       attempt ({@link #forAttempt}): the rest of the head is written once and reused by retries.</li>
 * </ul>
 */
public final class ProxyHeaders {

    private static final byte[] HTTP_1_1 = ascii(" HTTP/1.1\r\n");
    private static final byte[] CHUNKED = ascii("transfer-encoding: chunked\r\n");
    private static final byte[] X_FORWARDED_FOR = ascii("x-forwarded-for: ");
    private static final byte[] X_FORWARDED_PROTO = ascii("x-forwarded-proto: ");
    private static final byte[] X_FORWARDED_HOST = ascii("x-forwarded-host: ");
    private static final byte[] FORWARDED = ascii("forwarded: ");
    private static final byte[] UPGRADE = ascii("upgrade: ");
    private static final byte[] CONNECTION_UPGRADE = ascii("connection: upgrade\r\n");
    private static final short CRLF = ('\r' << 8) | '\n';

    private final TrustedProxies trusted;
    private final String failoverHeader;
    private final byte[] failoverLower;

    public ProxyHeaders(TrustedProxies trusted, String failoverHeader) {
        this.trusted = trusted;
        this.failoverHeader = failoverHeader;
        this.failoverLower = ascii(failoverHeader.toLowerCase(Locale.ROOT));
    }

    /**
     * The head for the workers, once per request, blank line included; {@link #forAttempt} adds the
     * failover line where an attempt needs it.
     *
     * @param upgrade the protocol the balancer asks the worker to upgrade to (then tunnels), or null
     */
    ByteBuf toBackend(ByteBufAllocator alloc, RequestHead head, InetAddress client, String clientText, boolean tls,
                      String upgrade) {
        ByteBuf src = head.content();
        int base = src.readerIndex();
        boolean trustedClient = trusted.trusts(client);
        String proto = tls ? "https" : "http";
        ByteBuf out = alloc.buffer(src.readableBytes() + 192);
        out.writeBytes(src, base, head.uriEnd);
        out.writeBytes(HTTP_1_1);
        int runStart = -1;
        int runEnd = -1;
        for (int i = 0; i < head.lineCount; i++) {
            if (dropped(head, i, src, trustedClient)) {
                continue;
            }
            if (head.bareLf) {
                out.writeBytes(src, base + head.lineStart(i), head.lineEnd(i) - head.lineStart(i));
                out.writeShort(CRLF);
            } else if (head.lineStart(i) == runEnd) { // the lines kept are usually one run: one copy
                runEnd = head.lineEnd(i) + 2;
            } else {
                if (runStart >= 0) {
                    out.writeBytes(src, base + runStart, runEnd - runStart);
                }
                runStart = head.lineStart(i);
                runEnd = head.lineEnd(i) + 2;
            }
        }
        if (runStart >= 0) {
            out.writeBytes(src, base + runStart, runEnd - runStart);
        }
        if (head.framing == RequestHead.Framing.CHUNKED) {
            out.writeBytes(CHUNKED);
        }
        String host = head.host;
        line(out, X_FORWARDED_FOR, trustedClient && head.xForwardedFor != null && !head.xForwardedFor.isBlank()
                ? head.xForwardedFor + ", " + clientText : clientText);
        if (!trustedClient || head.xForwardedProto == null) {
            line(out, X_FORWARDED_PROTO, proto);
        }
        if (host != null && (!trustedClient || head.xForwardedHost == null)) {
            line(out, X_FORWARDED_HOST, host);
        }
        String element = forwardedElement(client, clientText, proto, host);
        line(out, FORWARDED, trustedClient && head.forwarded != null && !head.forwarded.isBlank()
                ? head.forwarded + ", " + element : element);
        if (upgrade != null) {
            line(out, UPGRADE, upgrade);
            out.writeBytes(CONNECTION_UPGRADE);
        }
        out.writeShort(CRLF);
        return out;
    }

    /**
     * The head to write for one attempt: the prepared head as it is, or with the failover header when the
     * attempt moved the request off its route, so that a client's own header never reaches a worker.
     *
     * @param prepared       what {@link #toBackend} wrote (not consumed: retries use it again)
     * @param movedFromRoute the route the request asked for when it goes to another worker, else null
     */
    ByteBuf forAttempt(ByteBufAllocator alloc, ByteBuf prepared, String movedFromRoute) {
        if (movedFromRoute == null) {
            return prepared.retainedDuplicate();
        }
        ByteBuf failover = alloc.buffer(failoverHeader.length() + movedFromRoute.length() + 6);
        failover.writeCharSequence(failoverHeader, StandardCharsets.ISO_8859_1);
        failover.writeByte(':').writeByte(' ');
        failover.writeCharSequence(movedFromRoute, StandardCharsets.ISO_8859_1);
        failover.writeShort(CRLF).writeShort(CRLF);
        return alloc.compositeBuffer(2).addComponents(true,
                prepared.retainedSlice(prepared.readerIndex(), prepared.readableBytes() - 2), failover);
    }

    /**
     * Whether a client's header line goes to an AJP13 worker as a header: hop-by-hop lines go, as in HTTP, and
     * so does Expect (the balancer answers 100 Continue itself: AJP has no interim responses); the client's
     * address travels in AJP's own fields, so forwarding headers are passed on only from a trusted proxy (as
     * the chain it is), never made up.
     */
    boolean keptForAjp(RequestHead head, int line, ByteBuf src, boolean trustedClient) {
        return switch (head.kind(line)) {
            case RequestHead.CONNECTION, RequestHead.KEEP_ALIVE, RequestHead.PROXY_CONNECTION, RequestHead.TE,
                 RequestHead.TRAILER, RequestHead.UPGRADE, RequestHead.TRANSFER_ENCODING, RequestHead.EXPECT -> false;
            case RequestHead.X_FORWARDED_FOR, RequestHead.FORWARDED, RequestHead.X_FORWARDED_PROTO,
                 RequestHead.X_FORWARDED_HOST -> trustedClient && !namedByConnection(head, line, src);
            case RequestHead.CONTENT_LENGTH -> true;
            default -> !isFailover(head, line, src) && !namedByConnection(head, line, src);
        };
    }

    boolean trusts(InetAddress client) {
        return trusted.trusts(client);
    }

    String failoverHeader() {
        return failoverHeader;
    }

    /** Whether a client's header line stays out of the worker's head (replaced or hop-by-hop). */
    private boolean dropped(RequestHead head, int line, ByteBuf src, boolean trustedClient) {
        return switch (head.kind(line)) {
            case RequestHead.CONNECTION, RequestHead.KEEP_ALIVE, RequestHead.PROXY_CONNECTION, RequestHead.TE,
                 RequestHead.TRAILER, RequestHead.UPGRADE, RequestHead.TRANSFER_ENCODING,
                 RequestHead.X_FORWARDED_FOR, RequestHead.FORWARDED -> true; // the last two come back combined
            case RequestHead.X_FORWARDED_PROTO, RequestHead.X_FORWARDED_HOST -> !trustedClient || namedByConnection(head, line, src);
            // HTTP/1.0 has no 100 Continue (RFC 9110 §10.1.1), and the worker is spoken to in HTTP/1.1
            case RequestHead.EXPECT -> head.http10 || namedByConnection(head, line, src);
            // the body's framing stays whatever Connection lists: a worker must never see another length
            case RequestHead.CONTENT_LENGTH -> false;
            default -> isFailover(head, line, src) || namedByConnection(head, line, src);
        };
    }

    private boolean isFailover(RequestHead head, int line, ByteBuf src) {
        return HeadBytes.is(src, src.readerIndex() + head.lineStart(line), head.colon(line) - head.lineStart(line),
                failoverLower);
    }

    private static boolean namedByConnection(RequestHead head, int line, ByteBuf src) {
        if (head.connectionNames == null) {
            return false;
        }
        int at = src.readerIndex() + head.lineStart(line);
        int len = head.colon(line) - head.lineStart(line);
        for (String name : head.connectionNames) {
            if (name.length() == len && HeadBytes.is(src, at, len, ascii(name))) {
                return true;
            }
        }
        return false;
    }

    private static void line(ByteBuf out, byte[] name, String value) {
        out.writeBytes(name);
        out.writeCharSequence(value, StandardCharsets.ISO_8859_1);
        out.writeShort(CRLF);
    }

    /** RFC 7239: IPv6 addresses are bracketed and quoted; a host that is not a token (a port's ':') is quoted. */
    private static String forwardedElement(InetAddress client, String clientText, String proto, String host) {
        StringBuilder sb = new StringBuilder(64).append("for=");
        if (client instanceof Inet6Address) {
            sb.append("\"[").append(clientText).append("]\"");
        } else {
            sb.append(clientText);
        }
        sb.append(";proto=").append(proto);
        if (host != null && !host.isEmpty()) {
            sb.append(";host=").append(isToken(host) ? host : "\"" + host.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }
        return sb.toString();
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x7f || !(Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
