package io.jvmroute.valve;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmroute.membership.MemberPayload;
import io.jvmroute.membership.MemberState;
import io.jvmroute.testsupport.LogCapture;
import java.util.logging.Level;
import org.apache.catalina.tribes.membership.MemberImpl;
import org.junit.jupiter.api.Test;

class ClusterMembershipTest {

    private final ClusterMembership membership = new ClusterMembership(null, "n1");

    private static MemberImpl member(String route) throws Exception {
        MemberImpl member = new MemberImpl("127.0.0.1", 4000, 0);
        member.setPayload(MemberPayload.of(route, MemberState.ACTIVE).encode());
        return member;
    }

    @Test
    void routesOfMembersThatLeftStayCandidatesAfterThisNodesOwn() throws Exception {
        membership.memberAdded(member("n2"));
        membership.memberDisappeared(member("n2"));

        assertThat(membership.candidateRoutes(ClusterView.EMPTY)).containsExactly("n1", "n2");
    }

    @Test
    void rememberedRoutesAreBounded() {
        for (int i = 0; i < ClusterMembership.MAX_REMEMBERED_ROUTES + 10; i++) {
            membership.remember("r" + i);
        }
        assertThat(membership.candidateRoutes(ClusterView.EMPTY))
                .hasSize(ClusterMembership.MAX_REMEMBERED_ROUTES + 1)
                .startsWith("n1")
                .doesNotContain("r0")
                .endsWith("r" + (ClusterMembership.MAX_REMEMBERED_ROUTES + 9));
    }

    @Test
    void aMemberClaimingThisNodesRouteIsReported() throws Exception {
        try (LogCapture log = LogCapture.juli(ClusterMembership.class, Level.WARNING)) {
            membership.memberAdded(member("n2"));
            membership.memberAdded(member("n1"));

            assertThat(log.messages()).singleElement().asString().contains("[n1]", "unique jvmRoute");
        }
    }
}
