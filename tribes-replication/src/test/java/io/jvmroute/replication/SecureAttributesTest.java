package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.tomcat.util.IntrospectionUtils;
import org.junit.jupiter.api.Test;

/** The secure replication attributes, as `jvmroute gen` writes them, take through server.xml's Digester. */
class SecureAttributesTest {

    @Test
    void everySecureReplicationAttributeIsSet() {
        RouteCluster cluster = new RouteCluster();
        assertThat(IntrospectionUtils.setProperty(cluster, "certificateFile", "/opt/tomcat/conf/tls/jvm1.crt")).isTrue();
        assertThat(IntrospectionUtils.setProperty(cluster, "certificateKeyFile", "/opt/tomcat/conf/tls/jvm1.key")).isTrue();
        assertThat(IntrospectionUtils.setProperty(cluster, "caCertificateFile", "/opt/tomcat/conf/tls/ca.crt")).isTrue();
        assertThat(IntrospectionUtils.setProperty(cluster, "allowedClasses", "org.apache.cloudstack.**, com.example.Foo"))
                .isTrue();
        assertThat(IntrospectionUtils.setProperty(cluster, "verifyPeerRoute", "false")).isTrue();
        assertThat(IntrospectionUtils.setProperty(cluster, "certificateExpiryWarningDays", "45")).isTrue();
        assertThat(IntrospectionUtils.setProperty(new RouteCluster(), "insecure", "true")).isTrue();

        assertThat(cluster.secureReplication().getOperatorAllowedClasses())
                .isEqualTo("org.apache.cloudstack.**, com.example.Foo");
        assertThat(cluster.secureReplication().getAllowedClasses()).contains("org.apache.cloudstack.**");
        assertThat(cluster.secureReplication().isVerifyPeerRoute()).isFalse();
        assertThat(cluster.secureReplication().getCertificateExpiryWarningDays()).isEqualTo(45);
    }
}
