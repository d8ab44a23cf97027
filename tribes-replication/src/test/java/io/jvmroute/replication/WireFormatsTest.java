package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmroute.membership.MemberPayload;
import io.jvmroute.membership.MemberPayload.Formats;
import io.jvmroute.membership.MemberState;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.membership.MemberImpl;
import org.junit.jupiter.api.Test;

/** A node speaks the newest format all its live peers read, and refuses a peer it shares none with. */
class WireFormatsTest {

    private final WireFormats twoToFour = new WireFormats(new Formats(2, 4));

    @Test
    void theLeastOfThePeersHighestVersionsIsSpoken() {
        assertThat(twoToFour.negotiate(new Member[0])).isEqualTo(4);
        assertThat(twoToFour.negotiate(new Member[] {peer(new Formats(2, 5)), peer(new Formats(3, 4))})).isEqualTo(4);
        assertThat(twoToFour.negotiate(new Member[] {peer(new Formats(2, 5)), peer(new Formats(2, 3))})).isEqualTo(3);
    }

    @Test
    void aPeerThatPublishesNoVersionsSpeaksThePreviousReleasesFormat() {
        assertThat(twoToFour.negotiate(new Member[] {peer(new Formats(2, 4)), peer(null)})).isEqualTo(2);
        assertThat(WireFormats.of(peer(null))).isEqualTo(WireFormats.UNANNOUNCED);
        assertThat(twoToFour.problem(WireFormats.UNANNOUNCED)).isNull();
    }

    @Test
    void aPeerWithNoCommonVersionIsAProblemAndDoesNotDragTheOthersDown() {
        assertThat(twoToFour.problem(new Formats(5, 6))).contains("speaks replication formats 5..6, this node 2..4");
        assertThat(twoToFour.problem(new Formats(1, 1))).contains("1..1");
        assertThat(twoToFour.negotiate(new Member[] {peer(new Formats(1, 1)), peer(new Formats(2, 3))})).isEqualTo(3);
    }

    @Test
    void thisReleaseWritesEveryVersionItPublishes() {
        for (int v = WireFormats.SUPPORTED.min(); v <= WireFormats.SUPPORTED.max(); v++) {
            assertThat(LaneFrame.isFrame(LaneFrame.encode(v, java.util.List.of()))).isTrue();
        }
    }

    private static Member peer(Formats formats) {
        MemberImpl member = new MemberImpl();
        member.setPayload(new MemberPayload("jvm9", MemberState.ACTIVE, "f").withFormats(formats).encode());
        return member;
    }
}
