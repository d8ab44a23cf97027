package io.jvmroute.balancer.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.AsciiString;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites a client request's headers for the workers, in place (responses are edited as bytes by
 * {@link ClientHead}, with the same hop-by-hop rules):
 * <ul>
 *   <li>hop-by-hop headers (RFC 9110 §7.6.1: Connection and those it names, Keep-Alive, Proxy-Connection,
 *       TE, Trailer, Transfer-Encoding, Upgrade) are removed; chunked framing is restored where the body
 *       needs it, because the request codecs frame bodies per connection;</li>
 *   <li>requests get {@code X-Forwarded-For/-Proto/-Host} and {@code Forwarded}; incoming ones are kept
 *       (and appended to) only from a trusted proxy, else replaced;</li>
 *   <li>the failover header is stripped from every client request and set only by the balancer.</li>
 * </ul>
 */
public final class ProxyHeaders {

    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final AsciiString FORWARDED = AsciiString.cached("forwarded");
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");

    private final TrustedProxies trusted;
    private final AsciiString failoverHeader;

    public ProxyHeaders(TrustedProxies trusted, String failoverHeader) {
        this.trusted = trusted;
        this.failoverHeader = AsciiString.of(failoverHeader);
    }

    /** Prepares a client request for the workers, once per request (retries reuse it). */
    public void toBackend(HttpRequest request, InetAddress client, boolean tls) {
        toBackend(request, client, client.getHostAddress(), tls);
    }

    /** As {@link #toBackend(HttpRequest, InetAddress, boolean)}, with the client's address already as text. */
    public void toBackend(HttpRequest request, InetAddress client, String clientText, boolean tls) {
        HttpHeaders h = request.headers();
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        removeHopByHop(h);
        if (chunked) {
            HttpUtil.setTransferEncodingChunked(request, true);
        }
        String proto = tls ? "https" : "http";
        String host = h.get(HttpHeaderNames.HOST);
        if (trusted.trusts(client)) {
            appendOrSet(h, X_FORWARDED_FOR, clientText, ", ");
            if (!h.contains(X_FORWARDED_PROTO)) {
                h.set(X_FORWARDED_PROTO, proto);
            }
            if (!h.contains(X_FORWARDED_HOST) && host != null) {
                h.set(X_FORWARDED_HOST, host);
            }
        } else {
            h.set(X_FORWARDED_FOR, clientText);
            h.set(X_FORWARDED_PROTO, proto);
            h.remove(FORWARDED);
            if (host != null) {
                h.set(X_FORWARDED_HOST, host);
            } else {
                h.remove(X_FORWARDED_HOST);
            }
        }
        appendOrSet(h, FORWARDED, forwardedElement(client, clientText, proto, host), ", ");
        request.setProtocolVersion(io.netty.handler.codec.http.HttpVersion.HTTP_1_1);
        h.remove(HttpHeaderNames.CONNECTION); // HTTP/1.1 to the worker: keep-alive is the default
    }

    /**
     * Sets or clears the failover header for one attempt; called before every attempt, so a client's own
     * header never reaches a worker.
     *
     * @param movedFromRoute the route the request asked for when it goes to another worker, else null
     */
    public void failover(HttpRequest request, String movedFromRoute) {
        if (movedFromRoute == null) {
            request.headers().remove(failoverHeader);
        } else {
            request.headers().set(failoverHeader, movedFromRoute);
        }
    }

    static void removeHopByHop(HttpHeaders h) {
        if (h.contains(HttpHeaderNames.CONNECTION)) { // usually absent: HTTP/1.1 keep-alive is the default
            removeNamedByConnection(h);
        }
        h.remove(HttpHeaderNames.KEEP_ALIVE);
        h.remove(PROXY_CONNECTION);
        h.remove(HttpHeaderNames.TE);
        h.remove(HttpHeaderNames.TRAILER);
        h.remove(HttpHeaderNames.TRANSFER_ENCODING);
        h.remove(HttpHeaderNames.UPGRADE);
    }

    private static void removeNamedByConnection(HttpHeaders h) {
        List<String> named = new ArrayList<>();
        for (String value : h.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : value.split(",")) {
                String t = token.trim();
                if (!t.isEmpty()) {
                    named.add(t);
                }
            }
        }
        for (String name : named) {
            h.remove(name);
        }
        h.remove(HttpHeaderNames.CONNECTION);
    }

    private static void appendOrSet(HttpHeaders h, AsciiString name, String value, String separator) {
        String existing = h.get(name);
        h.set(name, existing == null || existing.isBlank() ? value : existing + separator + value);
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
}
