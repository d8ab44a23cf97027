package io.jvmroute.balancer.proxy;

import io.jvmroute.balancer.Transport;
import io.jvmroute.balancer.routing.Router;
import io.jvmroute.balancer.routing.WorkerState;
import io.jvmroute.config.Activation;
import io.jvmroute.config.BalancerSettings;
import io.jvmroute.config.HostPort;
import io.jvmroute.config.LbDef;
import io.jvmroute.config.WorkerDef;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The client-facing answers the front handler gives by itself, without any worker, in an EmbeddedChannel. */
class FrontendHandlerTest {

    private static EmbeddedChannel channel(Activation activation) {
        BalancerSettings.Builder b = new BalancerSettings.Builder();
        b.set("max_initial_line", "256");
        b.set("max_header_size", "1024");
        BalancerSettings settings = b.build();
        WorkerState worker = new WorkerState(WorkerDef.http("jvm1", new HostPort("127.0.0.1", 1)).withActivation(activation));
        ProxyRuntime runtime = new ProxyRuntime(new Router(LbDef.defaults("lb", List.of("jvm1")), List.of(worker)),
                settings, new ProxyHeaders(TrustedProxies.parse(List.of()), settings.failoverHeader()),
                new PoolRegistry(Transport.nio(), 1, settings), false);
        return new EmbeddedChannel(new RequestParser(settings.maxInitialLine(), settings.maxHeaderSize()),
                new FrontendHandler(() -> runtime));
    }

    private static String answer(EmbeddedChannel ch, String request) {
        return answer(ch, Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
    }

    private static String answer(EmbeddedChannel ch, ByteBuf request) {
        ch.writeInbound(request);
        StringBuilder out = new StringBuilder();
        for (ByteBuf buf; (buf = ch.readOutbound()) != null; ) {
            out.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return out.toString();
    }

    @Test
    void aMalformedRequestLineGets400AndTheConnectionCloses() {
        EmbeddedChannel ch = channel(Activation.ACTIVE);

        String answer = answer(ch, "GET /a b c d\u0001\r\nHost: x\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("connection: close");
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void aTooLongRequestLineGets414WithAClearBody() {
        EmbeddedChannel ch = channel(Activation.ACTIVE);

        String answer = answer(ch, "GET /" + "a".repeat(400) + " HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 414 ").contains("balancer.max_initial_line");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void tooLargeHeadersGet431WithAClearBody() {
        EmbeddedChannel ch = channel(Activation.ACTIVE);

        String answer = answer(ch, "GET / HTTP/1.1\r\nHost: x\r\nCookie: " + "c".repeat(2000) + "\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 431 ").contains("balancer.max_header_size");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void withoutAUsableWorkerTheAnswerIs503AndTheConnectionStaysUsable() {
        EmbeddedChannel ch = channel(Activation.STOPPED);

        String first = answer(ch, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        String second = answer(ch, "GET /again HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(first).startsWith("HTTP/1.1 503 ").contains("no application server is available");
        assertThat(second).startsWith("HTTP/1.1 503 ");
        assertThat(ch.isOpen()).isTrue();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void theUnreadBodyOfARefusedRequestIsDroppedAndTheConnectionServesTheNextOne() {
        EmbeddedChannel ch = channel(Activation.STOPPED);

        String first = answer(ch, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\npart");
        String second = answer(ch, "ial!!!GET /next HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(first).startsWith("HTTP/1.1 503 ");
        assertThat(second).startsWith("HTTP/1.1 503 ");
        assertThat(ch.isOpen()).isTrue();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void aHugeBodyAfterARefusalIsNotReadForNothing() {
        EmbeddedChannel ch = channel(Activation.STOPPED);

        String refusal = answer(ch, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n");
        answer(ch, Unpooled.wrappedBuffer(new byte[300 * 1024]));

        assertThat(refusal).startsWith("HTTP/1.1 503 ");
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        EmbeddedChannel ch = channel(Activation.STOPPED);

        String answer = answer(ch, "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(answer.split("HTTP/1.1 503 ", -1)).hasSize(3);
        assertFalse(ch.finishAndReleaseAll());
    }
}
