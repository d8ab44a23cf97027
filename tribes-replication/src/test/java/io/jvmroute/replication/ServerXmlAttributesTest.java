package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.tomcat.util.IntrospectionUtils;
import org.junit.jupiter.api.Test;

/** server.xml's Digester sets attributes through IntrospectionUtils: every documented attribute must take. */
class ServerXmlAttributesTest {

    @Test
    void everyAttributeOfTheClusterElementIsSet() {
        RouteCluster cluster = new RouteCluster();
        assertThat(IntrospectionUtils.setProperty(cluster, "members", "jvm1=10.0.0.1:4000,jvm2=10.0.0.2:4000")).isTrue();
        assertThat(IntrospectionUtils.setProperty(cluster, "loginAttributes", "userid, sessionkey")).isTrue();
        assertThat(IntrospectionUtils.setProperty(cluster, "replicate", "login")).isTrue();
        assertThat(IntrospectionUtils.setProperty(cluster, "drainOnShutdown", "5000")).isTrue();
        assertThat(IntrospectionUtils.setProperty(cluster, "lanes", "8")).isTrue();
        assertThat(IntrospectionUtils.setProperty(cluster, "maxBatch", "32")).isTrue();

        assertThat(cluster.getMemberList()).isEqualTo("jvm1=10.0.0.1:4000,jvm2=10.0.0.2:4000");
        assertThat(cluster.getLoginAttributes()).isEqualTo("sessionkey,userid");
        assertThat(cluster.getReplicate()).isEqualTo("login");
        assertThat(cluster.getDrainOnShutdown()).isEqualTo(5000);
        assertThat(cluster.getLanes()).isEqualTo(8);
        assertThat(cluster.getMaxBatch()).isEqualTo(32);
    }

    @Test
    void managerAttributesAreSetOnTheManagerElement() {
        RouteManager manager = new RouteManager();
        assertThat(IntrospectionUtils.setProperty(manager, "ackTimeout", "2000")).isTrue();
        assertThat(IntrospectionUtils.setProperty(manager, "stateTransferRetries", "5")).isTrue();
        assertThat(manager.getAckTimeout()).isEqualTo(2000);
        assertThat(manager.getStateTransferRetries()).isEqualTo(5);
    }
}
