package io.jvmroute.replication.secure;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmroute.membership.MemberPayload;
import io.jvmroute.membership.MemberState;
import io.jvmroute.replication.Allocation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.catalina.tribes.io.ChannelData;
import org.apache.catalina.tribes.io.ObjectReader;
import org.apache.catalina.tribes.io.XByteBuffer;
import org.apache.catalina.tribes.membership.MemberImpl;

/**
 * Fuzzing of the TLS receiver's framing ({@link FrameReader}, {@link PackageLayout}): what a peer sends is read
 * package by package, and a package it accepts must be one Tribes then parses without any exception (Tribes'
 * own reader allocates what the lengths say and indexes past short fields). Only the reader's refusal (an
 * {@link IOException}) may come out; allocation stays proportional to the input; nothing hangs.
 */
class FrameReaderPropertyTest {

    private static final int MAX_FRAME = 1024 * 1024;

    @Property(tries = 10_000)
    void randomBytesAfterTheStartMarkerAreReadOrRefused(@ForAll int length, @ForAll @Size(max = 2_000) byte[] rest) {
        ByteBuffer bytes = ByteBuffer.allocate(FrameReader.START.length + 4 + rest.length);
        bytes.put(FrameReader.START).putInt(length).put(rest);
        assertReadOrRefused(bytes.array());
    }

    @Property(tries = 10_000)
    void changedGenuineFramesAreReadOrRefused(@ForAll("frames") byte[] genuine,
            @ForAll @IntRange(min = 0, max = 100_000) int at, @ForAll byte value,
            @ForAll @IntRange(min = 0, max = 3) int change) {
        assertReadOrRefused(mutate(genuine, at, value, change));
    }

    @Provide
    Arbitrary<byte[]> frames() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(500).flatMap(body ->
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12).map(route -> {
                    try {
                        MemberImpl sender = new MemberImpl("127.0.0.9", 4000, 0);
                        sender.setPayload(MemberPayload.of(route, MemberState.ACTIVE).encode());
                        sender.setUniqueId(MemberIds.of(route));
                        ChannelData data = new ChannelData(true);
                        data.setAddress(sender);
                        data.setTimestamp(1);
                        data.setOptions(6);
                        data.setMessage(new XByteBuffer(body, false));
                        return XByteBuffer.createDataPackage(data);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }));
    }

    private static byte[] mutate(byte[] genuine, int at, byte value, int change) {
        int i = at % genuine.length;
        byte[] copy = genuine.clone();
        switch (change) {
            case 0 -> copy[i] = value;
            case 1 -> copy = java.util.Arrays.copyOf(genuine, i);
            case 2 -> {
                for (int k = i; k < Math.min(copy.length, i + 4); k++) {
                    copy[k] = k == i ? (byte) 0x7f : (byte) 0xff; // a length field claiming 2 GB
                }
            }
            default -> copy[i] = (byte) (copy[i] ^ value);
        }
        return copy;
    }

    private static void assertReadOrRefused(byte[] input) {
        Exception thrown = Allocation.bounded(256L * 1024 + 16L * input.length, () -> {
            FrameReader reader = new FrameReader(new ByteArrayInputStream(input), MAX_FRAME);
            for (byte[] frame; (frame = reader.next()) != null; ) {
                ObjectReader tribes = new ObjectReader(1024);
                tribes.append(frame, 0, frame.length, false);
                assertThat(tribes.execute()).hasSize(1); // an accepted package is one Tribes reads, never throws on
            }
        });
        if (thrown != null) {
            assertThat(thrown).isInstanceOf(IOException.class);
        }
    }
}
