package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The worker response parser on its own, fed through an EmbeddedChannel in every possible split. */
class ResponseParserTest {

    private static final int MAX_HEAD = 1024;

    /** What the parser made of some input, flattened so that results of different splits compare equal. */
    record Parsed(List<String> heads, List<ResponseHead.Framing> framings, List<Boolean> keepAlive, String body,
                  long payload, int ends, String passedThrough, String malformed) {
    }

    /** The request a response answers, as {@link ResponseParser#expect} takes it. */
    record Expect(boolean head, boolean upgrade, boolean dechunk) {
        static final Expect GET = new Expect(false, false, false);
    }

    /** Feeds {@code response} cut at {@code cuts}, closes the connection if asked, and checks nothing leaked. */
    private static Parsed parse(String response, Expect expect, boolean close, int... cuts) {
        ResponseParser parser = new ResponseParser(MAX_HEAD);
        EmbeddedChannel ch = new EmbeddedChannel(parser);
        parser.expect(expect.head, expect.upgrade, expect.dechunk);
        List<ByteBuf> inputs = SplitInput.cut(response, cuts);
        List<Object> out = new ArrayList<>();
        for (ByteBuf in : inputs) {
            ch.writeInbound(in);
            SplitInput.drain(ch, out);
        }
        if (close) {
            ch.finish();
            SplitInput.drain(ch, out);
        }
        Parsed parsed = flatten(out, parser);
        assertThat(ch.finishAndReleaseAll()).isFalse();
        assertThat(inputs).allSatisfy(in -> assertThat(in.refCnt()).isZero());
        return parsed;
    }

    /** Reads and releases everything the parser emitted; a response always follows a new expect. */
    private static Parsed flatten(List<Object> out, ResponseParser parser) {
        List<String> heads = new ArrayList<>();
        List<ResponseHead.Framing> framings = new ArrayList<>();
        List<Boolean> keepAlive = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        StringBuilder passed = new StringBuilder();
        long payload = 0;
        int ends = 0;
        String malformed = null;
        for (Object m : out) {
            if (m instanceof ResponseHead h) {
                heads.add(h.content().toString(StandardCharsets.ISO_8859_1));
                framings.add(h.framing);
                keepAlive.add(h.keepAlive);
                h.release();
            } else if (m instanceof ResponseBody b) {
                body.append(b.content().toString(StandardCharsets.ISO_8859_1));
                payload += b.payload;
                ends += b.last ? 1 : 0;
                b.release();
            } else if (m instanceof ResponseParser.Malformed bad) {
                malformed = bad.reason();
            } else if (m instanceof ByteBuf raw) {
                passed.append(raw.toString(StandardCharsets.ISO_8859_1));
                raw.release();
            }
        }
        return new Parsed(heads, framings, keepAlive, body.toString(), payload, ends, passed.toString(), malformed);
    }

    /** The same result whatever the split: two buffers cut at every position, and one byte at a time. */
    private static Parsed parseEverySplit(String response, Expect expect, boolean close) {
        Parsed whole = parse(response, expect, close);
        for (int cut = 1; cut < response.length(); cut++) {
            assertThat(parse(response, expect, close, cut)).as("cut at %d", cut).isEqualTo(whole);
        }
        int[] everyByte = new int[response.length() - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertThat(parse(response, expect, close, everyByte)).as("one byte at a time").isEqualTo(whole);
        return whole;
    }

    @Test
    void aContentLengthBodyIsCountedDown() {
        String head = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nSet-Cookie: a=b; Path=/\r\n\r\n";

        Parsed p = parseEverySplit(head + "hello", Expect.GET, false);

        assertThat(p.heads()).containsExactly(head);
        assertThat(p.framings()).containsExactly(ResponseHead.Framing.LENGTH);
        assertThat(p.keepAlive()).containsExactly(true);
        assertThat(p.body()).isEqualTo("hello");
        assertThat(p.payload()).isEqualTo(5);
        assertThat(p.ends()).isEqualTo(1);
        assertThat(p.malformed()).isNull();
    }

    @Test
    void bytesAfterTheResponsePassOnAsTheyAreForThePoolToRefuse() {
        Parsed p = parseEverySplit("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokjunk", Expect.GET, false);

        assertThat(p.body()).isEqualTo("ok");
        assertThat(p.passedThrough()).isEqualTo("junk");
    }

    @Test
    void aChunkedBodyPassesRawWithExtensionsAndTrailers() {
        String body = "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: 42\r\n\r\n";

        Parsed p = parseEverySplit("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body, Expect.GET, false);

        assertThat(p.framings()).containsExactly(ResponseHead.Framing.CHUNKED);
        assertThat(p.body()).isEqualTo(body);
        assertThat(p.payload()).isEqualTo(11);
        assertThat(p.ends()).isEqualTo(1);
        assertThat(p.passedThrough()).isEmpty();
    }

    @Test
    void aChunkedBodyLosesItsFramingForAnHttp10Client() {
        Parsed p = parseEverySplit("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                + "5\r\nhello\r\n6 ; a=b\r\n world\r\n0\r\nX-T: 1\r\n\r\n", new Expect(false, false, true), false);

        assertThat(p.body()).isEqualTo("hello world");
        assertThat(p.payload()).isEqualTo(11);
        assertThat(p.ends()).isEqualTo(1);
    }

    @Test
    void bareLineFeedsAreAcceptedAsLineEnds() {
        Parsed p = parseEverySplit("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n2\nok\n0\n\n", Expect.GET, false);

        assertThat(p.body()).isEqualTo("2\nok\n0\n\n");
        assertThat(p.ends()).isEqualTo(1);
    }

    @Test
    void aBodyWithoutLengthEndsWhenTheWorkerCloses() {
        Parsed p = parseEverySplit("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end", Expect.GET, true);

        assertThat(p.framings()).containsExactly(ResponseHead.Framing.UNTIL_CLOSE);
        assertThat(p.keepAlive()).containsExactly(false);
        assertThat(p.body()).isEqualTo("until the end");
        assertThat(p.ends()).isEqualTo(1);
    }

    @Test
    void aCutOffBodyHasNoEnd() {
        Parsed p = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf", Expect.GET, true);

        assertThat(p.body()).isEqualTo("half");
        assertThat(p.ends()).isZero();
    }

    @Test
    void noBodyFor204And304AndHeadWhateverTheHeadersSay() {
        for (String status : List.of("204 No Content", "304 Not Modified")) {
            Parsed p = parseEverySplit("HTTP/1.1 " + status + "\r\nContent-Length: 10\r\n\r\n", Expect.GET, false);
            assertThat(p.framings()).containsExactly(ResponseHead.Framing.NONE);
            assertThat(p.body()).isEmpty();
            assertThat(p.ends()).isEqualTo(1);
        }
        Parsed head = parseEverySplit("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", new Expect(true, false, false), false);
        assertThat(head.framings()).containsExactly(ResponseHead.Framing.NONE);
        assertThat(head.ends()).isEqualTo(1);
        assertThat(head.keepAlive()).containsExactly(true);
    }

    @Test
    void interimResponsesComeBeforeTheRealOne() {
        Parsed p = parseEverySplit("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", Expect.GET, false);

        assertThat(p.framings()).containsExactly(ResponseHead.Framing.INTERIM, ResponseHead.Framing.INTERIM,
                ResponseHead.Framing.LENGTH);
        assertThat(p.body()).isEqualTo("ok");
        assertThat(p.ends()).isEqualTo(1);
    }

    @Test
    void after101ToAnUpgradeRequestTheBytesAreNoLongerHttp() {
        Parsed p = parseEverySplit("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                + "\u0081\u0002hi", new Expect(false, true, false), false);

        assertThat(p.framings()).containsExactly(ResponseHead.Framing.UPGRADE);
        assertThat(p.passedThrough()).isEqualTo("\u0081\u0002hi");
        assertThat(p.ends()).isZero();
    }

    @Test
    void keepAliveFollowsTheWorkersVersionAndConnectionHeader() {
        assertThat(parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", Expect.GET, false).keepAlive())
                .containsExactly(false);
        assertThat(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", Expect.GET, false).keepAlive())
                .containsExactly(false);
        assertThat(parse("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", Expect.GET, false).keepAlive())
                .containsExactly(true);
        assertThat(parse("HTTP/1.1 200 OK\r\ncontent-length: 0, 0\r\n\r\n", Expect.GET, false).keepAlive())
                .containsExactly(true);
    }

    @Test
    void bytesWhenNoResponseIsExpectedPassOnUnparsed() {
        ResponseParser parser = new ResponseParser(MAX_HEAD);
        EmbeddedChannel ch = new EmbeddedChannel(parser);
        ByteBuf in = Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\n", StandardCharsets.ISO_8859_1);

        ch.writeInbound(in);

        ByteBuf raw = ch.readInbound();
        assertThat(raw.toString(StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200 OK\r\n");
        raw.release();
        assertThat(ch.finishAndReleaseAll()).isFalse();
        assertThat(in.refCnt()).isZero();
    }

    // ---- refusals ----

    /**
     * Refused in every split. Body bytes before the fault may have been handed on already (they stream),
     * but the response never ends and nothing after the fault passes.
     */
    private static void assertMalformed(String response, String reason) {
        for (int cut = 0; cut < response.length(); cut++) {
            Parsed p = cut == 0 ? parse(response, Expect.GET, false) : parse(response, Expect.GET, false, cut);
            assertThat(p.malformed()).as("%s cut at %d", response, cut).contains(reason);
            assertThat(p.ends()).isZero();
            assertThat(p.passedThrough()).isEmpty();
        }
    }

    @Test
    void malformedHeadsAreRefused() {
        assertMalformed("HTTP/1.1 2x0 OK\r\n\r\n", "bad status code");
        assertMalformed("HTTP/1.1 200OK\r\n\r\n", "bad status line");
        assertMalformed("ICY 200 OK\r\n\r\n", "bad status line");
        assertMalformed("HTTP/2.0 200 OK\r\n\r\n", "bad status line");
        assertMalformed("HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n", "header line without colon");
        assertMalformed("HTTP/1.1 200 OK\r\n: empty\r\n\r\n", "header line without name");
        assertMalformed("HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n", "folded header line");
        assertMalformed("HTTP/1.1 200 OK\r\nX-A : 1\r\n\r\n", "bad header name");
        assertMalformed("HTTP/1.1 200 OK\r\nX-A: 1\rX-B: 2\r\n\r\n", "control character");
    }

    @Test
    void badContentLengthsAreRefused() {
        assertMalformed("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "bad Content-Length");
        assertMalformed("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", "bad Content-Length");
        assertMalformed("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", "bad Content-Length");
        assertMalformed("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", "bad Content-Length");
        assertMalformed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", "conflicting Content-Length");
        assertMalformed("HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\nhello!", "conflicting Content-Length");
        assertMalformed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "both Transfer-Encoding and Content-Length");
    }

    @Test
    void badChunksAreRefused() {
        String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        assertMalformed(head + "zz\r\nhello\r\n0\r\n\r\n", "bad chunk size line");
        assertMalformed(head + "\r\n", "bad chunk size line");
        assertMalformed(head + "5x\r\nhello\r\n0\r\n\r\n", "bad chunk size line");
        assertMalformed(head + "ffffffffffffffff\r\n", "chunk size too large");
        assertMalformed(head + "2\r\nhello\r\n0\r\n\r\n", "chunk data");
        assertMalformed(head + "0\r\nno colon\r\n\r\n", "bad trailer line");
        assertMalformed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", "chunked applied twice");
    }

    @Test
    void anOversizedHeadIsRefusedWithoutWaitingForItsEnd() {
        String big = "HTTP/1.1 200 OK\r\nX-Big: " + "x".repeat(MAX_HEAD) + "\r\n\r\n";

        Parsed p = parse(big, Expect.GET, false);
        Parsed split = parse(big, Expect.GET, false, 20, MAX_HEAD - 1, MAX_HEAD + 1);

        assertThat(p.malformed()).contains("response head larger than " + MAX_HEAD);
        assertThat(split).isEqualTo(p);
        assertThat(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;" + "e".repeat(5000) + "\r\n",
                Expect.GET, false).malformed()).contains("chunk size line longer");
    }

    @Test
    void whateverFollowsAMalformedResponseIsDropped() {
        Parsed p = parse("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", Expect.GET, false, 10);
        assertThat(p.malformed()).isNotNull();

        ResponseParser parser = new ResponseParser(MAX_HEAD);
        EmbeddedChannel ch = new EmbeddedChannel(parser);
        parser.expect(false, false, false);
        ch.writeInbound(Unpooled.copiedBuffer("NOT HTTP\r\n", StandardCharsets.ISO_8859_1));
        ByteBuf later = Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\n\r\n", StandardCharsets.ISO_8859_1);
        ch.writeInbound(later);

        assertThat((Object) ch.readInbound()).isInstanceOf(ResponseParser.Malformed.class);
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(later.refCnt()).isZero();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }
}
