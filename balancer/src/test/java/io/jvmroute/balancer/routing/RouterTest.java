package io.jvmroute.balancer.routing;

import io.jvmroute.config.Activation;
import io.jvmroute.config.LbDef;
import io.jvmroute.config.LbMethod;
import io.jvmroute.config.WorkerDef;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RouterTest {

    private static WorkerDef worker(String name, int lbfactor, String domain, String redirect, int distance) {
        return new WorkerDef(name, "http", "127.0.0.1", 8080, 8080, lbfactor, Activation.ACTIVE, name, domain,
                redirect, distance, Set.of(), 0);
    }

    private static WorkerDef worker(String name) {
        return worker(name, 1, "", "", 0);
    }

    private final List<WorkerState> states = new ArrayList<>();

    private Router router(LbDef lb, WorkerDef... defs) {
        for (WorkerDef d : defs) {
            states.add(new WorkerState(d));
        }
        return new Router(lb, states);
    }

    private static LbDef lb(String... members) {
        return LbDef.defaults("lb", List.of(members));
    }

    private static LbDef lb(boolean force, LbMethod method) {
        return new LbDef("lb", List.of(), true, force, method, "JSESSIONID", "jsessionid");
    }

    private WorkerState state(String name) {
        return states.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static int match(Router r, String cookie) {
        return r.match("/app/", List.of(cookie));
    }

    private static Decision decide(Router r, String cookie) {
        return r.decide(match(r, cookie), null, 0);
    }

    @Test
    void aRequestWhoseRouteNamesAUsableWorkerGoesThere() {
        Router r = router(lb(), worker("jvm1"), worker("jvm2"));

        Decision d = decide(r, "JSESSIONID=ABC.jvm2");

        assertThat(d.worker().name()).isEqualTo("jvm2");
        assertThat(d.reason()).isEqualTo(Reason.STICKY);
        assertThat(d.movedFromRoute()).isNull();
    }

    @Test
    void thePathParameterWinsOverTheCookieAndEveryCookieIsTried() {
        Router r = router(lb(), worker("jvm1"), worker("jvm2"));

        assertThat(r.decide(r.match("/app/x;jsessionid=ABC.jvm1", List.of("JSESSIONID=ABC.jvm2")), null, 0)
                .worker().name()).isEqualTo("jvm1");
        assertThat(decide(r, "JSESSIONID=OLD.gone; JSESSIONID=ABC.jvm2").worker().name()).isEqualTo("jvm2");
    }

    @Test
    void aDisabledWorkerKeepsItsOwnSessionsButGetsNoNewOnes() {
        Router r = router(lb(), worker("jvm1"), worker("jvm2"));
        state("jvm1").activation(Activation.DISABLED);

        assertThat(decide(r, "JSESSIONID=ABC.jvm1").worker().name()).isEqualTo("jvm1");
        for (int i = 0; i < 10; i++) {
            assertThat(r.decide(Router.NO_MATCH, null, 0).worker().name()).isEqualTo("jvm2");
        }
    }

    @Test
    void aStoppedWorkersSessionsMoveAndSayWhereTheyCameFrom() {
        Router r = router(lb(), worker("jvm1"), worker("jvm2"));
        state("jvm1").activation(Activation.STOPPED);

        Decision d = decide(r, "JSESSIONID=ABC.jvm1");

        assertThat(d.worker().name()).isEqualTo("jvm2");
        assertThat(d.reason()).isEqualTo(Reason.BALANCED);
        assertThat(d.movedFromRoute()).isEqualTo("jvm1");
    }

    @Test
    void aDownWorkersSessionsGoToItsRedirectFirst() {
        Router r = router(lb(), worker("jvm1", 1, "", "jvm3", 0), worker("jvm2"), worker("jvm3"));
        state("jvm1").markDown("connect refused");

        Decision d = decide(r, "JSESSIONID=ABC.jvm1");

        assertThat(d.worker().name()).isEqualTo("jvm3");
        assertThat(d.reason()).isEqualTo(Reason.REDIRECT);
        assertThat(d.movedFromRoute()).isEqualTo("jvm1");
    }

    @Test
    void withoutAUsableRedirectTheDomainIsNextThenNormalSelection() {
        Router r = router(lb(), worker("a1", 1, "dcA", "b1", 0), worker("b1", 1, "dcB", "", 0),
                worker("b2", 1, "dcB", "", 0), worker("a2", 1, "dcA", "", 0));
        state("a1").markDown("refused");
        state("b1").markDown("refused");

        Decision d = decide(r, "JSESSIONID=ABC.a1");
        assertThat(d.worker().name()).isEqualTo("a2");
        assertThat(d.reason()).isEqualTo(Reason.DOMAIN);

        state("a2").markDown("refused");
        d = decide(r, "JSESSIONID=ABC.a1");
        assertThat(d.worker().name()).isEqualTo("b2");
        assertThat(d.reason()).isEqualTo(Reason.BALANCED);
        assertThat(d.movedFromRoute()).isEqualTo("a1");
    }

    @Test
    void anUnknownRouteWithAKnownDomainGoesToThatDomain() {
        Router r = router(lb(), worker("jvm1", 1, "dc1", "", 0), worker("jvm2", 1, "dc2", "", 0));

        int m = r.match("/", List.of("JSESSIONID=ABC.dc2.n9"));
        Decision d = r.decide(m, r.routeOf("/", List.of("JSESSIONID=ABC.dc2.n9")), 0);

        assertThat(r.isDomainMatch(m)).isTrue();
        assertThat(d.worker().name()).isEqualTo("jvm2");
        assertThat(d.reason()).isEqualTo(Reason.DOMAIN);
        assertThat(d.movedFromRoute()).isEqualTo("dc2.n9");
    }

    @Test
    void stickySessionForceRefusesInsteadOfMoving() {
        Router r = router(lb(true, LbMethod.REQUEST), worker("jvm1"), worker("jvm2"));
        state("jvm1").markDown("refused");

        Decision d = decide(r, "JSESSIONID=ABC.jvm1");

        assertThat(d.refused()).isTrue();
        assertThat(d.movedFromRoute()).isEqualTo("jvm1");
    }

    @Test
    void stickySessionOffIgnoresRoutes() {
        Router r = router(new LbDef("lb", List.of(), false, false, LbMethod.REQUEST, "JSESSIONID", "jsessionid"),
                worker("jvm1"), worker("jvm2"));

        assertThat(match(r, "JSESSIONID=ABC.jvm2")).isEqualTo(Router.NO_MATCH);
    }

    @Test
    void requestMethodIsRoundRobinWeightedByLbfactor() {
        Router r = router(lb(), worker("big", 3, "", "", 0), worker("small", 1, "", "", 0));

        Map<String, Integer> counts = pick(r, 400);

        assertThat(counts).containsEntry("big", 300).containsEntry("small", 100);
    }

    @Test
    void requestMethodCountsStickyRequestsButSessionMethodDoesNot() {
        Router byRequest = router(lb(), worker("jvm1"), worker("jvm2"));
        for (int i = 0; i < 10; i++) {
            decide(byRequest, "JSESSIONID=ABC.jvm1");
        }
        assertThat(pick(byRequest, 10)).containsEntry("jvm2", 10);

        states.clear();
        Router bySession = router(lb(false, LbMethod.SESSION), worker("jvm1"), worker("jvm2"));
        for (int i = 0; i < 10; i++) {
            decide(bySession, "JSESSIONID=ABC.jvm1");
        }
        assertThat(pick(bySession, 10)).containsEntry("jvm1", 5).containsEntry("jvm2", 5);
    }

    @Test
    void busynessPicksTheWorkerWithFewestRequestsInFlight() {
        Router r = router(lb(false, LbMethod.BUSYNESS), worker("jvm1"), worker("jvm2"));
        state("jvm1").started();
        state("jvm1").started();
        state("jvm2").started();

        assertThat(r.decide(Router.NO_MATCH, null, 0).worker().name()).isEqualTo("jvm2");
    }

    @Test
    void lowerDistanceIsPreferredWhileUsable() {
        Router r = router(lb(), worker("far", 1, "", "", 1), worker("near", 1, "", "", 0));

        assertThat(pick(r, 5)).containsOnlyKeys("near");
        state("near").markDown("refused");
        assertThat(pick(r, 5)).containsOnlyKeys("far");
    }

    @Test
    void aRetrySkipsEveryWorkerAlreadyTried() {
        Router r = router(lb(), worker("jvm1"), worker("jvm2"), worker("jvm3"));
        int m = match(r, "JSESSIONID=ABC.jvm1");
        long tried = Router.markTried(0, 0);

        Decision second = r.decide(m, null, tried);
        tried = Router.markTried(tried, r.indexOf(second.worker()));
        Decision third = r.decide(m, null, tried);
        tried = Router.markTried(tried, r.indexOf(third.worker()));

        assertThat(second.reason()).isEqualTo(Reason.RETRIED);
        assertThat(second.movedFromRoute()).isEqualTo("jvm1");
        assertThat(List.of(second.worker().name(), third.worker().name())).containsExactlyInAnyOrder("jvm2", "jvm3");
        assertThat(r.decide(m, null, tried).refused()).isTrue();
    }

    @Test
    void aWorkerThatComesBackStartsLevelInsteadOfTakingEveryRequest() {
        Router r = router(lb(), worker("jvm1"), worker("jvm2"));
        state("jvm2").markDown("refused");
        pick(r, 100);
        state("jvm2").recordCheck(true, "200", 1, 1, 0);
        r.rejoin(state("jvm2"));

        assertThat(pick(r, 10)).containsEntry("jvm1", 5).containsEntry("jvm2", 5);
    }

    @Test
    void whenEveryActiveWorkerIsDownOneIsTriedAnywayButNeverAStoppedOne() {
        Router r = router(lb(), worker("jvm1"), worker("jvm2"));
        state("jvm1").markDown("refused");
        state("jvm2").markDown("refused");

        Decision d = decide(r, "JSESSIONID=ABC.jvm1");
        assertThat(d.refused()).isFalse();
        assertThat(d.movedFromRoute()).isEqualTo(d.worker().name().equals("jvm1") ? null : "jvm1");

        state("jvm1").activation(Activation.STOPPED);
        state("jvm2").activation(Activation.DISABLED);
        assertThat(r.decide(Router.NO_MATCH, null, 0).refused()).isTrue();
    }

    @Test
    void healthChecksTakeAWorkerOutAfterFallAndBackAfterRise() {
        WorkerState w = new WorkerState(worker("jvm1"));

        assertThat(w.recordCheck(false, "503", 2, 2, 1)).isFalse();
        assertThat(w.isUp()).isTrue();
        assertThat(w.recordCheck(false, "503", 2, 2, 2)).isTrue();
        assertThat(w.isUp()).isFalse();
        assertThat(w.recordCheck(true, "200", 2, 2, 3)).isFalse();
        assertThat(w.recordCheck(true, "200", 2, 2, 4)).isTrue();
        assertThat(w.usableForNew()).isTrue();
    }

    private static Map<String, Integer> pick(Router r, int times) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < times; i++) {
            counts.merge(r.decide(Router.NO_MATCH, null, 0).worker().name(), 1, Integer::sum);
        }
        return counts;
    }
}
