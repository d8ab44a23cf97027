package io.jvmroute.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmroute.deploy.harness.DeployedCluster;
import io.jvmroute.deploy.harness.DeploymentFiles;
import io.jvmroute.deploy.harness.Front;
import io.jvmroute.deploy.harness.NodeContainer;
import io.jvmroute.deploy.harness.Scenario;
import io.jvmroute.deploy.harness.ScenarioReport;
import io.jvmroute.deploy.harness.SharedClusters;
import io.jvmroute.deploy.harness.SteadyLoad;
import io.jvmroute.deploy.harness.Users;
import io.jvmroute.deploy.harness.WebUser;
import io.jvmroute.deploy.harness.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 6: under load through jvmroute's balancer, the link of the node with the most users is cut (inside
 * its network namespace; the node lives on) until its users have been taken over and renamed by the peer, then
 * healed. No login is lost, every node ends up holding the same state of every session, and the summary says
 * what users saw (errors, stale reads, renames).
 */
@ExtendWith(SharedClusters.class)
class NetworkCutIT {

    @Test
    @Scenario({"6"})
    void aCutNodeLosesNoSessionAndTheCopiesConvergeAfterTheHeal(DeployedCluster cluster) throws Exception {
        cluster.ensureHealthy(Front.JVMROUTE);
        SteadyLoad.Result result;
        List<WebUser> affected;
        NodeContainer victim;
        long cutMillis;
        try (SteadyLoad load = SteadyLoad.start(cluster.front(Front.JVMROUTE).app(), KillUnderLoadIT.USERS)) {
            Waits.until("the load runs", Duration.ofSeconds(30), () -> load.requests() > 200);
            victim = cluster.nodes().stream()
                    .max(java.util.Comparator.comparingInt(n -> load.usersOn(n.route()).size())).orElseThrow();
            affected = load.usersOn(victim.route());
            long cutAt = System.nanoTime();
            victim.cutLink();
            // Longer than failure detection: until the peer has taken over (renamed) every affected user. Requests
            // that were in flight to the cut node wait for the balancer's response_timeout (60 s by default) first.
            Waits.until("the cut node's users are renamed to a peer", Duration.ofSeconds(150), () ->
                    affected.stream().noneMatch(u -> Users.routeOf(u.sessionId()).equals(victim.route())));
            cutMillis = (System.nanoTime() - cutAt) / 1_000_000;
            victim.healLink();
            cluster.awaitInRotation(Front.JVMROUTE, Duration.ofSeconds(60));
            long mark = load.requests();
            Waits.until("the load runs on the healed cluster", Duration.ofSeconds(30), () -> load.requests() > mark + 300);
            result = load.stop(affected);
        }
        List<WebUser> everyone = new ArrayList<>(affected);
        long convergeStart = System.nanoTime();
        List<String> diverged = new ArrayList<>();
        Waits.until("every node holds the same state of the affected users' sessions", Duration.ofSeconds(30), () -> {
            diverged.clear();
            for (WebUser user : everyone) {
                Integer visits = null;
                for (NodeContainer node : cluster.nodes()) {
                    WebUser.Facts copy = WebUser.peekWith(node.direct(DeploymentFiles.CONTEXT + "/"), user.sessionId());
                    if (!copy.loggedInAs(user.name()) || (visits != null && visits != copy.visits())) {
                        diverged.add(user.name() + " on " + node.route() + ": " + copy);
                    }
                    visits = copy.visits();
                }
            }
            return diverged.isEmpty();
        });
        long convergeMillis = (System.nanoTime() - convergeStart) / 1_000_000;

        assertThat(result.lostLogins()).as(result.firstProblems()).isZero();
        ScenarioReport.passed("6", Front.JVMROUTE, String.format("link of %s cut %d ms (%d users on it), healed; copies equal on"
                + " every node %d ms after the load stopped; users saw: %s", victim.route(), cutMillis, affected.size(),
                convergeMillis, result.figures()));
    }
}
