package io.jvmroute.balancer.proxy;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyHeadersTest {

    private final ProxyHeaders headers = new ProxyHeaders(TrustedProxies.parse(List.of("10.0.0.0/8", "::1")),
            "X-JvmRoute-Failover");

    private static HttpRequest request() {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");
        r.headers().set("Host", "shop.example:8443");
        return r;
    }

    @Test
    void hopByHopHeadersAndThoseNamedInConnectionAreRemovedButChunkingKept() throws Exception {
        HttpRequest r = request();
        r.headers().set("Connection", "keep-alive, X-Private");
        r.headers().set("X-Private", "secret");
        r.headers().set("Keep-Alive", "timeout=5");
        r.headers().set("TE", "trailers");
        r.headers().set("Upgrade", "h2c");
        r.headers().set("Transfer-Encoding", "chunked");

        headers.toBackend(r, InetAddress.getByName("192.0.2.1"), false);

        assertThat(r.headers().names()).doesNotContain("Connection", "X-Private", "Keep-Alive", "TE", "Upgrade");
        assertThat(r.headers().get("Transfer-Encoding")).isEqualTo("chunked");
    }

    @Test
    void anUntrustedClientsForwardingHeadersAreReplaced() throws Exception {
        HttpRequest r = request();
        r.headers().set("X-Forwarded-For", "1.2.3.4");
        r.headers().set("X-Forwarded-Proto", "https");
        r.headers().set("Forwarded", "for=1.2.3.4");

        headers.toBackend(r, InetAddress.getByName("192.0.2.1"), false);

        assertThat(r.headers().get("X-Forwarded-For")).isEqualTo("192.0.2.1");
        assertThat(r.headers().get("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(r.headers().get("X-Forwarded-Host")).isEqualTo("shop.example:8443");
        assertThat(r.headers().get("Forwarded")).isEqualTo("for=192.0.2.1;proto=http;host=\"shop.example:8443\"");
    }

    @Test
    void aTrustedProxysForwardingHeadersAreKeptAndExtended() throws Exception {
        HttpRequest r = request();
        r.headers().set("X-Forwarded-For", "1.2.3.4");
        r.headers().set("X-Forwarded-Proto", "https");
        r.headers().set("Forwarded", "for=1.2.3.4;proto=https");

        headers.toBackend(r, InetAddress.getByName("::1"), true);

        assertThat(r.headers().get("X-Forwarded-For")).isEqualTo("1.2.3.4, 0:0:0:0:0:0:0:1");
        assertThat(r.headers().get("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(r.headers().get("Forwarded")).isEqualTo(
                "for=1.2.3.4;proto=https, for=\"[0:0:0:0:0:0:0:1]\";proto=https;host=\"shop.example:8443\"");
    }

    @Test
    void theFailoverHeaderIsOnlyEverTheBalancers() {
        HttpRequest r = request();
        r.headers().add("X-JvmRoute-Failover", "forged");

        headers.failover(r, null);
        assertThat(r.headers().contains("X-JvmRoute-Failover")).isFalse();

        r.headers().add("X-JvmRoute-Failover", "forged");
        headers.failover(r, "jvm1");
        assertThat(r.headers().getAll("X-JvmRoute-Failover")).containsExactly("jvm1");
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
