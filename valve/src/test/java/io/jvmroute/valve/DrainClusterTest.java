package io.jvmroute.valve;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmroute.testsupport.Http;
import java.lang.management.ManagementFactory;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** A draining node hands each user's session to an active peer on their next request, driven through JMX. */
class DrainClusterTest {

    @Test
    void aDrainingNodeMovesEachUserToAnActivePeerOnTheirNextRequest() throws Exception {
        try (TestCluster cluster = TestCluster.start(2)) {
            ClusterNode node1 = cluster.node(1);
            ClusterNode node2 = cluster.node(2);
            String id = Http.get(node1.baseUrl() + "/s/login?user=" + TestApp.USER, null).newId();
            cluster.awaitReplicated(id, TestApp.USER, 2);
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName valveName = valveMBean(server, node1);

            server.invoke(valveName, "startDraining", null, null);
            assertThat(server.getAttribute(valveName, "draining")).isEqualTo(Boolean.TRUE);
            cluster.awaitStatus(node2, "n1", ClusterView.RouteStatus.DRAINING);

            Http.Reply moved = Http.get(node1.baseUrl() + "/s/whoami", id);
            String idOnN2 = id.substring(0, id.indexOf('.')) + ".n2";
            assertThat(moved.newId()).isEqualTo(idOnN2);
            assertThat(moved.body()).isEqualTo("session=" + idOnN2 + " user=" + TestApp.USER);
            assertThat(server.getAttribute(valveName, "migrations")).isEqualTo(1L);

            Http.Reply next = Http.get(node2.baseUrl() + "/s/whoami", idOnN2);
            assertThat(next.body()).isEqualTo("session=" + idOnN2 + " user=" + TestApp.USER);
            assertThat(next.newId()).isNull();

            Http.Reply newcomer = Http.get(node1.baseUrl() + "/s/login?user=bob", null);
            assertThat(newcomer.body()).startsWith("session=").endsWith(".n1 user=bob");

            server.invoke(valveName, "stopDraining", null, null);
            cluster.awaitStatus(node2, "n1", ClusterView.RouteStatus.ACTIVE);
        }
    }

    private static ObjectName valveMBean(MBeanServer server, ClusterNode node) throws Exception {
        String domain = node.valve.getDomain();
        Set<ObjectName> names = server.queryNames(new ObjectName(domain + ":type=Valve,name=JvmRouteValve,*"), null);
        assertThat(names).hasSize(1);
        return names.iterator().next();
    }
}
