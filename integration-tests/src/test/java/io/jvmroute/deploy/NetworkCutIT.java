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
 * healed. No login is lost (asserted); whether every node ends up holding the same state of every session is
 * checked and a difference reported as a shortfall; the summary says what users saw (errors, stale reads, renames).
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
        List<String> diverged = new ArrayList<>();
        long convergeStart = System.nanoTime();
        boolean converged = Waits.holdsWithin(Duration.ofSeconds(20), () -> {
            diverged.clear();
            for (WebUser user : affected) {
                StringBuilder copies = new StringBuilder();
                java.util.Set<String> states = new java.util.HashSet<>();
                for (NodeContainer node : cluster.nodes()) {
                    WebUser.Facts copy = WebUser.peekWith(node.direct(DeploymentFiles.CONTEXT + "/"), user.sessionId());
                    String state = copy.loggedInAs(user.name()) ? "visits=" + copy.visits() : "NOT LOGGED IN " + copy.fields();
                    states.add(state);
                    copies.append(' ').append(node.route()).append(": ").append(state);
                }
                if (states.size() > 1) {
                    diverged.add(user.name() + " (" + user.sessionId() + ")" + copies);
                }
            }
            return diverged.isEmpty();
        });
        long convergeMillis = (System.nanoTime() - convergeStart) / 1_000_000;

        assertThat(result.lostLogins()).as(result.firstProblems()).isZero();
        String figures = String.format("link of %s cut %d ms (%d users on it), healed; users saw: %s", victim.route(), cutMillis,
                affected.size(), result.figures());
        if (converged) {
            ScenarioReport.passed("6", Front.JVMROUTE, figures + "; copies equal on every node " + convergeMillis + " ms after the load stopped");
        } else {
            // Known shortfall, reported to the integrator: the healed node keeps the copies it held before the cut
            // (old ids, old state); nothing re-sends it what changed meanwhile.
            ScenarioReport.partial("6", Front.JVMROUTE, figures, diverged.size() + " session copies still differ "
                    + convergeMillis + " ms after the load stopped, e.g. " + diverged.subList(0, Math.min(4, diverged.size())));
        }
    }
}
