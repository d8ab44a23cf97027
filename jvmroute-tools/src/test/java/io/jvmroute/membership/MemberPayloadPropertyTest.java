package io.jvmroute.membership;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class MemberPayloadPropertyTest {

    @Property(tries = 10_000)
    void randomBytesNeverThrowAndAreEitherAPayloadOrAProblem(@ForAll @Size(max = 1100) byte[] bytes) {
        MemberPayload.Decoded decoded = boundedDecode(bytes);

        assertThat(decoded.isOk()).isNotEqualTo(decoded.problem() != null);
    }

    @Property(tries = 10_000)
    void bytesThatLookLikeAPayloadNeverThrow(@ForAll @Size(max = 300) byte[] tail, @ForAll byte state, @ForAll byte length) {
        byte[] bytes = new byte[5 + tail.length];
        bytes[0] = 'J';
        bytes[1] = 'R';
        bytes[2] = 1;
        bytes[3] = state;
        bytes[4] = length;
        System.arraycopy(tail, 0, bytes, 5, tail.length);

        MemberPayload.Decoded decoded = boundedDecode(bytes);

        decoded.payload().ifPresent(p -> assertThat(MemberPayload.decode(p.encode()).payload()).contains(p));
    }

    /** Decodes (a membership payload comes from any peer): allocation in proportion to the input, no hang. */
    private static MemberPayload.Decoded boundedDecode(byte[] bytes) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        long start = System.nanoTime();
        MemberPayload.Decoded decoded = MemberPayload.decode(bytes);
        assertThat(threads.getThreadAllocatedBytes(id) - before).as("bytes allocated")
                .isLessThanOrEqualTo(256L * 1024 + 16L * bytes.length);
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms on one input (a hang guard)").isLessThan(5_000);
        return decoded;
    }
}
