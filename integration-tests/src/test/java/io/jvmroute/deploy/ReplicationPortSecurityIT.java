package io.jvmroute.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmroute.deploy.harness.DeployedCluster;
import io.jvmroute.deploy.harness.DeploymentFiles;
import io.jvmroute.deploy.harness.Distribution;
import io.jvmroute.deploy.harness.Front;
import io.jvmroute.deploy.harness.NodeContainer;
import io.jvmroute.deploy.harness.Scenario;
import io.jvmroute.deploy.harness.ScenarioReport;
import io.jvmroute.deploy.harness.SharedClusters;
import io.jvmroute.deploy.harness.Users;
import io.jvmroute.deploy.harness.WebUser;
import io.jvmroute.deploy.probe.Canary;
import io.jvmroute.deploy.probe.ReplicationProbe;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 10: a machine that is not a member connects to a node's replication port, over plain TCP and over
 * TLS with a self-signed certificate naming a member's route, and sends a serialized object in a real Tribes
 * frame. Nothing is deserialized (the tripwire class stays silent), the node logs the refusals with the
 * stranger's address, and it keeps serving its logged-in user.
 */
@ExtendWith(SharedClusters.class)
class ReplicationPortSecurityIT {

    @Test
    @Scenario(value = "10", aboutBalancer = false)
    void aStrangerOnTheReplicationPortIsRefusedBeforeAnythingIsDeserialized(DeployedCluster cluster) throws Exception {
        cluster.ensureHealthy(Front.JVMROUTE);
        WebUser user = Users.next();
        String home = user.logIn(cluster.front(Front.JVMROUTE).app()).node();
        NodeContainer target = cluster.node(home);
        Path probeClasses = Path.of(ReplicationProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String logBefore = target.logs();

        String console = cluster.runStranger(Map.of(probeClasses, "/probe", Distribution.tomcatHome(), "/opt/tomcat"),
                "sh", "-c", "keytool -genkeypair -keyalg EC -alias stranger -dname CN=" + home
                        + " -validity 2 -keystore /tmp/stranger.p12 -storetype PKCS12 -storepass changeit >/dev/null 2>&1"
                        + "; java -cp '/probe:/opt/tomcat/lib/*:/opt/tomcat/bin/tomcat-juli.jar' " + ReplicationProbe.class.getName() + " " + target.ip()
                        + " " + DeploymentFiles.REPLICATION_PORT + " /tmp/stranger.p12 changeit");
        String plain = line(console, "PLAIN ");
        String selfSigned = line(console, "SELF-SIGNED ");
        String nodeLog = target.logs().substring(logBefore.length());
        WebUser.Facts after = user.whoAmI(cluster.front(Front.JVMROUTE).app());

        assertThat(nodeLog).as("the node's console").doesNotContain(Canary.TRIPPED);
        assertThat(count(nodeLog, "Refused replication connection from [" + cluster.strangerAddress()))
                .as("refusals logged with the stranger's address:\n%s", nodeLog).isGreaterThanOrEqualTo(2);
        assertThat(selfSigned).as("the self-signed attempt").containsAnyOf("refused", "connection closed");
        assertThat(after.loggedInAs(user.name())).as("the node keeps serving: %s", after).isTrue();
        assertThat(after.node()).isEqualTo(home);
        ScenarioReport.passed("10", null, "stranger " + cluster.strangerAddress() + " -> " + home + ":" + DeploymentFiles.REPLICATION_PORT
                + ": plain TCP " + plain + "; self-signed TLS " + selfSigned + "; refusals logged "
                + count(nodeLog, "Refused replication connection") + ", nothing deserialized, user still logged in on " + home);
    }

    private static String line(String console, String prefix) {
        return console.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst()
                .orElseThrow(() -> new AssertionError("the prober printed no " + prefix + "line:\n" + console));
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            n++;
        }
        return n;
    }
}
