package io.jvmroute.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmroute.deploy.harness.DeployedCluster;
import io.jvmroute.deploy.harness.Front;
import io.jvmroute.deploy.harness.NodeContainer;
import io.jvmroute.deploy.harness.Scenario;
import io.jvmroute.deploy.harness.ScenarioReport;
import io.jvmroute.deploy.harness.SharedClusters;
import io.jvmroute.deploy.harness.SteadyLoad;
import io.jvmroute.deploy.harness.WebUser;
import io.jvmroute.deploy.harness.Waits;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 3: under steady load (20 users polling, new logins) through jvmroute's balancer, {@code docker kill}
 * of the node with the most users: nobody is logged out, no idempotent request fails; each affected user's gap.
 */
@ExtendWith(SharedClusters.class)
class KillUnderLoadIT {

    static final int USERS = 20;

    @Test
    @Scenario({"3"})
    void aKillUnderLoadLosesNoLoginAndFailsNoRequest(DeployedCluster cluster) throws Exception {
        cluster.ensureHealthy(Front.JVMROUTE);
        try (SteadyLoad load = SteadyLoad.start(cluster.front(Front.JVMROUTE).app(), USERS)) {
            Waits.until("the load runs", Duration.ofSeconds(30), () -> load.requests() > 200);
            NodeContainer victim = cluster.nodes().stream()
                    .max(Comparator.comparingInt(n -> load.usersOn(n.route()).size())).orElseThrow();
            List<WebUser> affected = load.usersOn(victim.route());
            long[] answersAtKill = affected.stream().mapToLong(load::answers).toArray();

            victim.kill();
            // Every affected user has been answered 20 more times: their failover is behind them.
            Waits.until("the affected users are served again", Duration.ofSeconds(60), () -> {
                for (int i = 0; i < affected.size(); i++) {
                    if (load.answers(affected.get(i)) < answersAtKill[i] + 20) {
                        return false;
                    }
                }
                return true;
            });
            SteadyLoad.Result result = load.stop(affected);

            assertThat(result.lostLogins()).as(result.firstProblems()).isZero();
            assertThat(result.failures()).as(result.firstProblems()).isZero();
            assertThat(result.loginFailures()).as(result.firstProblems()).isZero();
            ScenarioReport.passed("3", Front.JVMROUTE, "kill -9 " + victim.route() + " (" + affected.size() + " of " + USERS
                    + " users on it): " + result.figures());
        }
    }
}
