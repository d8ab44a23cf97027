package io.jvmroute.balancer;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** WebSocket and other Upgrade requests reach their sticky worker and become a two-way tunnel. */
class UpgradeTunnelTest {

    private final Fixture f = new Fixture();

    @AfterEach
    void stop() {
        f.close();
    }

    /**
     * Answers 101 and then echoes every byte. Its greeting ({@code name>}) is flushed together with the
     * 101, so it reaches the balancer in the same packet: the case where the HTTP decoder still holds
     * tunnel bytes when the tunnel is set up.
     */
    private static void upgradeToEcho(TestBackend self, ChannelHandlerContext ctx, FullHttpRequest request) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        response.headers().set("Upgrade", request.headers().get("Upgrade"));
        response.headers().set("Connection", "Upgrade");
        ctx.write(response); // encoded now, flushed with the greeting
        ctx.pipeline().remove(HttpObjectAggregator.class);
        ctx.pipeline().remove(HttpServerCodec.class);
        ctx.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                c.writeAndFlush(msg);
            }
        });
        ctx.pipeline().remove(ctx.handler());
        ctx.writeAndFlush(ctx.alloc().buffer().writeBytes((self.name + ">").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anUpgradeGoesToTheStickyWorkerAndBytesFlowBothWays() throws Exception {
        f.backends(2).start("");
        f.backends.forEach(b -> b.respond(UpgradeTunnelTest::upgradeToEcho));

        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", f.balancer.frontAddress().getPort()), 5000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(("GET /chat HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Version: 13\r\nCookie: JSESSIONID=ABC.jvm2\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));

            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101 ").containsIgnoringCase("upgrade: websocket")
                    .containsIgnoringCase("connection: upgrade");
            assertThat(readExactly(in, 5)).isEqualTo("jvm2>");

            out.write("ping".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(readExactly(in, 4)).isEqualTo("ping");
            out.write("pong!".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(readExactly(in, 5)).isEqualTo("pong!");
        }
        assertThat(f.backend("jvm2").received.get(0).headers().get("Upgrade")).isEqualTo("websocket");
        assertThat(f.backend("jvm1").received).isEmpty();
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed in the response head: " + sb);
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    private static String readExactly(InputStream in, int n) throws IOException {
        return new String(in.readNBytes(n), StandardCharsets.ISO_8859_1);
    }
}
