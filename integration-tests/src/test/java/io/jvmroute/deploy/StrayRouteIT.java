package io.jvmroute.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmroute.deploy.harness.DeployedCluster;
import io.jvmroute.deploy.harness.DeploymentFiles;
import io.jvmroute.deploy.harness.Front;
import io.jvmroute.deploy.harness.NodeContainer;
import io.jvmroute.deploy.harness.Scenario;
import io.jvmroute.deploy.harness.ScenarioReport;
import io.jvmroute.deploy.harness.SharedClusters;
import io.jvmroute.deploy.harness.Users;
import io.jvmroute.deploy.harness.WebUser;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 8: a request carrying a logged-in user's id with its (live) node's route, sent straight to another
 * live node — a stray, a retry, a hostile client — does not rename the session, so the user stays logged in.
 */
@ExtendWith(SharedClusters.class)
class StrayRouteIT {

    @Test
    @Scenario(value = "8", aboutBalancer = false)
    void aStrayRequestToAnotherLiveNodeDoesNotLogTheUserOut(DeployedCluster cluster) throws Exception {
        cluster.ensureHealthy(Front.JVMROUTE);
        URI app = cluster.front(Front.JVMROUTE).app();
        WebUser user = Users.next();
        String home = user.logIn(app).node();
        String id = user.sessionId();
        NodeContainer other = cluster.nodes().stream().filter(n -> !n.route().equals(home)).findFirst().orElseThrow();

        WebUser.Facts stray = WebUser.whoAmIWith(other.direct(DeploymentFiles.CONTEXT + "/"), id);
        WebUser.Facts after = user.whoAmI(app);

        assertThat(stray.loggedInAs(user.name())).as("the stray request itself: %s", stray).isTrue();
        assertThat(stray.setCookie()).as("the stray request is not given a renamed cookie").isNull();
        assertThat(after.loggedInAs(user.name())).as("the user's next request: %s", after).isTrue();
        assertThat(after.node()).isEqualTo(home);
        assertThat(user.sessionId()).as("the user's id is unchanged").isEqualTo(id);
        assertThat(after.session()).as("the home node still holds the session under its id").isEqualTo(id);
        ScenarioReport.passed("8", null, "id ." + home + " sent straight to " + other.route() + ": served logged in, no rename;"
                + " the user's next request on " + home + " logged in, same id, visits " + after.visits());
    }
}
