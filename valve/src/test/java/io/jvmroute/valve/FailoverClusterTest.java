package io.jvmroute.valve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Two and three real nodes over Tribes with the stock DeltaManager: failover, strays and old ids. */
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
    void fifty_concurrent_old_id_requests_after_a_failover_rename_once_and_all_see_the_logged_in_session()
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
}
