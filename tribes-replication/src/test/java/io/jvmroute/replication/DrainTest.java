package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvmroute.membership.MemberPayload;
import io.jvmroute.membership.MemberState;
import io.jvmroute.membership.NodeState;
import io.jvmroute.testsupport.FreePorts;
import io.jvmroute.testsupport.Http;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.catalina.tribes.Member;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Draining is published in the membership payload, driven over JMX and by a normal shutdown. */
class DrainTest {

    private static final String A = "127.0.0.11";
    private static final String B = "127.0.0.12";

    private TestNode jvm1;
    private TestNode jvm2;

    @AfterEach
    void stopNodes() {
        if (jvm1 != null) {
            jvm1.close();
        }
        if (jvm2 != null) {
            jvm2.close();
        }
    }

    private void startCluster(long drainOnShutdownMillis) throws Exception {
        FreePorts.retryOnLostPort(started -> {
            int port = FreePorts.on(A, B);
            String members = "jvm1=" + A + ":" + port + ",jvm2=" + B + ":" + port;
            jvm1 = started.add(TestNode.start("jvm1", A, c -> {
                c.setMembers(members);
                c.setDrainOnShutdown(drainOnShutdownMillis);
            }));
            jvm2 = started.add(TestNode.start("jvm2", B, c -> c.setMembers(members)));
            return null;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> stateOfJvm1SeenByJvm2().isPresent());
    }

    private Optional<MemberState> stateOfJvm1SeenByJvm2() {
        for (Member member : jvm2.cluster.getMembers()) {
            Optional<MemberPayload> payload = MemberPayload.decode(member.getPayload()).payload();
            if (payload.isPresent() && payload.get().route().equals("jvm1")) {
                return Optional.of(payload.get().state());
            }
        }
        return Optional.empty();
    }

    @Test
    void theJmxDrainOperationIsSeenByPeersAndCanBeUndone() throws Exception {
        startCluster(0);
        assertThat(stateOfJvm1SeenByJvm2()).contains(MemberState.ACTIVE);
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("Engine-jvm1:type=Cluster");
        assertThat(jmx.getAttribute(name, "localRoute")).isEqualTo("jvm1");

        jmx.invoke(name, "drain", null, null);

        assertThat(jmx.getAttribute(name, "draining")).isEqualTo(Boolean.TRUE);
        await().atMost(Duration.ofSeconds(10)).until(() -> stateOfJvm1SeenByJvm2().equals(Optional.of(MemberState.DRAINING)));
        Http.get(jvm1.url("/login?user=alice"), null);
        assertThat((String[]) jmx.getAttribute(name, "peerMetrics")).singleElement().asString()
                .startsWith("jvm2 state=active").containsPattern("messagesSent=[1-9]").containsPattern("acks=[1-9]")
                .containsPattern("bytesSent=[1-9]").containsPattern("bytesReceived=[1-9]");
        assertThat(jmx.getAttribute(name, "sessionsPrimary")).isEqualTo(1);
        assertThat(jmx.getAttribute(name, "replicationLagMillis")).isInstanceOf(Long.class);
        assertThat(jmx.getAttribute(new ObjectName("Engine-jvm2:type=Cluster"), "sessionsBackup")).isEqualTo(1);

        jmx.invoke(name, "activate", null, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> stateOfJvm1SeenByJvm2().equals(Optional.of(MemberState.ACTIVE)));
    }

    /**
     * The cluster owns the node's state: a drain the valve starts (through {@link NodeState}, as it finds the
     * cluster) shows in the cluster's JMX, the cluster's activate ends it for the valve too, and a JMX drain is
     * what the valve reads. Peers see each change.
     */
    @Test
    void theValveAndTheClustersJmxChangeOneState() throws Exception {
        startCluster(0);
        NodeState seenByTheValve = jvm1.cluster;
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("Engine-jvm1:type=Cluster");

        assertThat(seenByTheValve.changeState(MemberState.DRAINING)).isTrue(); // JvmRouteValve.startDraining
        assertThat(jmx.getAttribute(name, "draining")).isEqualTo(Boolean.TRUE);
        await().atMost(Duration.ofSeconds(10)).until(() -> stateOfJvm1SeenByJvm2().equals(Optional.of(MemberState.DRAINING)));

        jmx.invoke(name, "activate", null, null);
        assertThat(seenByTheValve.state()).isEqualTo(MemberState.ACTIVE);
        await().atMost(Duration.ofSeconds(10)).until(() -> stateOfJvm1SeenByJvm2().equals(Optional.of(MemberState.ACTIVE)));

        jmx.invoke(name, "drain", null, null);
        assertThat(seenByTheValve.state()).isEqualTo(MemberState.DRAINING);
        await().atMost(Duration.ofSeconds(10)).until(() -> stateOfJvm1SeenByJvm2().equals(Optional.of(MemberState.DRAINING)));
        // The published payload keeps what peers compare: route and settings fingerprint.
        assertThat(MemberPayload.decode(jvm1.cluster.getLocalMember().getPayload()).payloadOrNull())
                .isEqualTo(new MemberPayload("jvm1", MemberState.DRAINING, jvm1.cluster.getSettingsFingerprint()));
    }

    /** The valve publishes the node's front addresses; a state change by the cluster keeps them (balancers read them). */
    @Test
    void aStateChangeKeepsTheFrontAddressesTheValvePublished() throws Exception {
        startCluster(0);
        org.apache.catalina.tribes.Member local = jvm1.cluster.getLocalMember();
        MemberPayload withFront = MemberPayload.decode(local.getPayload()).payloadOrNull().withFront("127.0.0.11:8080", "127.0.0.11:8009");
        local.setPayload(withFront.encode()); // what JvmRouteValve does once the connectors are bound

        assertThat(jvm1.cluster.changeState(MemberState.DRAINING)).isTrue();

        assertThat(MemberPayload.decode(local.getPayload()).payloadOrNull()).isEqualTo(withFront.withState(MemberState.DRAINING));
    }

    @Test
    void aNormalShutdownDrainsFirstWhileStillServing() throws Exception {
        startCluster(60_000);
        String id = Http.get(jvm1.url("/login?user=alice"), null).body();

        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(jvm1::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> stateOfJvm1SeenByJvm2().equals(Optional.of(MemberState.DRAINING)));
        assertThat(shutdown).isNotDone();
        assertThat(Http.get(jvm1.url("/whoami"), id).body()).startsWith("userid=alice");

        jvm1.cluster.activate(); // an operator (or the test) may end the drain early
        shutdown.get();
        jvm1 = null;
        assertThat(Http.get(jvm2.url("/whoami"), id).body()).startsWith("userid=alice");
    }
}
