package io.jvmroute.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmroute.deploy.harness.DeployedCluster;
import io.jvmroute.deploy.harness.Front;
import io.jvmroute.deploy.harness.NodeContainer;
import io.jvmroute.deploy.harness.Scenario;
import io.jvmroute.deploy.harness.ScenarioReport;
import io.jvmroute.deploy.harness.SharedClusters;
import io.jvmroute.deploy.harness.SteadyLoad;
import io.jvmroute.deploy.harness.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 5: a rolling restart under the load of scenario 3, each node in turn stopped with a plain
 * {@code shutdown.sh} (it drains first) and started again, through jvmroute's balancer: 0 lost logins and 0
 * failed requests of logged-in users (asserted); failed new logins and stale reads are reported as a shortfall.
 */
@ExtendWith(SharedClusters.class)
class RollingRestartUnderLoadIT {

    @Test
    @Scenario({"5"})
    void aRollingRestartWithShutdownShLosesNobody(DeployedCluster cluster) throws Exception {
        cluster.ensureHealthy(Front.JVMROUTE);
        List<String> steps = new ArrayList<>();
        try (SteadyLoad load = SteadyLoad.start(cluster.front(Front.JVMROUTE).app(), KillUnderLoadIT.USERS)) {
            Waits.until("the load runs", Duration.ofSeconds(30), () -> load.requests() > 200);
            for (NodeContainer node : cluster.nodes()) {
                int users = load.usersOn(node.route()).size();
                Duration stop = node.shutdown();
                Duration start = node.restart();
                Duration rotation = cluster.awaitInRotation(Front.JVMROUTE, Duration.ofSeconds(60));
                steps.add(String.format("%s (%d users): shutdown.sh %d ms, start %d ms, in rotation +%d ms", node.route(), users,
                        stop.toMillis(), start.toMillis(), rotation.toMillis()));
            }
            long mark = load.requests();
            Waits.until("the load runs on the restarted cluster", Duration.ofSeconds(30), () -> load.requests() > mark + 200);
            SteadyLoad.Result result = load.stop(List.of());

            assertThat(result.lostLogins()).as(result.firstProblems()).isZero();
            assertThat(result.failures()).as(result.firstProblems()).isZero();
            String figures = String.join("; ", steps) + ": " + result.figures();
            if (result.loginFailures() == 0 && result.staleReads() == 0) {
                ScenarioReport.passed("5", Front.JVMROUTE, figures);
            } else {
                // Known shortfalls, reported to the integrator: (1) a new user's login POST the balancer sent to the
                // stopping node on a pooled connection the node closed is answered 502 (not retried: not idempotent;
                // the balancer does not know the node drains); (2) the drain hands a user to the peer before the last
                // change of their session reached it, so the next answer shows an older visit count.
                ScenarioReport.partial("5", Front.JVMROUTE, figures, result.loginFailures() + " new login(s) failed, "
                        + result.staleReads() + " stale read(s): " + result.firstProblems().replace('\n', ' '));
            }
        }
    }
}
