package io.jvmroute.valve;

import static io.jvmroute.membership.MemberState.ACTIVE;
import static io.jvmroute.membership.MemberState.DRAINING;
import static org.assertj.core.api.Assertions.assertThat;

import io.jvmroute.route.ParsedId;
import io.jvmroute.route.SessionId;
import io.jvmroute.valve.RoutePlanner.Action;
import io.jvmroute.valve.RoutePlanner.Plan;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutePlannerTest {

    private static final ClusterView N2_ACTIVE_N3_DRAINING = ClusterView.of(Map.of("n2", ACTIVE, "n3", DRAINING));
    private final RoutePlanner failover = new RoutePlanner("n1", RewritePolicy.FAILOVER);

    private static SessionId id(String text) {
        return ((ParsedId.Usable) SessionId.parse(text)).sessionId();
    }

    private static Plan plan(RoutePlanner planner, String id, boolean draining, String header) {
        return planner.plan(id(id), N2_ACTIVE_N3_DRAINING, draining, true, header);
    }

    @Test
    void aSessionOfALiveActiveNodeIsServedWithoutRenaming() {
        assertThat(plan(failover, "A.n2", false, null)).isEqualTo(new Plan(Action.KEEP, id("A.n2")));
    }

    @Test
    void aSessionOfADrainingGoneOrRoutelessNodeIsTakenOver() {
        assertThat(plan(failover, "A.n3", false, null)).isEqualTo(new Plan(Action.TAKE_OVER, id("A.n1")));
        assertThat(plan(failover, "A.n7", false, null)).isEqualTo(new Plan(Action.TAKE_OVER, id("A.n1")));
        assertThat(plan(failover, "A", false, null)).isEqualTo(new Plan(Action.TAKE_OVER, id("A.n1")));
    }

    @Test
    void aTrustedFailoverHeaderNamingTheRouteTakesALiveNodesSessionOver() {
        assertThat(plan(failover, "A.n2", false, "n2").action()).isEqualTo(Action.TAKE_OVER);
        assertThat(plan(failover, "A.n2", false, "n5").action()).isEqualTo(Action.KEEP);
    }

    @Test
    void thePolicyAlwaysAndNeverIgnoreTheCluster() {
        assertThat(plan(new RoutePlanner("n1", RewritePolicy.ALWAYS), "A.n2", false, null).action()).isEqualTo(Action.TAKE_OVER);
        assertThat(plan(new RoutePlanner("n1", RewritePolicy.NEVER), "A.n7", false, "n7").action()).isEqualTo(Action.KEEP);
    }

    @Test
    void aDrainingNodeMigratesItsReplicatedSessionsToAnActivePeer() {
        assertThat(plan(failover, "A.n1", true, null)).isEqualTo(new Plan(Action.MIGRATE, id("A.n2")));
        assertThat(failover.plan(id("A.n1"), N2_ACTIVE_N3_DRAINING, true, false, null).action()).isEqualTo(Action.KEEP);
        assertThat(failover.plan(id("A.n1"), ClusterView.of(Map.of("n3", DRAINING)), true, true, null).action())
                .isEqualTo(Action.KEEP);
        assertThat(plan(failover, "A.n1", false, null).action()).isEqualTo(Action.KEEP);
    }

    @Test
    void aDrainingNodeHandsAFailedNodesSessionStraightToAnActivePeer() {
        assertThat(plan(failover, "A.n7", true, null)).isEqualTo(new Plan(Action.TAKE_OVER, id("A.n2")));
    }
}
