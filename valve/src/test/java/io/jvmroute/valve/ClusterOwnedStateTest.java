package io.jvmroute.valve;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmroute.membership.MemberState;
import io.jvmroute.membership.NodeState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.catalina.ha.tcp.SimpleTcpCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Under a cluster that owns the node's state (jvmroute's RouteCluster implements {@link NodeState}), the valve
 * keeps no state of its own: it drains through the cluster and reads the cluster's state, so a drain or an
 * activate from the cluster's JMX or its shutdown hook is the valve's too.
 */
class ClusterOwnedStateTest {

    /** A cluster as RouteCluster is to the valve: the owner of the state, recording what it was asked to publish. */
    static final class OwningCluster extends SimpleTcpCluster implements NodeState {
        private volatile MemberState state = MemberState.ACTIVE;
        final List<MemberState> published = new CopyOnWriteArrayList<>();

        @Override
        public MemberState state() {
            return state;
        }

        @Override
        public boolean changeState(MemberState newState) {
            state = newState;
            published.add(newState);
            return true;
        }
    }

    private final ValveHarness harness = new ValveHarness("owned", "n1");
    private final OwningCluster cluster = new OwningCluster();

    @AfterEach
    void stop() throws Exception {
        harness.stop();
    }

    @Test
    void theValveDrainsThroughTheClusterAndReadsItsState() throws Exception {
        harness.engine.setCluster(cluster);
        harness.start();
        assertThat(cluster.published).isEmpty(); // an active valve leaves the cluster's payload alone

        harness.valve.startDraining();
        assertThat(cluster.state()).isEqualTo(MemberState.DRAINING);

        cluster.changeState(MemberState.ACTIVE); // RouteCluster.activate over JMX
        assertThat(harness.valve.isDraining()).isFalse();

        cluster.changeState(MemberState.DRAINING); // RouteCluster.drain, or its drain before a shutdown
        assertThat(harness.valve.isDraining()).isTrue();

        harness.valve.stopDraining();
        assertThat(cluster.state()).isEqualTo(MemberState.ACTIVE);
        assertThat(cluster.published).containsExactly(MemberState.DRAINING, MemberState.ACTIVE,
                MemberState.DRAINING, MemberState.ACTIVE);
    }

    @Test
    void aValveConfiguredDrainingStartsTheClustersDrain() throws Exception {
        harness.engine.setCluster(cluster);
        harness.valve.setDraining(true); // <Valve draining="true">
        harness.start();
        assertThat(cluster.state()).isEqualTo(MemberState.DRAINING);
        assertThat(harness.valve.isDraining()).isTrue();
    }
}
