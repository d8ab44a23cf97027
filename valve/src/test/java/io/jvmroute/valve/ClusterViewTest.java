package io.jvmroute.valve;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmroute.membership.MemberPayload;
import io.jvmroute.membership.MemberState;
import io.jvmroute.valve.ClusterView.RouteStatus;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.membership.MemberImpl;
import org.junit.jupiter.api.Test;

class ClusterViewTest {

    private static Member member(int port, byte[] payload) throws Exception {
        MemberImpl member = new MemberImpl("127.0.0.1", port, 0);
        member.setPayload(payload);
        return member;
    }

    @Test
    void membersAreKnownByTheRouteAndStateTheyPublish() throws Exception {
        ClusterView view = ClusterView.fromMembers(new Member[] {
            member(4001, MemberPayload.of("n2", MemberState.ACTIVE).encode()),
            member(4002, MemberPayload.of("n3", MemberState.DRAINING).encode()),
            member(4003, null),
            member(4004, new byte[] {1, 2, 3}) });

        assertThat(view.status("n2")).isEqualTo(RouteStatus.ACTIVE);
        assertThat(view.status("n3")).isEqualTo(RouteStatus.DRAINING);
        assertThat(view.status("n4")).isEqualTo(RouteStatus.UNKNOWN);
        assertThat(view.routes()).containsExactly("n2", "n3");
    }

    @Test
    void peersArePickedAmongActiveRoutesOnlyStablyPerKeyAndSpreadOverKeys() {
        ClusterView view = ClusterView.of(Map.of("n1", MemberState.ACTIVE, "n2", MemberState.ACTIVE,
                "n3", MemberState.ACTIVE, "n4", MemberState.DRAINING));
        Set<String> picked = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String key = "BASE" + i;
            String peer = view.pickActiveRoute(key, "n1");
            assertThat(view.pickActiveRoute(key, "n1")).isEqualTo(peer);
            picked.add(peer);
        }
        assertThat(picked).containsExactlyInAnyOrder("n2", "n3");
        assertThat(ClusterView.EMPTY.pickActiveRoute("BASE", "n1")).isNull();
    }
}
