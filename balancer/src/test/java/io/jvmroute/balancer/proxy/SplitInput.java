package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** For the parser tests: one message cut into reads at given positions, and what a channel emitted. */
final class SplitInput {

    private SplitInput() {
    }

    /** {@code text} as ISO-8859-1 bytes, one buffer per piece between the {@code cuts}. */
    static List<ByteBuf> cut(String text, int... cuts) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        List<ByteBuf> inputs = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            inputs.add(Unpooled.wrappedBuffer(bytes, from, cut - from));
            from = cut;
        }
        inputs.add(Unpooled.wrappedBuffer(bytes, from, bytes.length - from));
        return inputs;
    }

    /** Moves everything the channel passed on so far into {@code out}. */
    static void drain(EmbeddedChannel ch, List<Object> out) {
        for (Object m; (m = ch.readInbound()) != null; ) {
            out.add(m);
        }
    }
}
