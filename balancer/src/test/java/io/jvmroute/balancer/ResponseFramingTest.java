package io.jvmroute.balancer;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Worker responses of every framing on their way through the balancer, which passes them on as bytes:
 * what the client receives, and whether its connection stays usable afterwards.
 */
class ResponseFramingTest {

    private static final String CHUNKED_HEAD = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nKeep-Alive: timeout=5\r\n"
            + "Set-Cookie: a=b;  Path=/\r\n\r\n";
    private static final String CHUNKED_BODY = "5;x=y\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 1\r\n\r\n";

    private final Fixture f = new Fixture();

    @AfterEach
    void stop() {
        f.close();
    }

    /** Answers with raw bytes chosen by the path, past the test backend's HTTP encoder. */
    private static void rawAnswers(TestBackend self, ChannelHandlerContext ctx, FullHttpRequest request) {
        String path = request.uri();
        String response = switch (path) {
            case "/chunked" -> CHUNKED_HEAD + CHUNKED_BODY;
            case "/until-close" -> "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end";
            case "/no-body" -> "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"; // to HEAD
            case "/204" -> "HTTP/1.1 204 No Content\r\nContent-Length: 100\r\n\r\n";
            case "/too-long" -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged";
            case "/malformed" -> "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!";
            default -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        };
        var written = ctx.pipeline().firstContext().writeAndFlush(Unpooled.copiedBuffer(response, StandardCharsets.ISO_8859_1));
        if (path.equals("/until-close")) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void start(int workers) throws Exception {
        f.backends(workers).start("");
        f.backends.forEach(b -> b.respond(ResponseFramingTest::rawAnswers));
    }

    @Test
    void aChunkedBodyPassesAsItCameAndHopByHopHeadersGo() throws Exception {
        start(1);

        String answer = f.raw("GET /chunked HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").contains("Set-Cookie: a=b;  Path=/\r\n")
                .contains("Transfer-Encoding: chunked\r\n").contains("connection: close\r\n")
                .doesNotContain("Keep-Alive").endsWith("\r\n\r\n" + CHUNKED_BODY);
    }

    @Test
    void anHttp10ClientGetsAChunkedBodyWithoutItsChunks() throws Exception {
        start(1);

        String answer = f.raw("GET /chunked HTTP/1.0\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.0 200 OK\r\n").doesNotContainIgnoringCase("transfer-encoding")
                .endsWith("\r\n\r\nhello world");
    }

    @Test
    void anHttp10KeepAliveClientIsToldItsConnectionStays() throws Exception {
        start(1);

        String answer = f.raw("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.0\r\n\r\n");

        assertThat(answer).isEqualTo("HTTP/1.0 200 OK\r\nContent-Length: 2\r\nconnection: keep-alive\r\n\r\nok"
                + "HTTP/1.0 200 OK\r\nContent-Length: 2\r\nconnection: close\r\n\r\nok");
    }

    @Test
    void aBodyEndedByTheWorkersCloseIsChunkedForAKeepAliveClient() throws Exception {
        start(1);

        String answer = f.raw("GET /until-close HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n"
                + "d\r\nuntil the end\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nok");
    }

    @Test
    void aBodyEndedByTheWorkersCloseGoesRawToAnHttp10Client() throws Exception {
        start(1);

        String answer = f.raw("GET /until-close HTTP/1.0\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.0 200 OK\r\n").contains("connection: close\r\n")
                .doesNotContainIgnoringCase("transfer-encoding").endsWith("\r\n\r\nuntil the end");
    }

    @Test
    void headAnd204AnswersHaveNoBodyWhateverTheirLengthAndTheConnectionGoesOn() throws Exception {
        start(1);

        String answer = f.raw("HEAD /no-body HTTP/1.1\r\nHost: x\r\n\r\nGET /204 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(answer).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\nContent-Length: 100\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nconnection: close\r\n\r\nok");
    }

    @Test
    void aWorkerSendingMoreThanItsResponseLosesTheConnectionNotTheNextRequest() throws Exception {
        start(1);

        String answer = f.raw("GET /too-long HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(answer).doesNotContain("forged").endsWith("\r\n\r\nok");
        assertThat(answer.split("HTTP/1.1 200 OK\r\n", -1)).hasSize(3);
        assertThat(f.backend("jvm1").received.get(0).connection()).isNotEqualTo(f.backend("jvm1").received.get(1).connection());
    }

    @Test
    void aMalformedResponseFailsTheAttemptLikeABrokenConnection() throws Exception {
        start(1);

        String answer = f.raw("POST /malformed HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 502 ").contains("the application failed to answer")
                .doesNotContain("Content-Length");
    }

    @Test
    void anIdempotentRequestIsRetriedElsewhereAfterAMalformedResponse() throws Exception {
        start(2);
        f.backend("jvm1").respond((self, ctx, request) -> ctx.pipeline().firstContext()
                .writeAndFlush(Unpooled.copiedBuffer("HTTP/1.1 2x0 Huh\r\n\r\n", StandardCharsets.ISO_8859_1)));

        var answer = f.get("/page", "Cookie", "JSESSIONID=A.jvm1");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("ok");
        assertThat(f.backend("jvm1").received).hasSize(1);
    }
}
