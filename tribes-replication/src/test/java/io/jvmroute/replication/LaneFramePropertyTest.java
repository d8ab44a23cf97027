package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.catalina.ha.session.SessionMessage;
import org.apache.catalina.ha.session.SessionMessageImpl;

/**
 * Fuzzing of {@link LaneFrame#decode}, the parser of every replication frame a peer sends: random bytes behind
 * the magic, and genuine frames with bytes changed, cut or appended. The only exception allowed is the parser's
 * refusal (an {@link IOException}); allocation stays proportional to the input; no input hangs it.
 */
class LaneFramePropertyTest {

    @Property(tries = 10_000)
    void randomBytesBehindTheMagicAreDecodedOrRefused(@ForAll @Size(max = 2_000) byte[] tail) {
        byte[] frame = new byte[LaneFrame.MAGIC.length + tail.length];
        System.arraycopy(LaneFrame.MAGIC, 0, frame, 0, LaneFrame.MAGIC.length);
        System.arraycopy(tail, 0, frame, LaneFrame.MAGIC.length, tail.length);
        assertDecodedOrRefused(frame);
    }

    @Property(tries = 10_000)
    void changedGenuineFramesAreDecodedOrRefused(@ForAll("frames") byte[] genuine,
            @ForAll @IntRange(min = 0, max = 100_000) int at, @ForAll byte value,
            @ForAll @IntRange(min = 0, max = 3) int change) {
        byte[] frame = mutate(genuine, at, value, change);
        assertDecodedOrRefused(frame);
    }

    @Provide
    Arbitrary<byte[]> frames() {
        Arbitrary<SessionMessage> message = Arbitraries.integers().between(0, 20).flatMap(type ->
                Arbitraries.strings().ofMaxLength(40).flatMap(id -> Arbitraries.bytes().array(byte[].class)
                        .ofMaxSize(300).injectNull(0.1).map(data -> (SessionMessage) new SessionMessageImpl(
                                id.length() % 2 == 0 ? "/app" : "/other", type, data, id, id + "-" + type))));
        return message.list().ofMaxSize(8).map(LaneFrame::encode);
    }

    /** Change 0: one byte set; 1: cut at {@code at}; 2: a byte inserted; 3: a length-sized field set to max. */
    static byte[] mutate(byte[] genuine, int at, byte value, int change) {
        int i = genuine.length == 0 ? 0 : at % genuine.length;
        return switch (change) {
            case 0 -> {
                byte[] copy = genuine.clone();
                if (copy.length > 0) {
                    copy[i] = value;
                }
                yield copy;
            }
            case 1 -> java.util.Arrays.copyOf(genuine, i);
            case 2 -> {
                byte[] longer = new byte[genuine.length + 1];
                System.arraycopy(genuine, 0, longer, 0, i);
                longer[i] = value;
                System.arraycopy(genuine, i, longer, i + 1, genuine.length - i);
                yield longer;
            }
            default -> {
                byte[] copy = genuine.clone();
                for (int k = i; k < Math.min(copy.length, i + 4); k++) {
                    copy[k] = k == i ? (byte) 0x7f : (byte) 0xff;
                }
                yield copy;
            }
        };
    }

    private static void assertDecodedOrRefused(byte[] frame) {
        List<SessionMessage> decoded = new ArrayList<>();
        Exception thrown = Allocation.bounded(256L * 1024 + 64L * frame.length,
                () -> decoded.addAll(LaneFrame.decode(frame)));
        if (thrown != null) {
            assertThat(thrown).isInstanceOf(IOException.class);
        }
    }
}
