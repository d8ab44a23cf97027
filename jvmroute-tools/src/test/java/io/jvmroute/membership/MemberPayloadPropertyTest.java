package io.jvmroute.membership;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class MemberPayloadPropertyTest {

    @Property
    void randomBytesNeverThrowAndAreEitherAPayloadOrAProblem(@ForAll @Size(max = 1100) byte[] bytes) {
        MemberPayload.Decoded decoded = MemberPayload.decode(bytes);

        assertThat(decoded.isOk()).isNotEqualTo(decoded.problem() != null);
    }

    @Property
    void bytesThatLookLikeAPayloadNeverThrow(@ForAll @Size(max = 300) byte[] tail, @ForAll byte state, @ForAll byte length) {
        byte[] bytes = new byte[5 + tail.length];
        bytes[0] = 'J';
        bytes[1] = 'R';
        bytes[2] = 1;
        bytes[3] = state;
        bytes[4] = length;
        System.arraycopy(tail, 0, bytes, 5, tail.length);

        MemberPayload.Decoded decoded = MemberPayload.decode(bytes);

        decoded.payload().ifPresent(p -> assertThat(MemberPayload.decode(p.encode()).payload()).contains(p));
    }
}
