package io.jvmroute.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmroute.deploy.harness.DeployedCluster;
import io.jvmroute.deploy.harness.DeploymentFiles;
import io.jvmroute.deploy.harness.Front;
import io.jvmroute.deploy.harness.FrontContainer;
import io.jvmroute.deploy.harness.NodeContainer;
import io.jvmroute.deploy.harness.Scenario;
import io.jvmroute.deploy.harness.ScenarioReport;
import io.jvmroute.deploy.harness.SharedClusters;
import io.jvmroute.deploy.harness.Users;
import io.jvmroute.deploy.harness.Waits;
import io.jvmroute.deploy.harness.WebUser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scenarios 2 and 4 (and their part of 9): {@code docker kill} of the node a user sticks to, with 20 requests
 * carrying the old id fired at that moment; then the node is started again and must hold every session before
 * it answers, and be back in the balancer's rotation within seconds.
 */
@ExtendWith(SharedClusters.class)
class KillAndRestartIT {

    private static final int PARALLEL = 20;
    private static final int USERS = 8;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Front.class)
    @Scenario({"2", "4"})
    void aKilledNodesUsersStayLoggedInAndItComesBackWithEverySession(Front front, DeployedCluster cluster) throws Exception {
        cluster.ensureHealthy(front);
        FrontContainer balancer = cluster.front(front);
        WebUser user = Users.next();
        WebUser.Facts before = user.logIn(balancer.app());
        String home = before.node();
        String oldId = user.sessionId();
        List<WebUser> others = Users.next(USERS);
        for (WebUser other : others) {
            other.logIn(balancer.app());
        }
        NodeContainer victim = cluster.node(home);

        // 20 requests with the old id released together with the kill.
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL + 1);
        List<WebUser.Facts> parallel;
        long killedAt;
        AtomicLong slowest = new AtomicLong();
        try {
            CyclicBarrier go = new CyclicBarrier(PARALLEL + 1);
            List<CompletableFuture<WebUser.Facts>> answers = new ArrayList<>();
            for (int i = 0; i < PARALLEL; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await(10, TimeUnit.SECONDS);
                        WebUser.Facts facts = WebUser.whoAmIWith(balancer.app(), oldId);
                        slowest.accumulateAndGet(System.nanoTime(), Math::max);
                        return facts;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            go.await(10, TimeUnit.SECONDS);
            killedAt = System.nanoTime();
            victim.kill();
            parallel = new ArrayList<>();
            for (CompletableFuture<WebUser.Facts> answer : answers) {
                parallel.add(answer.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        long parallelMillis = (slowest.get() - killedAt) / 1_000_000;
        long nextSent = System.nanoTime();
        WebUser.Facts next = user.whoAmI(balancer.app());
        long nextMillis = (System.nanoTime() - nextSent) / 1_000_000;
        long gapMillis = (System.nanoTime() - killedAt) / 1_000_000;

        assertThat(parallel).as("the %d old-id requests fired at the kill", PARALLEL)
                .allSatisfy(f -> assertThat(f.loggedInAs(user.name())).as("%s", f).isTrue())
                .allSatisfy(f -> assertThat(Users.baseOf(f.session())).isEqualTo(Users.baseOf(oldId)));
        assertThat(next.loggedInAs(user.name())).as("the next request after the kill: %s", next).isTrue();
        assertThat(next.node()).isNotEqualTo(home);
        assertThat(next.visits()).as("the session's state came along").isGreaterThan(before.visits());
        // Renamed once: the same base, now with the serving node's route (the valve may wait for the membership
        // to drop the dead node before it renames).
        Set<String> ids = new LinkedHashSet<>(List.of(oldId));
        long renameWait = System.nanoTime();
        String servedBy = next.node();
        Waits.until("the session renamed to " + servedBy, Duration.ofSeconds(20), () -> {
            WebUser.Facts f = user.whoAmI(balancer.app());
            assertThat(f.loggedInAs(user.name())).as("%s", f).isTrue();
            ids.add(user.sessionId());
            return user.sessionId().equals(Users.baseOf(oldId) + "." + f.node());
        });
        long renamedAfter = (System.nanoTime() - renameWait) / 1_000_000 + gapMillis;
        assertThat(ids).as("ids the user held").containsExactly(oldId, Users.baseOf(oldId) + "." + servedBy);
        ScenarioReport.passed("2", front, String.format("kill -9 %s: %d/%d old-id requests fired at the kill logged in, same session,"
                + " last answered %d ms after the kill; next request %d ms, on %s, logged in (principal+attribute), 0 failures;"
                + " renamed once (.%s) %d ms after the kill", home, PARALLEL, PARALLEL, parallelMillis, nextMillis, servedBy,
                servedBy, renamedAfter));

        // Scenario 4: start it again; from its very first answer it must hold every session, renamed ones included.
        for (WebUser other : others) {
            assertThat(other.whoAmI(balancer.app()).loggedInAs(other.name())).isTrue();
        }
        List<WebUser> everyone = new ArrayList<>(others);
        everyone.add(user);
        long startedAt = System.nanoTime();
        victim.startAgainAsync();
        Waits.until(home + " answers", Duration.ofSeconds(120), victim::serves);
        long firstAnswer = (System.nanoTime() - startedAt) / 1_000_000;
        int held = 0;
        int renamed = 0;
        for (WebUser u : everyone) {
            WebUser.Facts direct = WebUser.whoAmIWith(victim.direct(DeploymentFiles.CONTEXT + "/"), u.sessionId());
            assertThat(direct.loggedInAs(u.name())).as("%s's session %s on the restarted %s at its first answer: %s",
                    u.name(), u.sessionId(), home, direct).isTrue();
            held++;
            renamed += Users.routeOf(u.sessionId()).equals(home) ? 0 : 1;
        }
        Duration rotation = cluster.awaitInRotation(front, Duration.ofSeconds(150));
        long backMillis = firstAnswer + rotation.toMillis();
        assertThat(backMillis).as("back in %s's rotation (ms after docker start)", front.label())
                .isLessThan(front == Front.APACHE_MOD_JK ? 150_000 : 20_000);
        ScenarioReport.passed("4", front, String.format("restart %s: first answer %d ms after docker start holding %d/%d sessions"
                + " (%d renamed); back in rotation %d ms after start", home, firstAnswer, held, everyone.size(), renamed, backMillis));
    }
}
