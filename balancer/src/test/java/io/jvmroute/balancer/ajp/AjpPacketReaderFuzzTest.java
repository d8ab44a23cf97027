package io.jvmroute.balancer.ajp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broken or hostile worker: whatever bytes come back on an AJP connection, cut into reads of any size, the
 * client either reads them as messages or refuses them with {@link AjpProtocolException} (nothing else is
 * thrown), holds at most one packet's worth of them, and allocates in proportion to what it received.
 */
class AjpPacketReaderFuzzTest {

    private static final int MAX_PACKET = 8192;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Property(tries = 12_000)
    void anyResponseBytesAreReadOrRefusedWithinBounds(@ForAll("responses") byte[] input, @ForAll("cuts") List<Integer> cuts)
            throws Exception {
        feed(input, cuts); // a first pass loads the classes its paths need: the second one is measured
        long[] allocatedAndReads = feed(input, cuts);
        // in proportion to what arrived, never to what a packet announces; the leak detector (paranoid in the
        // tests) records a stack trace per buffer, hence the cost per read
        assertThat(allocatedAndReads[0]).as("bytes allocated for %d bytes in %d reads", input.length, allocatedAndReads[1])
                .isLessThan(256 * 1024 + 64L * input.length + 16 * 1024L * allocatedAndReads[1]);
    }

    /** Feeds the bytes to a fresh connection with a request in progress; returns the bytes allocated and the reads. */
    private static long[] feed(byte[] input, List<Integer> cuts) throws Exception {
        List<ByteBuf> received = new ArrayList<>();
        AjpClientHandler handler = new AjpClientHandler("w", false, MAX_PACKET, 0, 1000);
        EmbeddedChannel ch = new EmbeddedChannel(handler, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                received.add((ByteBuf) msg);
            }
        });
        try {
            ch.writeOutbound(AjpClientHandlerTest.start(input.length % 3 == 0 ? "HEAD" : "POST", input.length % 5));
            ch.writeOutbound(Unpooled.wrappedBuffer(new byte[input.length % 5]), AjpClientHandler.BODY_END);
            long before = THREADS.getCurrentThreadAllocatedBytes();
            boolean refused = false;
            int at = 0;
            int reads = 0;
            for (int i = 0; at < input.length && !refused; i++, reads++) {
                int n = Math.min(input.length - at, cuts.get(i % cuts.size()));
                try {
                    ch.writeInbound(Unpooled.wrappedBuffer(input, at, n));
                } catch (AjpProtocolException e) {
                    refused = true; // the reader's refusal, the only exception allowed
                }
                at += n;
                assertThat(handler.buffered()).isLessThanOrEqualTo(MAX_PACKET);
            }
            return new long[] {THREADS.getCurrentThreadAllocatedBytes() - before, reads};
        } finally {
            received.forEach(ByteBuf::release);
            ch.finishAndReleaseAll();
        }
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(1, 9000).list().ofMinSize(1).ofMaxSize(8);
    }

    /** Mostly well-formed responses with a few bytes changed, some pure noise, some truncated. */
    @Provide
    Arbitrary<byte[]> responses() {
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
        Arbitrary<byte[]> mutated = Combinators.combine(wellFormed(), Arbitraries.integers().between(0, 6),
                        Arbitraries.integers().between(0, Integer.MAX_VALUE), Arbitraries.bytes())
                .as((bytes, flips, seed, value) -> {
                    java.util.Random r = new java.util.Random(seed);
                    for (int i = 0; i < flips && bytes.length > 0; i++) {
                        bytes[r.nextInt(bytes.length)] = (byte) (value + i * 37);
                    }
                    return r.nextInt(4) == 0 && bytes.length > 1 ? java.util.Arrays.copyOf(bytes, r.nextInt(bytes.length)) : bytes;
                });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, noise),
                net.jqwik.api.Tuple.of(4, mutated),
                net.jqwik.api.Tuple.of(1, wellFormed()));
    }

    private Arbitrary<byte[]> wellFormed() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(40).withCharRange(' ', '~');
        return Combinators.combine(Arbitraries.integers().between(100, 999), text, text.list().ofMaxSize(6),
                        Arbitraries.strings().ofMaxLength(9000).list().ofMaxSize(3), Arbitraries.integers().between(0, 3),
                        Arbitraries.of(true, false))
                .as((status, reason, headerTexts, bodies, asks, reuse) -> {
                    ContainerPackets p = new ContainerPackets();
                    for (int i = 0; i < asks; i++) {
                        p.getBody(i * 1000);
                    }
                    String[] headers = new String[headerTexts.size() * 2];
                    for (int i = 0; i < headerTexts.size(); i++) {
                        headers[2 * i] = i % 3 == 0 ? "Content-Length" : "X-H" + i;
                        headers[2 * i + 1] = i % 3 == 0 ? Integer.toString(headerTexts.get(i).length()) : headerTexts.get(i);
                    }
                    p.headers(status, reason, headers);
                    for (String b : bodies) {
                        p.body(b.length() > 8000 ? b.substring(0, 8000) : b);
                    }
                    return p.end(reuse).pong().bytes();
                });
    }
}
