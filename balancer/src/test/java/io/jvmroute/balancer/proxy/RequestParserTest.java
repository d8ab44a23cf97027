package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The client request parser on its own, fed through an EmbeddedChannel in every possible split. */
class RequestParserTest {

    private static final int MAX_LINE = 64;
    private static final int MAX_HEADERS = 256;

    /** What the parser made of some input, flattened so that results of different splits compare equal. */
    record Parsed(List<String> heads, List<String> summaries, String body, long payload, int ends, String malformed) {
    }

    /** Feeds {@code request} cut at {@code cuts} and checks that nothing leaked. */
    private static Parsed parse(String request, int... cuts) {
        EmbeddedChannel ch = new EmbeddedChannel(new RequestParser(MAX_LINE, MAX_HEADERS));
        List<ByteBuf> inputs = SplitInput.cut(request, cuts);
        List<Object> out = new ArrayList<>();
        for (ByteBuf in : inputs) {
            ch.writeInbound(in);
            SplitInput.drain(ch, out);
        }
        Parsed parsed = flatten(out);
        assertThat(ch.finishAndReleaseAll()).isFalse();
        assertThat(inputs).allSatisfy(in -> assertThat(in.refCnt()).isZero());
        return parsed;
    }

    /** Reads and releases everything the parser emitted. */
    private static Parsed flatten(List<Object> out) {
        List<String> heads = new ArrayList<>();
        List<String> summaries = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        long payload = 0;
        int ends = 0;
        String malformed = null;
        for (Object m : out) {
            if (m instanceof RequestHead h) {
                heads.add(h.content().toString(StandardCharsets.ISO_8859_1));
                summaries.add(h.method + " " + h.uri + (h.http10 ? " 1.0" : " 1.1") + " keepAlive=" + h.keepAlive
                        + " " + h.framing + " " + h.contentLength + " continue=" + h.expectContinue + " upgrade=" + h.upgrade
                        + " host=" + h.host + " cookies=" + h.cookies + " xff=" + h.xForwardedFor + " xfp=" + h.xForwardedProto
                        + " xfh=" + h.xForwardedHost + " fwd=" + h.forwarded + " named=" + h.connectionNames);
                h.release();
            } else if (m instanceof RequestBody b) {
                body.append(b.content().toString(StandardCharsets.ISO_8859_1));
                payload += b.payload;
                ends += b.last ? 1 : 0;
                b.release();
            } else if (m instanceof RequestParser.Malformed bad) {
                malformed = bad.status() + " " + bad.reason();
            }
        }
        return new Parsed(heads, summaries, body.toString(), payload, ends, malformed);
    }

    /** The same result whatever the split: two buffers cut at every position, and one byte at a time. */
    private static Parsed parseEverySplit(String request) {
        Parsed whole = parse(request);
        for (int cut = 1; cut < request.length(); cut++) {
            assertThat(parse(request, cut)).as("cut at %d", cut).isEqualTo(whole);
        }
        int[] everyByte = new int[request.length() - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertThat(parse(request, everyByte)).as("one byte at a time").isEqualTo(whole);
        return whole;
    }

    private static String refusal(String request) {
        String malformed = parseEverySplit(request).malformed();
        assertThat(malformed).as("refusal of %s", request).isNotNull();
        return malformed;
    }

    @Test
    void aRequestWithoutBodyEndsWithAnEmptyLastPiece() {
        String head = "GET /app/;jsessionid=A.jvm1?x=1 HTTP/1.1\r\nHost: shop\r\nCookie: a=b\r\ncookie: JSESSIONID=C.jvm2\r\n\r\n";

        Parsed p = parseEverySplit(head);

        assertThat(p.heads()).containsExactly(head);
        assertThat(p.summaries()).containsExactly("GET /app/;jsessionid=A.jvm1?x=1 1.1 keepAlive=true NONE -1 continue=false"
                + " upgrade=null host=shop cookies=[a=b, JSESSIONID=C.jvm2] xff=null xfp=null xfh=null fwd=null named=null");
        assertThat(p.ends()).isEqualTo(1);
        assertThat(p.body()).isEmpty();
        assertThat(p.malformed()).isNull();
    }

    @Test
    void aContentLengthBodyIsCountedDownAndTheNextRequestFollows() {
        String first = "PUT /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n";
        String second = "GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";

        Parsed p = parseEverySplit(first + "hello" + second);

        assertThat(p.heads()).containsExactly(first, second);
        assertThat(p.summaries().get(0)).startsWith("PUT /a 1.1 keepAlive=true LENGTH 5 continue=true");
        assertThat(p.summaries().get(1)).startsWith("GET /b 1.0 keepAlive=true NONE");
        assertThat(p.body()).isEqualTo("hello");
        assertThat(p.payload()).isEqualTo(5);
        assertThat(p.ends()).isEqualTo(2);
    }

    @Test
    void aChunkedBodyPassesRawWithExtensionsAndTrailers() {
        String body = "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: 42\r\n\r\n";

        Parsed p = parseEverySplit("POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n" + body
                + "GET /next HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(p.summaries().get(0)).contains(" CHUNKED ");
        assertThat(p.heads()).hasSize(2);
        assertThat(p.body()).isEqualTo(body);
        assertThat(p.payload()).isEqualTo(11);
        assertThat(p.ends()).isEqualTo(2);
        assertThat(p.malformed()).isNull();
    }

    @Test
    void whatTheProxyActsOnIsNoted() {
        Parsed p = parseEverySplit("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, X-Private\r\n"
                + "Upgrade: websocket\r\nX-Forwarded-For: 1.1.1.1\r\nx-forwarded-for: 2.2.2.2\r\nX-Forwarded-Proto: https\r\n"
                + "X-Forwarded-Host: h\r\nForwarded: for=1.1.1.1\r\n\r\n");

        assertThat(p.summaries()).containsExactly("GET /ws 1.1 keepAlive=true NONE -1 continue=false upgrade=websocket"
                + " host=a cookies=[] xff=1.1.1.1, 2.2.2.2 xfp=https xfh=h fwd=for=1.1.1.1 named=[x-private]");
    }

    @Test
    void aSecondHostOrNoneInHttp11Is400() {
        assertThat(refusal("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")).startsWith("400 ").contains("more than one Host");
        assertThat(refusal("GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n")).startsWith("400 ");
        assertThat(refusal("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n")).startsWith("400 ").contains("no Host");
        assertThat(parse("GET / HTTP/1.0\r\n\r\n").malformed()).isNull(); // HTTP/1.0 needs none
        assertThat(parse("GET / HTTP/1.1\r\nHost:\r\n\r\n").malformed()).isNull(); // empty is allowed (RFC 9112 §3.2)
    }

    @Test
    void keepAliveFollowsTheVersionAndConnection() {
        assertThat(parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").summaries().get(0)).contains("keepAlive=false");
        assertThat(parse("GET / HTTP/1.0\r\n\r\n").summaries().get(0)).contains("keepAlive=false");
        assertThat(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").summaries().get(0)).contains("keepAlive=true");
    }

    @Test
    void blankLinesBeforeARequestAndBareLineFeedsAreAccepted() {
        Parsed p = parseEverySplit("\r\n\nGET / HTTP/1.1\nHost: x\n\n");

        assertThat(p.heads()).containsExactly("GET / HTTP/1.1\nHost: x\n\n");
        assertThat(p.ends()).isEqualTo(1);
    }

    @Test
    void aTooLongRequestLineIs414EvenBeforeItEnds() {
        String line = "GET /" + "a".repeat(MAX_LINE) + " HTTP/1.1\r\n";

        assertThat(refusal(line + "\r\n")).startsWith("414 ");
        assertThat(refusal("GET /" + "a".repeat(MAX_LINE * 2))).startsWith("414 ");
        assertThat(parse("GET /" + "a".repeat(MAX_LINE - 14) + " HTTP/1.1\r\nHost: x\r\n\r\n").malformed()).isNull();
    }

    @Test
    void tooLargeHeadersAre431EvenBeforeTheyEnd() {
        assertThat(refusal("GET / HTTP/1.1\r\nCookie: " + "c".repeat(MAX_HEADERS) + "\r\n\r\n")).startsWith("431 ");
        assertThat(refusal("GET / HTTP/1.1\r\n" + "X-A: b\r\n".repeat(MAX_HEADERS / 8 + 1))).startsWith("431 ");
    }

    @Test
    void malformedHeadsAre400() {
        List<String> bad = List.of(
                "GET /a b HTTP/1.1\r\n\r\n",                       // space in the target
                "GET  / HTTP/1.1\r\n\r\n",                          // double space
                "G(T / HTTP/1.1\r\n\r\n",                           // method not a token
                "GET / HTTP/2.0\r\n\r\n",                           // version
                "GET / http/1.1\r\n\r\n",
                "GET / HTTP/1.1 \r\n\r\n",
                "GET /\u0001 HTTP/1.1\r\n\r\n",                     // control character in the target
                "GET / HTTP/1.1\r\nNo colon\r\n\r\n",
                "GET / HTTP/1.1\r\n: no name\r\n\r\n",
                "GET / HTTP/1.1\r\nName : v\r\n\r\n",
                "GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n",       // obs-fold
                "GET / HTTP/1.1\r\nA: b\u0000c\r\n\r\n",            // control characters in values
                "GET / HTTP/1.1\r\nA: b\rc\r\n\r\n",
                "GET / HTTP/1.1\r\nA: b\u007f\r\n\r\n",
                "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
                "POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n",
                "POST / HTTP/1.1\r\nContent-Length: \r\n\r\n",
                "POST / HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\n",
                "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
                "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
                "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
                "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
                "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
                "POST / HTTP/1.1\r\nTransfer-Encoding: identity\r\n\r\n",
                "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (String request : bad) {
            assertThat(refusal(request)).as(request).startsWith("400 ");
        }
    }

    @Test
    void malformedChunksAre400AfterTheHead() {
        for (String body : List.of("x\r\n", "5\r\nhelloX\r\n", "5 x\r\nhello\r\n", "1\r\na\r\n0\r\nno colon\r\n\r\n",
                "fffffffffffffffff\r\n")) {
            String request = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + body + "GET / HTTP/1.1\r\n\r\n";
            // how much of the body passed before the error depends on the split; the refusal does not
            for (int cut = 1; cut < request.length(); cut++) {
                Parsed p = parse(request, cut);
                assertThat(p.heads()).as("%s cut at %d", body, cut).hasSize(1);
                assertThat(p.ends()).isZero();
                assertThat(p.malformed()).as("%s cut at %d", body, cut).startsWith("400 ");
            }
        }
    }

    @Test
    void nothingFollowsARefusal() {
        Parsed p = parseEverySplit("GET / HTTP/9.9\r\n\r\nGET / HTTP/1.1\r\n\r\n");

        assertThat(p.heads()).isEmpty();
        assertThat(p.malformed()).startsWith("400 ");
    }
}
