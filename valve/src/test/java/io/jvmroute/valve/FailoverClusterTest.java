package io.jvmroute.valve;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmroute.testsupport.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import io.jvmroute.valve.ClusterNode.Placement;
import org.junit.jupiter.api.Test;

/** Two and three real nodes over Tribes with the stock DeltaManager (and once BackupManager): failover, strays, old ids. */
class FailoverClusterTest {

    /** Logs alice in on node 1 and waits until the listed nodes hold her session; returns its id. */
    private static String loginOnNode1(TestCluster cluster, int... replicas) throws Exception {
        Http.Reply login = Http.get(cluster.node(1).baseUrl() + "/s/login?user=" + TestApp.USER, null);
        String id = login.newId();
        assertThat(id).endsWith(".n1");
        cluster.awaitReplicated(id, TestApp.USER, replicas);
        return id;
    }

    private static String base(String id) {
        return id.substring(0, id.indexOf('.'));
    }

    @Test
    void fiftyConcurrentOldIdRequestsAfterAFailoverRenameOnceAndAllSeeTheLoggedInSession()
            throws Exception {
        try (TestCluster cluster = TestCluster.start(2)) {
            String oldId = loginOnNode1(cluster, 2);
            cluster.kill(1);
            ClusterNode node2 = cluster.node(2);
            String newId = base(oldId) + ".n2";

            int requests = 50;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(requests);
            List<Http.Reply> replies = new ArrayList<>();
            try {
                List<Future<Http.Reply>> futures = new ArrayList<>();
                for (int i = 0; i < requests; i++) {
                    futures.add(pool.submit((Callable<Http.Reply>) () -> {
                        go.await();
                        return Http.get(node2.baseUrl() + "/s/whoami", oldId);
                    }));
                }
                go.countDown();
                for (Future<Http.Reply> f : futures) {
                    replies.add(f.get());
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(replies).hasSize(requests).allSatisfy(reply -> {
                assertThat(reply.status()).isEqualTo(200);
                assertThat(reply.body()).isEqualTo("session=" + newId + " user=" + TestApp.USER);
                assertThat(reply.newId()).isEqualTo(newId);
            });
            assertThat(node2.app.idChanges).hasValue(1);
            assertThat(node2.valve.getRenames()).isEqualTo(1);
            assertThat(node2.valve.getOldIdHits()).isEqualTo(requests - 1);
            assertThat(Http.get(node2.baseUrl() + "/s/whoami", newId).body())
                    .isEqualTo("session=" + newId + " user=" + TestApp.USER);
        }
    }

    @Test
    void aStrayRequestToALiveNodeIsServedWithoutRenamingAndTheCookieKeepsWorking() throws Exception {
        try (TestCluster cluster = TestCluster.start(2)) {
            String id = loginOnNode1(cluster, 2);

            Http.Reply stray = Http.get(cluster.node(2).baseUrl() + "/s/whoami", id);
            Http.Reply home = Http.get(cluster.node(1).baseUrl() + "/s/whoami", id);

            assertThat(stray.body()).isEqualTo("session=" + id + " user=" + TestApp.USER);
            assertThat(stray.newId()).isNull();
            assertThat(home.body()).isEqualTo("session=" + id + " user=" + TestApp.USER);
            assertThat(cluster.node(2).valve.getRenames()).isZero();
            assertThat(cluster.node(2).app.idChanges).hasValue(0);
        }
    }

    @Test
    void aFailoverHeaderIsBelievedFromATrustedProxyOnly() throws Exception {
        try (TestCluster cluster = TestCluster.start(2)) {
            String id = loginOnNode1(cluster, 2);
            ClusterNode node2 = cluster.node(2);
            String header = node2.valve.getFailoverHeader();

            node2.valve.setTrustedProxies("192\\.0\\.2\\.1");
            Http.Reply untrusted = Http.get(node2.baseUrl() + "/s/whoami", id, header, "n1");
            assertThat(untrusted.newId()).isNull();
            assertThat(node2.valve.getRefusals()).isEqualTo(1);
            assertThat(Http.get(cluster.node(1).baseUrl() + "/s/whoami", id).body())
                    .isEqualTo("session=" + id + " user=" + TestApp.USER);

            node2.valve.setTrustedProxies(JvmRouteValve.DEFAULT_TRUSTED_PROXIES);
            Http.Reply trusted = Http.get(node2.baseUrl() + "/s/whoami", id, header, "n1");
            String newId = base(id) + ".n2";
            assertThat(trusted.newId()).isEqualTo(newId);
            assertThat(trusted.body()).isEqualTo("session=" + newId + " user=" + TestApp.USER);
            assertThat(node2.valve.getRenames()).isEqualTo(1);

            // A request still carrying the old id back on (live) n1 is served and told the new id, not renamed back.
            Http.Reply oldIdOnN1 = Http.get(cluster.node(1).baseUrl() + "/s/whoami", id);
            assertThat(oldIdOnN1.body()).isEqualTo("session=" + newId + " user=" + TestApp.USER);
            assertThat(oldIdOnN1.newId()).isEqualTo(newId);
            assertThat(cluster.node(1).valve.getRenames()).isZero();
        }
    }

    @Test
    void aUrlRewrittenOldIdFindsTheSessionAndEncodedLinksCarryTheNewId() throws Exception {
        try (TestCluster cluster = TestCluster.start(2)) {
            String oldId = loginOnNode1(cluster, 2);
            cluster.kill(1);
            String newId = base(oldId) + ".n2";

            Http.Reply reply = Http.get(cluster.node(2).baseUrl() + "/s/links;jsessionid=" + oldId, null);

            assertThat(reply.body()).isEqualTo("session=" + newId + " user=" + TestApp.USER
                    + " link=/app/s/whoami;jsessionid=" + newId);
        }
    }

    @Test
    void anOldIdReachingAThirdNodeAfterARenameFindsTheRenamedSessionWithTheValveAnywhere() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, node -> { },
                Placement.ENGINE, Placement.HOST, Placement.CLUSTER)) {
            String oldId = loginOnNode1(cluster, 2, 3);
            cluster.kill(1);
            String idOnN2 = base(oldId) + ".n2";
            assertThat(Http.get(cluster.node(2).baseUrl() + "/s/whoami", oldId).newId()).isEqualTo(idOnN2);
            cluster.awaitReplicated(idOnN2, TestApp.USER, 3);
            ClusterNode node3 = cluster.node(3);

            Http.Reply onN3 = Http.get(node3.baseUrl() + "/s/whoami", oldId);

            assertThat(onN3.body()).isEqualTo("session=" + idOnN2 + " user=" + TestApp.USER);
            assertThat(onN3.newId()).isEqualTo(idOnN2);
            assertThat(node3.valve.getRenames()).isZero();
            assertThat(node3.valve.getOldIdHits()).isEqualTo(1);

            // n2 dies too: the oldest id still finds the session (n2's route is remembered), which n3 takes over.
            cluster.kill(2);
            Http.Reply afterSecondFailover = Http.get(node3.baseUrl() + "/s/whoami", oldId);
            String idOnN3 = base(oldId) + ".n3";
            assertThat(afterSecondFailover.body()).isEqualTo("session=" + idOnN3 + " user=" + TestApp.USER);
            assertThat(afterSecondFailover.newId()).isEqualTo(idOnN3);
            assertThat(node3.valve.getRenames()).isEqualTo(1);
        }
    }

    @Test
    void withTheBackupManagerAFailoverRenamesOnceAndTheOldIdWorksOnTheOtherNodes() throws Exception {
        try (TestCluster cluster = TestCluster.start(3,
                node -> node.cluster().setManagerTemplate(new MapAwareBackupManager()))) {
            cluster.awaitBackupMapsJoined();
            String oldId = loginOnNode1(cluster);
            cluster.awaitKnownToBackupMaps(oldId, 2, 3);
            cluster.kill(1);
            String newId = base(oldId) + ".n2";

            Http.Reply takeover = Http.get(cluster.node(2).baseUrl() + "/s/whoami", oldId);
            Http.Reply onN3 = Http.get(cluster.node(3).baseUrl() + "/s/whoami", oldId);

            assertThat(takeover.body()).isEqualTo("session=" + newId + " user=" + TestApp.USER);
            assertThat(takeover.newId()).isEqualTo(newId);
            assertThat(onN3.body()).isEqualTo("session=" + newId + " user=" + TestApp.USER);
            assertThat(onN3.newId()).isEqualTo(newId);
            assertThat(cluster.node(2).valve.getRenames() + cluster.node(3).valve.getRenames()).isEqualTo(1);
        }
    }
}
