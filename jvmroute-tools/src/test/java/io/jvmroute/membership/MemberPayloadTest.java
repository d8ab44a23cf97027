package io.jvmroute.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MemberPayloadTest {

    @Test
    void version1LayoutIsStable() {
        // Members of different releases read each other's payloads: these bytes must never change meaning.
        byte[] bytes = new MemberPayload("jvm1", MemberState.DRAINING, "ab12").encode();

        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("4a5201" + "01" + "04" + "6a766d31" + "01" + "04" + "61623132");
    }

    @Test
    void aPayloadReadsBackAsWritten() {
        MemberPayload payload = new MemberPayload("dc1.n7", MemberState.ACTIVE, "f00d");

        MemberPayload.Decoded decoded = MemberPayload.decode(payload.encode());

        assertThat(decoded.isOk()).isTrue();
        assertThat(decoded.payload()).contains(payload);
        assertThat(MemberPayload.decode(MemberPayload.of("jvm2", MemberState.ACTIVE).encode()).payload())
                .contains(new MemberPayload("jvm2", MemberState.ACTIVE, ""));
    }

    @Test
    void extensionsFromANewerReleaseAreSkipped() {
        byte[] bytes = HexFormat.of().parseHex("4a5201" + "00" + "04" + "6a766d32" + "09" + "03" + "010203" + "01" + "02" + "7a7a");

        assertThat(MemberPayload.decode(bytes).payload()).contains(new MemberPayload("jvm2", MemberState.ACTIVE, "zz"));
    }

    @Test
    void frontAddressesTravelAsExtensionsThatOlderReadersSkip() {
        MemberPayload payload = new MemberPayload("n1", MemberState.ACTIVE, "ab", "10.0.0.1:8080", "[::1]:8009");
        byte[] bytes = payload.encode();

        assertThat(MemberPayload.decode(bytes).payload()).contains(payload);
        assertThat(payload.withState(MemberState.DRAINING).http()).isEqualTo("10.0.0.1:8080");
        // the fixed part and the fingerprint are where a reader of the first version expects them
        assertThat(HexFormat.of().formatHex(bytes)).startsWith("4a5201" + "00" + "02" + "6e31" + "01" + "02" + "6162" + "0a" + "0d");
    }

    @Test
    void aBadFrontAddressIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new MemberPayload("n1", MemberState.ACTIVE, "", "nohost", ""))
                .withMessageContaining("expected: host:port");
        byte[] bytes = HexFormat.of().parseHex("4a5201" + "00" + "02" + "6e31" + "0a" + "04" + "613a3939"); // "a:99" fine
        assertThat(MemberPayload.decode(bytes).payload().orElseThrow().http()).isEqualTo("a:99");
        byte[] bad = HexFormat.of().parseHex("4a5201" + "00" + "02" + "6e31" + "0a" + "04" + "613a3030"); // port 00
        assertThat(MemberPayload.decode(bad).problem()).isEqualTo("invalid front address");
    }

    @Test
    void garbageFromAPeerIsRefusedWithAReason() {
        assertProblem(null, "no payload");
        assertProblem(new byte[0], "no payload");
        assertProblem(new byte[2000], "payload of 2000 bytes");
        assertProblem("hello world".getBytes(), "not a jvmroute payload");
        assertProblem(HexFormat.of().parseHex("4a5202000461626364"), "payload format version 2");
        assertProblem(HexFormat.of().parseHex("4a5201070461626364"), "unknown member state code 7");
        assertProblem(HexFormat.of().parseHex("4a520100106162"), "truncated payload");
        assertProblem(HexFormat.of().parseHex("4a5201000461202020"), "invalid route");
        assertProblem(HexFormat.of().parseHex("4a52010004616263640105"), "truncated extension");
        assertProblem(HexFormat.of().parseHex("4a52010004616263640101" + "0a"), "invalid settings fingerprint");
    }

    private static void assertProblem(byte[] bytes, String expected) {
        MemberPayload.Decoded decoded = MemberPayload.decode(bytes);
        assertThat(decoded.isOk()).isFalse();
        assertThat(decoded.payload()).isEmpty();
        assertThat(decoded.problem()).contains(expected);
    }

    @Test
    void aMemberCannotPublishARouteOrFingerprintOthersCouldNotRead() {
        assertThatIllegalArgumentException().isThrownBy(() -> MemberPayload.of("jvm 1", MemberState.ACTIVE)).withMessageContaining("route: jvm 1");
        assertThatIllegalArgumentException().isThrownBy(() -> MemberPayload.of("", MemberState.ACTIVE));
        assertThatIllegalArgumentException().isThrownBy(() -> new MemberPayload("jvm1", MemberState.ACTIVE, "x".repeat(65)))
                .withMessageContaining("fingerprint");
    }

    @Test
    void changingStateKeepsTheRest() {
        MemberPayload active = new MemberPayload("jvm1", MemberState.ACTIVE, "fp");

        assertThat(active.withState(MemberState.DRAINING)).isEqualTo(new MemberPayload("jvm1", MemberState.DRAINING, "fp"));
    }
}
