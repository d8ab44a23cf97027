package io.jvmroute.balancer.proxy;

import io.jvmroute.balancer.ajp.AjpForwardRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Writes a client's request head as AJP13's FORWARD_REQUEST, once per request ({@link AjpForwardRequest}; each
 * attempt adds its worker's secret, route and activation): the request line and the connection's facts in
 * AJP's own fields, the query string and the front connection's TLS facts as attributes (as mod_jk passes
 * them), and the header lines {@link ProxyHeaders#keptForAjp} keeps, byte for byte.
 */
final class AjpHeads {

    private AjpHeads() {
    }

    /**
     * @param client the client's address (the connection's)
     * @param local  the front listener's address the client connected to
     * @param tls    the front connection's TLS session, or null
     */
    static AjpForwardRequest toAjp(ByteBufAllocator alloc, RequestHead head, ProxyHeaders rules, InetSocketAddress client,
                                   String clientText, InetSocketAddress local, SSLSession tls) {
        ByteBuf src = head.content();
        int base = src.readerIndex();
        String uri = head.uri;
        int q = uri.indexOf('?');
        String serverName = serverName(head.host, local);
        AjpForwardRequest.Builder b = new AjpForwardRequest.Builder(alloc);
        try {
            b.request(head.method, head.http10, q < 0 ? uri : uri.substring(0, q), clientText, clientText, serverName,
                    local.getPort(), tls != null);
            boolean trusted = rules.trusts(client.getAddress());
            for (int i = 0; i < head.lineCount; i++) {
                if (rules.keptForAjp(head, i, src, trusted)) {
                    int value = valueStart(src, base + head.colon(i) + 1, base + head.lineEnd(i));
                    int valueEnd = valueEnd(src, value, base + head.lineEnd(i));
                    b.header(src, base + head.lineStart(i), head.colon(i) - head.lineStart(i), value, valueEnd - value);
                }
            }
            b.body(switch (head.framing) {
                case NONE -> 0;
                case LENGTH -> head.contentLength;
                case CHUNKED -> -1;
            });
            if (q >= 0) {
                b.queryString(uri.substring(q + 1));
            }
            b.attribute("AJP_REMOTE_PORT", Integer.toString(client.getPort()));
            b.attribute("AJP_LOCAL_ADDR", local.getAddress().getHostAddress());
            if (tls != null) {
                b.tls(tls.getCipherSuite(), sessionId(tls), keySize(tls.getCipherSuite()), certificates(tls), tls.getProtocol());
            }
            return b.build();
        } catch (RuntimeException e) {
            b.release();
            throw e;
        }
    }

    /** The Host header's host (its port and IPv6 brackets off), else the listener's address, as mod_jk's server name. */
    private static String serverName(String host, InetSocketAddress local) {
        if (host == null || host.isBlank()) {
            return local.getAddress().getHostAddress();
        }
        String h = host.trim();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 ? h.substring(1, end) : h;
        }
        int colon = h.indexOf(':');
        return colon >= 0 ? h.substring(0, colon) : h;
    }

    private static int valueStart(ByteBuf src, int from, int end) {
        while (from < end && (src.getByte(from) == ' ' || src.getByte(from) == '\t')) {
            from++;
        }
        return from;
    }

    private static int valueEnd(ByteBuf src, int start, int end) {
        while (end > start && (src.getByte(end - 1) == ' ' || src.getByte(end - 1) == '\t' || src.getByte(end - 1) == '\r')) {
            end--;
        }
        return end;
    }

    private static String sessionId(SSLSession tls) {
        byte[] id = tls.getId();
        return id == null || id.length == 0 ? null : HexFormat.of().formatHex(id);
    }

    /** The cipher's key size, from its name, as Tomcat's own table gives it (mod_jk passes Apache's). */
    static int keySize(String cipher) {
        if (cipher == null) {
            return 0;
        }
        if (cipher.contains("_256") || cipher.contains("CHACHA20")) {
            return 256;
        }
        if (cipher.contains("_128")) {
            return 128;
        }
        if (cipher.contains("3DES")) {
            return 168;
        }
        return 0;
    }

    /** The client's certificate chain as PEM (Tomcat reads every certificate in it), or null without one. */
    private static String certificates(SSLSession tls) {
        Certificate[] chain;
        try {
            chain = tls.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return null; // no client certificate: the usual case
        }
        StringBuilder pem = new StringBuilder();
        Base64.Encoder encoder = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.ISO_8859_1));
        for (Certificate c : chain) {
            try {
                pem.append("-----BEGIN CERTIFICATE-----\n").append(encoder.encodeToString(c.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (CertificateEncodingException e) {
                return null;
            }
        }
        return pem.toString();
    }
}
