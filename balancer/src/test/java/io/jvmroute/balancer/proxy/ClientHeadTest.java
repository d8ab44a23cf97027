package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The worker's head as the client gets it: hop-by-hop lines gone, the balancer's lines added, the rest byte for byte. */
class ClientHeadTest {

    private static String toClient(String workerHead, boolean http10, String connection, boolean chunked, String upgrade)
            throws MalformedResponse {
        ByteBuf in = Unpooled.copiedBuffer(workerHead, StandardCharsets.ISO_8859_1);
        HeadParser parser = new HeadParser(4096);
        int length = parser.feed(in);
        assertThat(length).isEqualTo(workerHead.length());
        ResponseHead head = parser.build(in, length, false, upgrade != null);
        ByteBuf out = ClientHead.write(ByteBufAllocator.DEFAULT, head, http10, connection, chunked, upgrade);
        try {
            return out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            out.release();
            head.release();
            in.release();
            assertThat(in.refCnt()).isZero();
        }
    }

    @Test
    void aHeadWithNothingToChangePassesAsItCame() throws Exception {
        String head = "HTTP/1.1 200 \r\nSet-Cookie:  JSESSIONID=A1.jvm1;Path=/; HttpOnly\r\nContent-Length: 4\r\n\r\n";

        assertThat(toClient(head, false, null, false, null)).isEqualTo(head);
    }

    @Test
    void hopByHopLinesAndThoseNamedInConnectionGoTheRestStaysByteForByte() throws Exception {
        String head = "HTTP/1.1 200 OK\r\nConnection: close, X-Private\r\nX-Private: secret\r\nKeep-Alive: timeout=20\r\n"
                + "Proxy-Connection: keep-alive\r\nTE: trailers\r\nTrailer: X-Sum\r\nUpgrade: h2c\r\n"
                + "set-cookie: a=b ; Path=/\r\nTransfer-Encoding: chunked\r\nX-Private-Not: kept\r\n\r\n";

        assertThat(toClient(head, false, null, false, null)).isEqualTo("HTTP/1.1 200 OK\r\n"
                + "set-cookie: a=b ; Path=/\r\nTransfer-Encoding: chunked\r\nX-Private-Not: kept\r\n\r\n");
    }

    @Test
    void theClientsConnectionAndVersionAreTheBalancers() throws Exception {
        String head = "HTTP/1.0 200 OK\r\nContent-Length: 4\r\n\r\n";

        assertThat(toClient(head, false, "close", false, null))
                .isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 4\r\nconnection: close\r\n\r\n");
        assertThat(toClient("HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\n", true, "keep-alive", false, null))
                .isEqualTo("HTTP/1.0 404 Not Found\r\nContent-Length: 4\r\nconnection: keep-alive\r\n\r\n");
    }

    @Test
    void aChangeOfFramingReplacesTransferEncoding() throws Exception {
        assertThat(toClient("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n", true, "close", false, null))
                .isEqualTo("HTTP/1.0 200 OK\r\nX-A: 1\r\nconnection: close\r\n\r\n");
        assertThat(toClient("HTTP/1.0 200 OK\r\nX-A: 1\r\n\r\n", false, null, true, null))
                .isEqualTo("HTTP/1.1 200 OK\r\nX-A: 1\r\ntransfer-encoding: chunked\r\n\r\n");
    }

    @Test
    void aSwitchKeepsItsUpgradeAndBareLineFeedsBecomeCrlf() throws Exception {
        assertThat(toClient("HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection: Upgrade\n\n", false,
                "upgrade", false, "websocket"))
                .isEqualTo("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n");
    }
}
