package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The worker's request head as {@link ProxyHeaders} writes it from a client's head, checked as text. */
class ProxyHeadersTest {

    private final ProxyHeaders headers = new ProxyHeaders(TrustedProxies.parse(List.of("10.0.0.0/8", "::1")),
            "X-JvmRoute-Failover");

    /** Parses a client head as the front pipeline would. */
    private static RequestHead parse(String head) {
        EmbeddedChannel ch = new EmbeddedChannel(new RequestParser(8192, 16384));
        ch.writeInbound(Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1));
        RequestHead h = ch.readInbound();
        Object end = ch.readInbound();
        ReferenceCountUtil.release(end);
        ch.finishAndReleaseAll();
        return h;
    }

    private static String request(String extraHeaders) {
        return "POST / HTTP/1.1\r\nHost: shop.example:8443\r\n" + extraHeaders + "Content-Length: 0\r\n\r\n";
    }

    /** The worker's head as text, its header lines as they would be looked up (name lower-cased). */
    private String toBackend(String clientHead, String client, boolean tls, String moved) throws Exception {
        RequestHead h = parse(clientHead);
        ByteBuf prepared = headers.toBackend(ByteBufAllocator.DEFAULT, h, InetAddress.getByName(client), 
                InetAddress.getByName(client).getHostAddress(), tls, h.upgrade);
        h.release();
        ByteBuf attempt = headers.forAttempt(ByteBufAllocator.DEFAULT, prepared, moved);
        String text = attempt.toString(StandardCharsets.ISO_8859_1);
        attempt.release();
        assertThat(prepared.release()).isTrue();
        return text;
    }

    private static List<String> all(String head, String name) {
        List<String> values = new ArrayList<>();
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                values.add(line.substring(colon + 1).trim());
            }
        }
        return values;
    }

    private static String get(String head, String name) {
        List<String> values = all(head, name);
        return values.isEmpty() ? null : values.get(0);
    }

    @Test
    void hopByHopHeadersAndThoseNamedInConnectionAreRemovedButChunkingKept() throws Exception {
        String out = toBackend("POST / HTTP/1.1\r\nHost: shop.example:8443\r\nConnection: keep-alive, X-Private\r\n"
                + "X-Private: secret\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nUpgrade: h2c\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n", "192.0.2.1", false, null);

        assertThat(all(out, "Connection")).isEmpty();
        assertThat(all(out, "X-Private")).isEmpty();
        assertThat(all(out, "Keep-Alive")).isEmpty();
        assertThat(all(out, "TE")).isEmpty();
        assertThat(all(out, "Upgrade")).isEmpty();
        assertThat(all(out, "Transfer-Encoding")).containsExactly("chunked");
    }

    @Test
    void theRequestLineAndOtherLinesPassByteForByteAsHttp11() throws Exception {
        String out = toBackend("GET /a?b=c%20d HTTP/1.0\r\nHost: x\r\nX-Mixed-Case:  Value\t\r\nCookie: a=b\r\n"
                + "Expect: 100-continue\r\n\r\n", "192.0.2.1", false, null);

        assertThat(out).startsWith("GET /a?b=c%20d HTTP/1.1\r\nHost: x\r\nX-Mixed-Case:  Value\t\r\nCookie: a=b\r\n")
                .endsWith("\r\n\r\n");
        assertThat(all(out, "Expect")).as("HTTP/1.0 has no 100 Continue").isEmpty();
    }

    @Test
    void anUntrustedClientsForwardingHeadersAreReplaced() throws Exception {
        String out = toBackend(request("X-Forwarded-For: 1.2.3.4\r\nX-Forwarded-Proto: https\r\nForwarded: for=1.2.3.4\r\n"),
                "192.0.2.1", false, null);

        assertThat(all(out, "X-Forwarded-For")).containsExactly("192.0.2.1");
        assertThat(all(out, "X-Forwarded-Proto")).containsExactly("http");
        assertThat(all(out, "X-Forwarded-Host")).containsExactly("shop.example:8443");
        assertThat(all(out, "Forwarded")).containsExactly("for=192.0.2.1;proto=http;host=\"shop.example:8443\"");
    }

    @Test
    void anUntrustedClientWithoutHostGetsNoForwardedHost() throws Exception {
        String out = toBackend("GET / HTTP/1.0\r\nX-Forwarded-Host: forged\r\n\r\n", "192.0.2.1", false, null);

        assertThat(all(out, "X-Forwarded-Host")).isEmpty();
        assertThat(get(out, "Forwarded")).isEqualTo("for=192.0.2.1;proto=http");
    }

    @Test
    void aTrustedProxysForwardingHeadersAreKeptAndExtended() throws Exception {
        String out = toBackend(request("X-Forwarded-For: 1.2.3.4\r\nX-Forwarded-Proto: https\r\n"
                + "Forwarded: for=1.2.3.4;proto=https\r\n"), "::1", true, null);

        assertThat(all(out, "X-Forwarded-For")).containsExactly("1.2.3.4, 0:0:0:0:0:0:0:1");
        assertThat(all(out, "X-Forwarded-Proto")).containsExactly("https");
        assertThat(all(out, "Forwarded")).containsExactly(
                "for=1.2.3.4;proto=https, for=\"[0:0:0:0:0:0:0:1]\";proto=https;host=\"shop.example:8443\"");
    }

    @Test
    void theFailoverHeaderIsOnlyEverTheBalancers() throws Exception {
        String forged = request("X-JvmRoute-Failover: forged\r\nx-jvmroute-failover: forged too\r\n");

        assertThat(all(toBackend(forged, "192.0.2.1", false, null), "X-JvmRoute-Failover")).isEmpty();
        String moved = toBackend(forged, "192.0.2.1", false, "jvm1");
        assertThat(all(moved, "X-JvmRoute-Failover")).containsExactly("jvm1");
        assertThat(moved).endsWith("X-JvmRoute-Failover: jvm1\r\n\r\n");
    }

    @Test
    void anUpgradeIsAskedOfTheWorkerWithItsOwnConnectionLine() throws Exception {
        String out = toBackend("GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Key: k\r\n\r\n", "192.0.2.1", false, null);

        assertThat(all(out, "Upgrade")).containsExactly("websocket");
        assertThat(all(out, "Connection")).containsExactly("upgrade");
        assertThat(all(out, "Sec-WebSocket-Key")).containsExactly("k");
    }

    @Test
    void trustedProxiesMatchAddressesAndBlocksOnly() throws Exception {
        TrustedProxies t = TrustedProxies.parse(List.of("10.1.0.0/16", "192.0.2.7"));

        assertThat(t.trusts(InetAddress.getByName("10.1.200.3"))).isTrue();
        assertThat(t.trusts(InetAddress.getByName("10.2.0.1"))).isFalse();
        assertThat(t.trusts(InetAddress.getByName("192.0.2.7"))).isTrue();
        assertThat(t.trusts(InetAddress.getByName("192.0.2.8"))).isFalse();
    }
}
