package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based fuzzing (issue 16) of the parsers that read the network: client request heads and bodies
 * (Content-Length and chunked) and worker response heads and bodies, 10 000 generated inputs each. Every input is
 * a valid message mutated by random edits (bytes flipped to delimiters and control characters, bytes deleted or
 * doubled, runs repeated) and cut into random reads. Whatever comes in: no exception escapes the parser (only its
 * own refusal, as a {@code Malformed} message), nothing follows a refusal, what it passes on is never more than
 * what it read (no amplification), and every buffer is released (no leak: the build runs Netty's detector in
 * PARANOID mode).
 */
class ParserFuzzTest {

    private static final String[] REQUESTS = {
            "GET /app/;jsessionid=ABC.jvm1 HTTP/1.1\r\nHost: x\r\nCookie: JSESSIONID=ABC.jvm2\r\n\r\n",
            "POST /app HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;e=v\r\nhello\r\n0\r\nT: 1\r\n\r\nGET / HTTP/1.1\r\nHost: y\r\n\r\n",
            "PUT /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello",
            "GET / HTTP/1.0\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n\r\n",
            "\r\nGET /x HTTP/1.1\nHost: a\nX-Forwarded-For: 1.2.3.4\n\n",
    };
    private static final String[] RESPONSES = {
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nSet-Cookie: JSESSIONID=A.jvm1\r\n\r\nhello",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX: y\r\n\r\n",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
            "HTTP/1.0 200 OK\r\nConnection: close\r\n\r\nuntil the end",
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\u0081\u0001x",
    };

    @Property(tries = 10_000)
    void requestsNeverBreakTheRequestParser(@ForAll long seed) {
        Random random = new Random(seed);
        byte[] input = Mutation.of(REQUESTS[random.nextInt(REQUESTS.length)], random);

        List<ByteBuf> reads = new ArrayList<>();
        List<Object> out = feed(new EmbeddedChannel(new RequestParser(512, 2048)), input, random, reads);

        check(out, input, reads, RequestParser.Malformed.class);
    }

    @Property(tries = 10_000)
    void responsesNeverBreakTheResponseParser(@ForAll long seed) {
        Random random = new Random(seed);
        byte[] input = Mutation.of(RESPONSES[random.nextInt(RESPONSES.length)], random);
        ResponseParser parser = new ResponseParser(2048);
        EmbeddedChannel ch = new EmbeddedChannel(parser);
        parser.expect(random.nextInt(8) == 0, random.nextBoolean(), random.nextBoolean());

        List<ByteBuf> reads = new ArrayList<>();
        List<Object> out = feed(ch, input, random, reads);

        check(out, input, reads, ResponseParser.Malformed.class);
    }

    /** Feeds {@code input} in random reads (an exception would surface from writeInbound), then ends the input. */
    private static List<Object> feed(EmbeddedChannel ch, byte[] input, Random random, List<ByteBuf> reads) {
        List<Object> out = new ArrayList<>();
        for (int from = 0; from < input.length; ) {
            int n = 1 + random.nextInt(Math.max(1, Math.min(64, input.length - from)));
            ByteBuf read = Unpooled.wrappedBuffer(input, from, n);
            reads.add(read);
            ch.writeInbound(read);
            from += n;
            SplitInput.drain(ch, out);
        }
        ch.finish();
        SplitInput.drain(ch, out);
        return out;
    }

    private static void check(List<Object> out, byte[] input, List<ByteBuf> reads, Class<?> refusal) {
        try {
            long passedOn = 0;
            int refusals = 0;
            for (Object m : out) {
                assertThat(refusals).as("something followed a refusal: %s", m).isZero();
                if (refusal.isInstance(m)) {
                    refusals++;
                } else if (m instanceof io.netty.buffer.ByteBufHolder holder) {
                    passedOn += holder.content().readableBytes();
                } else if (m instanceof ByteBuf raw) { // after a 101: the bytes that follow go to the tunnel as they are
                    passedOn += raw.readableBytes();
                } else {
                    assertThat(m).isInstanceOfAny(RequestPart.class, ResponsePart.class);
                }
            }
            assertThat(passedOn).as("bytes passed on for %d read", input.length).isLessThanOrEqualTo(input.length);
        } finally {
            out.forEach(ReferenceCountUtil::release);
        }
        for (ByteBuf read : reads) {
            assertThat(read.refCnt()).as("a read still held once everything passed on was released").isZero();
        }
    }

    /** Random edits of a valid message, reproducible from the property's seed. */
    static final class Mutation {

        private static final String DELIMITERS = "\u0000\r\n :;,\"=\u007f\u00ff\t-0123456789abcdefzG/.";

        static byte[] of(String seed, Random random) {
            byte[] out = seed.getBytes(StandardCharsets.ISO_8859_1);
            int edits = random.nextInt(6);
            for (int e = 0; e < edits && out.length > 1; e++) {
                int at = random.nextInt(out.length);
                switch (random.nextInt(4)) {
                    case 0 -> out[at] = (byte) DELIMITERS.charAt(random.nextInt(DELIMITERS.length()));
                    case 1 -> out = splice(out, at, 1, new byte[0]);
                    case 2 -> out = splice(out, at, 0, new byte[] {out[at]});
                    default -> { // a run repeated: long lines, many headers, huge chunk sizes
                        int len = Math.min(out.length - at, 1 + random.nextInt(16));
                        byte[] run = new byte[len * (1 + random.nextInt(200))];
                        for (int i = 0; i < run.length; i++) {
                            run[i] = out[at + i % len];
                        }
                        out = splice(out, at, 0, run);
                    }
                }
            }
            return out;
        }

        private static byte[] splice(byte[] in, int at, int remove, byte[] insert) {
            byte[] out = new byte[in.length - remove + insert.length];
            System.arraycopy(in, 0, out, 0, at);
            System.arraycopy(insert, 0, out, at, insert.length);
            System.arraycopy(in, at + remove, out, at + insert.length, in.length - at - remove);
            return out;
        }
    }
}
