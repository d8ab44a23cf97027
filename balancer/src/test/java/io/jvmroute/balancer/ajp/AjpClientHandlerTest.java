package io.jvmroute.balancer.ajp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The AJP side of a worker connection against packets as Tomcat writes them (EmbeddedChannel, no sockets). */
class AjpClientHandlerTest {

    private final List<Object> events = new ArrayList<>();
    private final StringBuilder http = new StringBuilder();
    private final EmbeddedChannel ch = new EmbeddedChannel(
            new AjpClientHandler("jvm1", true, 8192, 0, 1000),
            new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf b = (ByteBuf) msg;
                    String text = b.toString(StandardCharsets.ISO_8859_1);
                    http.append(text);
                    events.add(text);
                    b.release();
                }

                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    events.add(evt);
                }
            });

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
    }

    static AjpRequestStart start(String method, long contentLength) throws Exception {
        AjpForwardRequest r = new AjpForwardRequest.Builder(ByteBufAllocator.DEFAULT)
                .request(method, false, "/app/x", "10.0.0.9", "10.0.0.9", "example.org", 80, false)
                .body(contentLength).build();
        try {
            return r.packet(ByteBufAllocator.DEFAULT, "s3cret", "jvm1", "ACT", "X-JvmRoute-Failover", null, 8192);
        } finally {
            r.release();
        }
    }

    private void receive(ContainerPackets p) {
        ch.writeInbound(Unpooled.wrappedBuffer(p.bytes()));
    }

    private List<String> sentPackets() {
        List<String> out = new ArrayList<>();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            out.add(io.netty.buffer.ByteBufUtil.hexDump(b));
            b.release();
        }
        return out;
    }

    @Test
    void aResponseWithoutLengthBecomesAChunkedHttpResponse() throws Exception {
        ch.writeOutbound(start("GET", 0));
        receive(new ContainerPackets().headers(200, "200", "Content-Type", "text/plain", "X-Node", "jvm1")
                .body("hello").body("").body(" world").end(true));

        assertThat(http.toString()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Node: jvm1\r\n"
                + "transfer-encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        assertThat(events).doesNotContain(AjpClientHandler.NOT_REUSABLE);
    }

    @Test
    void theBytesThatCompleteASizedResponseWaitForEndResponse() throws Exception {
        ch.writeOutbound(start("GET", 0));
        receive(new ContainerPackets().headers(200, "OK", "Content-Length", "5").body("hel").body("lo"));

        assertThat(http.toString()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel");
        receive(new ContainerPackets().end(true));
        assertThat(http.toString()).endsWith("\r\n\r\nhello");
    }

    @Test
    void endResponseWithoutReuseIsAnnouncedBeforeTheEnd() throws Exception {
        ch.writeOutbound(start("GET", 0));
        receive(new ContainerPackets().headers(403, "403", "Content-Length", "0").end(false));

        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isSameAs(AjpClientHandler.NOT_REUSABLE);
        assertThat((String) events.get(1)).startsWith("HTTP/1.1 403 Forbidden\r\n");
    }

    @Test
    void aHeadResponseHasNoBodyAndNoFraming() throws Exception {
        ch.writeOutbound(start("HEAD", 0));
        receive(new ContainerPackets().headers(200, "200", "Content-Type", "text/html").end(true));

        assertThat(http.toString()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n");
    }

    @Test
    void bodyPacketsGoOnlyWhenTheContainerAsks() throws Exception {
        ch.writeOutbound(start("POST", 10));
        sentPackets();
        ch.writeOutbound(Unpooled.copiedBuffer("01234", StandardCharsets.US_ASCII));
        assertThat(sentPackets()).containsExactly("123400070005" + "3031323334"); // the first one, unasked

        ch.writeOutbound(Unpooled.copiedBuffer("56789", StandardCharsets.US_ASCII), AjpClientHandler.BODY_END);
        assertThat(sentPackets()).isEmpty();
        receive(new ContainerPackets().getBody(8186));
        assertThat(sentPackets()).containsExactly("123400070005" + "3536373839");
        receive(new ContainerPackets().getBody(8186));
        assertThat(sentPackets()).containsExactly("12340000"); // the body has ended
    }

    @Test
    void aBodyOfUnknownLengthWaitsForTheFirstAsk() throws Exception {
        ch.writeOutbound(start("POST", -1));
        sentPackets();
        ch.writeOutbound(Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII), AjpClientHandler.BODY_END);
        assertThat(sentPackets()).isEmpty();

        receive(new ContainerPackets().getBody(2));
        assertThat(sentPackets()).containsExactly("123400040002" + "6162");
    }

    @Test
    void headersThatWouldSplitTheHttpResponseAreRefused() throws Exception {
        ch.writeOutbound(start("GET", 0));

        assertThatThrownBy(() -> receive(new ContainerPackets().headers(200, "OK", "X-A", "1\r\nSet-Cookie: evil")))
                .isInstanceOf(AjpProtocolException.class).hasMessageContaining("control character");
        assertThat(http.toString()).isEmpty();
    }

    @Test
    void aBodyBeyondItsContentLengthIsRefused() throws Exception {
        ch.writeOutbound(start("GET", 0));

        assertThatThrownBy(() -> receive(new ContainerPackets().headers(200, "OK", "Content-Length", "2").body("abc")))
                .isInstanceOf(AjpProtocolException.class).hasMessageContaining("Content-Length");
    }

    @Test
    void aPacketLargerThanTheLimitIsRefusedBeforeItArrives() {
        byte[] head = {'A', 'B', (byte) 0xFF, (byte) 0xF0};

        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(head)))
                .isInstanceOf(AjpProtocolException.class).hasMessageContaining("more than max_packet_size 8192");
    }

    @Test
    void messagesOutsideARequestAreRefused() {
        assertThatThrownBy(() -> receive(new ContainerPackets().headers(200, "OK")))
                .isInstanceOf(AjpProtocolException.class).hasMessageContaining("outside a request");
    }

    @Test
    void theForwardRequestCarriesTheAttemptsSecretRouteAndActivation() throws Exception {
        AjpForwardRequest r = new AjpForwardRequest.Builder(ByteBufAllocator.DEFAULT)
                .request("PROPFIND", true, "/a", "1.2.3.4", "1.2.3.4", "h", 8080, true).queryString("q=1").build();
        AjpRequestStart start = r.packet(ByteBufAllocator.DEFAULT, "pw", "jvm2", "DIS", "X-JvmRoute-Failover", "jvm1", 8192);
        String text = start.content().toString(StandardCharsets.ISO_8859_1);

        assertThat(start.content().getByte(4)).isEqualTo(AjpProtocol.FORWARD_REQUEST);
        assertThat(start.content().getByte(5)).isEqualTo((byte) 8); // PROPFIND's code
        assertThat(text).contains("HTTP/1.0", "X-JvmRoute-Failover", "jvm1", "q=1", "pw", "jvm2", "JK_LB_ACTIVATION", "DIS");
        assertThatThrownBy(() -> r.packet(ByteBufAllocator.DEFAULT, "pw", "jvm2", "ACT", "F", null, 40))
                .isInstanceOf(AjpForwardRequest.TooLargeException.class).hasMessageContaining("max_packet_size 40");
        start.release();
        r.release();
    }
}
