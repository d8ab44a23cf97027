package io.jvmroute.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmroute.deploy.harness.ClusterOf;
import io.jvmroute.deploy.harness.DeployedCluster;
import io.jvmroute.deploy.harness.DeploymentFiles;
import io.jvmroute.deploy.harness.Front;
import io.jvmroute.deploy.harness.NodeContainer;
import io.jvmroute.deploy.harness.Scenario;
import io.jvmroute.deploy.harness.ScenarioReport;
import io.jvmroute.deploy.harness.SharedClusters;
import io.jvmroute.deploy.harness.Users;
import io.jvmroute.deploy.harness.WebUser;
import io.jvmroute.deploy.harness.Waits;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 7: three nodes behind jvmroute's balancer. Kill the user's node: another takes over and renames;
 * the old id sent straight to the third node (which holds the session only under its new id) is still the
 * logged-in session, not a second copy; the killed node comes back holding it.
 */
@ExtendWith(SharedClusters.class)
@ClusterOf(nodes = 3, fronts = Front.JVMROUTE)
class ThreeNodeIT {

    @Test
    @Scenario({"7"})
    void aRenamedSessionIsFoundUnderItsOldIdOnTheThirdNode(DeployedCluster cluster) throws Exception {
        cluster.ensureHealthy(Front.JVMROUTE);
        URI app = cluster.front(Front.JVMROUTE).app();
        WebUser user = Users.next();
        String home = user.logIn(app).node();
        String oldId = user.sessionId();
        String base = Users.baseOf(oldId);
        NodeContainer victim = cluster.node(home);

        long killedAt = System.nanoTime();
        victim.kill();
        WebUser.Facts next = user.whoAmI(app);
        long gapMillis = (System.nanoTime() - killedAt) / 1_000_000;
        assertThat(next.loggedInAs(user.name())).as("the next request after the kill: %s", next).isTrue();
        Waits.until("the session renamed to the node that serves it", Duration.ofSeconds(20), () -> {
            WebUser.Facts f = user.whoAmI(app);
            assertThat(f.loggedInAs(user.name())).as("%s", f).isTrue();
            return user.sessionId().equals(base + "." + f.node());
        });
        String newId = user.sessionId();
        // The node that took the session over is the one its id names now (the first answer may have come from another).
        String heir = Users.routeOf(newId);
        NodeContainer third = cluster.nodes().stream()
                .filter(n -> !n.route().equals(home) && !n.route().equals(heir)).findFirst().orElseThrow();

        WebUser.Facts oldOnThird = WebUser.whoAmIWith(third.direct(DeploymentFiles.CONTEXT + "/"), oldId);
        assertThat(oldOnThird.loggedInAs(user.name())).as("the old id straight to %s: %s", third.route(), oldOnThird).isTrue();
        assertThat(oldOnThird.session()).as("the same session, under its current id").isEqualTo(newId);
        WebUser.Facts after = user.whoAmI(app);
        assertThat(after.loggedInAs(user.name())).as("%s", after).isTrue();
        assertThat(user.sessionId()).isEqualTo(newId);

        victim.startAgainAsync();
        Waits.until(home + " answers", Duration.ofSeconds(120), victim::serves);
        WebUser.Facts back = WebUser.whoAmIWith(victim.direct(DeploymentFiles.CONTEXT + "/"), newId);
        assertThat(back.loggedInAs(user.name())).as("the restarted %s at its first answer: %s", home, back).isTrue();
        ScenarioReport.passed("7", Front.JVMROUTE, String.format("kill -9 %s of 3: next request on %s after %d ms, renamed to .%s;"
                + " old id straight to %s: logged in, same session (%s); %s back holding it", home, next.node(), gapMillis, heir,
                third.route(), newId.substring(newId.indexOf('.')), home));
    }
}
