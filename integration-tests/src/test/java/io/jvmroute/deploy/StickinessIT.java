package io.jvmroute.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmroute.deploy.harness.DeployedCluster;
import io.jvmroute.deploy.harness.Front;
import io.jvmroute.deploy.harness.FrontContainer;
import io.jvmroute.deploy.harness.Scenario;
import io.jvmroute.deploy.harness.ScenarioReport;
import io.jvmroute.deploy.harness.SharedClusters;
import io.jvmroute.deploy.harness.Users;
import io.jvmroute.deploy.harness.WebUser;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Scenario 1 (and its part of 9): without a cookie requests spread over every node; after a login they stick. */
@ExtendWith(SharedClusters.class)
class StickinessIT {

    private static final int REQUESTS = 20;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Front.class)
    @Scenario({"1"})
    void withoutACookieRequestsSpreadAndAfterALoginTheyStick(Front front, DeployedCluster cluster) throws Exception {
        cluster.ensureHealthy(front);
        FrontContainer balancer = cluster.front(front);

        Map<String, Integer> anonymous = new TreeMap<>();
        for (int i = 0; i < REQUESTS; i++) {
            anonymous.merge(String.valueOf(balancer.ping()), 1, Integer::sum);
        }
        WebUser user = Users.next();
        String home = user.logIn(balancer.app()).node();
        Map<String, Integer> loggedIn = new TreeMap<>();
        for (int i = 0; i < REQUESTS; i++) {
            WebUser.Facts facts = user.whoAmI(balancer.app());
            assertThat(facts.loggedInAs(user.name())).as("request %d after the login: %s", i, facts).isTrue();
            loggedIn.merge(facts.node(), 1, Integer::sum);
        }

        assertThat(anonymous.keySet()).as("nodes that served requests without a cookie")
                .containsExactlyInAnyOrderElementsOf(cluster.nodes().stream().map(n -> n.route()).toList());
        assertThat(loggedIn).as("nodes that served the logged-in user").containsOnlyKeys(home);
        assertThat(Users.routeOf(user.sessionId())).as("the session id names the node that serves it").isEqualTo(home);
        ScenarioReport.passed("1", front, "no cookie: " + REQUESTS + " requests " + anonymous + "; after login: "
                + REQUESTS + "/" + REQUESTS + " on " + home + " (id route " + home + "), 0 failures");
    }
}
