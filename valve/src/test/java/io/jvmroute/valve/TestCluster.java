package io.jvmroute.valve;

import static org.awaitility.Awaitility.await;

import io.jvmroute.testsupport.FreePorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.catalina.Session;
import org.apache.catalina.ha.session.BackupManager;

/**
 * N embedded nodes in this JVM, routes n1..nN on 127.0.3.11.. with real Tribes between them, started one
 * after the other (DeltaManager state transfer then never waits), ready once every node sees every other
 * one publish itself active. Closing stops whatever is still running.
 */
final class TestCluster implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger CLUSTERS = new AtomicInteger();

    final List<ClusterNode> nodes = new ArrayList<>();

    /** @param placements where node 1, 2, … has its valve; nodes beyond the list have it in the Engine */
    static TestCluster start(int size, Consumer<ClusterNode> configure, ClusterNode.Placement... placements)
            throws Exception {
        // Each attempt picks fresh Tribes ports and stops its own nodes when it fails (also on a timeout).
        return FreePorts.retryOnLostPort(started -> startOnce(size, configure, placements));
    }

    private static TestCluster startOnce(int size, Consumer<ClusterNode> configure, ClusterNode.Placement... placements)
            throws Exception {
        String name = "c" + CLUSTERS.incrementAndGet();
        List<ClusterNode.Address> addresses = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            String ip = "127.0.3." + (10 + i);
            addresses.add(new ClusterNode.Address("n" + i, ip, FreePorts.on(ip)));
        }
        TestCluster cluster = new TestCluster();
        try {
            for (int i = 1; i <= size; i++) {
                ClusterNode.Placement placement = i <= placements.length ? placements[i - 1] : ClusterNode.Placement.ENGINE;
                ClusterNode node = new ClusterNode(name, addresses.get(i - 1), addresses, placement);
                configure.accept(node);
                cluster.nodes.add(node);
                node.start();
            }
            for (ClusterNode node : cluster.nodes) {
                for (ClusterNode other : cluster.nodes) {
                    if (other != node) {
                        cluster.awaitStatus(node, other.route(), ClusterView.RouteStatus.ACTIVE);
                    }
                }
            }
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    static TestCluster start(int size) throws Exception {
        return start(size, node -> { });
    }

    ClusterNode node(int number) {
        return nodes.get(number - 1);
    }

    /** Waits until {@code observer} sees {@code route} in this state (UNKNOWN: its member is gone). */
    void awaitStatus(ClusterNode observer, String route, ClusterView.RouteStatus status) {
        await("node " + observer.route() + " sees " + route + " " + status).atMost(WAIT)
                .until(observer::view, view -> view.status(route) == status);
    }

    /** Stops a node and waits until every running node has seen it leave. */
    void kill(int number) throws Exception {
        ClusterNode dead = node(number);
        dead.stop();
        for (ClusterNode node : nodes) {
            if (node.isRunning()) {
                awaitStatus(node, dead.route(), ClusterView.RouteStatus.UNKNOWN);
            }
        }
    }

    /** Waits until the session with this id holds this user on every listed node. */
    void awaitReplicated(String sessionId, String user, int... numbers) {
        awaitSession(sessionId, session -> user.equals(session.getSession().getAttribute("user")), numbers);
    }

    /** Waits until every listed node holds a session with exactly this id that satisfies {@code condition}. */
    void awaitSession(String sessionId, Predicate<Session> condition, int... numbers) {
        for (int number : numbers) {
            ClusterNode node = node(number);
            await("session " + sessionId + " on " + node.route()).atMost(WAIT).until(() -> {
                Session session = node.manager().findSession(sessionId);
                return session != null && condition.test(session);
            });
        }
    }

    /** Waits until each node's MapAwareBackupManager map has joined every other node's. */
    void awaitBackupMapsJoined() {
        for (ClusterNode node : nodes) {
            MapAwareBackupManager manager = (MapAwareBackupManager) node.manager();
            await("backup map of " + node.route() + " joined").atMost(WAIT)
                    .until(manager::mapPeers, peers -> peers == nodes.size() - 1);
        }
    }

    /**
     * Waits until every listed node's BackupManager map knows the id (as primary, backup or proxy). Unlike
     * {@code findSession}, this does not make the asking node the session's primary.
     */
    void awaitKnownToBackupMaps(String sessionId, int... numbers) {
        for (int number : numbers) {
            BackupManager manager = (BackupManager) node(number).manager();
            await("session " + sessionId + " in the map of " + node(number).route()).atMost(WAIT)
                    .until(() -> manager.getSessionIdsFull().contains(sessionId));
        }
    }

    /** Stops every node and deletes its files, also when one of them fails to stop. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (ClusterNode node : nodes) {
            try {
                node.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
