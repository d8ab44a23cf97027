package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvmroute.testsupport.FreePorts;
import io.jvmroute.testsupport.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.catalina.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoginReplicationTest {

    private final List<TestNode> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        for (TestNode node : nodes) {
            node.close();
        }
    }

    private List<TestNode> cluster(String... routes) throws Exception {
        return cluster(c -> c.setLoginAttributes("userid,sessionkey"), routes);
    }

    private List<TestNode> cluster(java.util.function.Consumer<RouteCluster> configure, String... routes)
            throws Exception {
        String[] hosts = new String[routes.length];
        for (int i = 0; i < routes.length; i++) {
            hosts[i] = "127.0.0." + (11 + i);
        }
        nodes.addAll(FreePorts.retryOnLostPort(started -> {
            int port = FreePorts.on(hosts);
            StringBuilder members = new StringBuilder();
            for (int i = 0; i < routes.length; i++) {
                members.append(i == 0 ? "" : ",").append(routes[i]).append('=').append(hosts[i]).append(':').append(port);
            }
            List<TestNode> group = new ArrayList<>();
            for (int i = 0; i < routes.length; i++) {
                group.add(started.add(TestNode.start(routes[i], hosts[i], c -> {
                    c.setMembers(members.toString());
                    configure.accept(c);
                })));
            }
            return group;
        }));
        await().atMost(Duration.ofSeconds(20)).until(() -> nodes.stream()
                .allMatch(n -> n.cluster.getMembers().length == routes.length - 1));
        return nodes;
    }

    @Test
    void aLoginIsOnEveryPeerWhenItsResponseArrives() throws Exception {
        List<TestNode> nodes = cluster("jvm1", "jvm2");

        String id = Http.get(nodes.get(0).url("/login?user=u1"), null).body();

        Session backup = nodes.get(1).session(id);
        assertThat(backup).as("session %s on jvm2", id).isNotNull();
        assertThat(backup.getSession().getAttribute("userid")).isEqualTo("u1");
        assertThat(Http.get(nodes.get(1).url("/whoami"), id).body()).startsWith("userid=u1");
    }

    /** An operator's valve nested in the Cluster (say the JvmRouteValve) must not switch replication off. */
    @Test
    void aNestedClusterValveKeepsReplicationOn() throws Exception {
        java.util.concurrent.atomic.AtomicInteger invoked = new java.util.concurrent.atomic.AtomicInteger();
        List<TestNode> nodes = cluster(c -> {
            c.setLoginAttributes("userid,sessionkey");
            c.addValve(new CountingClusterValve(invoked));
        }, "jvm1", "jvm2");

        String id = Http.get(nodes.get(0).url("/login?user=u1"), null).body();

        assertThat(invoked.get()).isPositive();
        assertThat(nodes.get(1).session(id).getSession().getAttribute("userid")).isEqualTo("u1");
    }

    private static final class CountingClusterValve extends org.apache.catalina.valves.ValveBase
            implements org.apache.catalina.ha.ClusterValve {
        private final java.util.concurrent.atomic.AtomicInteger invoked;
        private org.apache.catalina.ha.CatalinaCluster cluster;

        CountingClusterValve(java.util.concurrent.atomic.AtomicInteger invoked) {
            this.invoked = invoked;
        }

        @Override
        public void invoke(org.apache.catalina.connector.Request request, org.apache.catalina.connector.Response response)
                throws java.io.IOException, jakarta.servlet.ServletException {
            invoked.incrementAndGet();
            getNext().invoke(request, response);
        }

        @Override
        public org.apache.catalina.ha.CatalinaCluster getCluster() {
            return cluster;
        }

        @Override
        public void setCluster(org.apache.catalina.ha.CatalinaCluster cluster) {
            this.cluster = cluster;
        }
    }

    @Test
    void aThousandLoginsOnBusyNodesAreAllOnEveryBackup() throws Exception {
        List<TestNode> nodes = cluster("jvm1", "jvm2", "jvm3");
        assertThat(loginsLostOnBackups(nodes)).as("logins missing on a backup").isEmpty();
        for (TestNode node : nodes) {
            assertThat(node.manager().getLoginsNotAcknowledged()).isZero();
        }
    }

    /** Several lanes: a session's messages stay in order in its own lane, and no login is lost either. */
    @Test
    void aThousandLoginsOnBusyNodesWithFourLanesAreAllOnEveryBackup() throws Exception {
        List<TestNode> nodes = cluster(c -> {
            c.setLoginAttributes("userid,sessionkey");
            c.setLanes("4");
        }, "jvm1", "jvm2", "jvm3");
        assertThat(loginsLostOnBackups(nodes)).as("logins missing on a backup").isEmpty();
    }

    /** The same run with Tomcat's DeltaManager and its default asynchronous sends: the test sees losses. */
    @Test
    void theSameRunWithStockAsyncDeltaManagerLosesLogins() throws Exception {
        List<TestNode> nodes = cluster(c -> {
            c.setManagerTemplate(new org.apache.catalina.ha.session.DeltaManager());
            c.setChannelSendOptions(org.apache.catalina.tribes.Channel.SEND_OPTIONS_ASYNCHRONOUS);
        }, "jvm1", "jvm2", "jvm3");
        assertThat(loginsLostOnBackups(nodes)).as("logins missing on a backup").isNotEmpty();
    }

    /**
     * A peer whose sender reorders (stock DeltaManager, asynchronous): deltas that overtake their session's
     * creation are held by the receiving RouteManager and applied when the creation arrives, not dropped.
     */
    @Test
    void deltasThatOvertakeTheirSessionsCreationAreHeldNotDropped() throws Exception {
        nodes.addAll(FreePorts.retryOnLostPort(started -> {
            int port = FreePorts.on("127.0.0.11", "127.0.0.12");
            String members = "jvm1=127.0.0.11:" + port + ",jvm2=127.0.0.12:" + port;
            return List.of(started.add(TestNode.start("jvm1", "127.0.0.11", c -> {
                c.setMembers(members);
                c.setManagerTemplate(new org.apache.catalina.ha.session.DeltaManager());
                c.setChannelSendOptions(org.apache.catalina.tribes.Channel.SEND_OPTIONS_ASYNCHRONOUS);
            })), started.add(TestNode.start("jvm2", "127.0.0.12", c -> c.setMembers(members))));
        }));
        TestNode reordering = nodes.get(0);
        TestNode receiving = nodes.get(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> reordering.cluster.getMembers().length == 1
                && receiving.cluster.getMembers().length == 1);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String[]>> logins = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String user = "u" + i;
                logins.add(pool.submit(() -> new String[] {Http.get(reordering.url("/login?user=" + user), null).body(), user}));
            }
            List<String[]> done = new ArrayList<>();
            for (Future<String[]> login : logins) {
                done.add(login.get());
            }
            // Asynchronous sender: the logins arrive after their responses, but every one of them arrives.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                List<String> missing = new ArrayList<>();
                for (String[] idAndUser : done) {
                    Session session = receiving.session(idAndUser[0]);
                    if (session == null || !idAndUser[1].equals(session.getSession().getAttribute("userid"))) {
                        missing.add(idAndUser[0]);
                    }
                }
                assertThat(missing).isEmpty();
            });
        } finally {
            pool.shutdownNow();
        }
        assertThat(receiving.manager().getPendingDeltas()).isZero();
    }

    private static List<String> loginsLostOnBackups(List<TestNode> nodes) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(12);
        AtomicBoolean busy = new AtomicBoolean(true);
        AtomicLong touches = new AtomicLong();
        try {
            // Keep every node busy with non-login changes while the logins run.
            List<Future<?>> background = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                TestNode node = nodes.get(i % nodes.size());
                background.add(pool.submit(() -> {
                    String id = Http.get(node.url("/touch"), null).requireNewId();
                    while (busy.get()) {
                        Http.get(node.url("/touch"), id);
                        touches.incrementAndGet();
                    }
                    return null;
                }));
            }
            ConcurrentLinkedQueue<String[]> logins = new ConcurrentLinkedQueue<>();
            List<Future<?>> loginTasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                loginTasks.add(pool.submit(() -> {
                    for (int i = thread; i < 1000; i += 8) {
                        TestNode node = nodes.get(i % nodes.size());
                        Http.Reply response = Http.get(node.url("/login?user=u" + i), null);
                        logins.add(new String[] {node.route, response.body(), "u" + i});
                    }
                    return null;
                }));
            }
            for (Future<?> task : loginTasks) {
                task.get();
            }
            busy.set(false);
            for (Future<?> task : background) {
                task.get();
            }
            assertThat(logins).hasSize(1000);
            assertThat(touches.get()).as("background requests").isPositive();

            // Every login response has arrived: every backup must hold every login attribute, no waiting.
            List<String> lost = new ArrayList<>();
            for (String[] login : logins) {
                for (TestNode node : nodes) {
                    if (node.route.equals(login[0])) {
                        continue;
                    }
                    Session session = node.context.getManager().findSession(login[1]);
                    if (session == null || !login[2].equals(session.getSession().getAttribute("userid"))
                            || !("key-" + login[2]).equals(session.getSession().getAttribute("sessionkey"))) {
                        lost.add(login[1] + " on " + node.route);
                    }
                }
            }
            return lost;
        } finally {
            busy.set(false);
            pool.shutdownNow();
        }
    }
}
