package io.jvmroute.balancer.cluster;

import io.jvmroute.balancer.TestBackend;
import io.jvmroute.config.BalancerSettings;
import io.jvmroute.config.LbDef;
import io.jvmroute.config.WorkersConfig;
import io.jvmroute.membership.ClusterReport;
import io.jvmroute.membership.MemberState;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Nodes n1, n2, ... on 127.0.0.2x that answer the valve's cluster endpoint as a real cluster would (every member's
 * route, state and HTTP front, written with the format's owner, {@link ClusterReport}), take drain and activate
 * POSTs with the token, and serve any other request with their name. Tests change the cluster's state directly:
 * a node that joins, drains on its own (as by JMX), leaves, or whose endpoint stops answering.
 */
public final class FakeCluster implements AutoCloseable {

    public static final String TOKEN = "the-cluster-token-for-tests";
    static final String PATH = "/.jvmroute/cluster";

    public final Map<String, TestBackend> nodes = new ConcurrentHashMap<>();
    public final Map<String, MemberState> states = new ConcurrentHashMap<>();
    public final Map<String, Long> sessions = new ConcurrentHashMap<>();
    /** The settings fingerprint each node publishes (as RouteCluster does); the same on every node unless a test says. */
    public final Map<String, String> fingerprints = new ConcurrentHashMap<>();
    /** Actions received, as "n1 drain". */
    public final List<String> actions = new CopyOnWriteArrayList<>();
    /** While false, every endpoint answers 503 (a node the balancer cannot read), other requests still work. */
    public volatile boolean readable = true;
    /** What the nodes answer to anything but the endpoint: their name, unless a test sets an application. */
    public volatile TestBackend.Behaviour app = TestBackend::ok;

    /**
     * What {@code jvmroute balancer --cluster <n1>} builds: no workers, learnt from this cluster read every 100 ms,
     * on free loopback ports, with {@code extra} settings ({@code key, value, ...}, without {@code balancer.}).
     */
    public WorkersConfig balancerConfig(String... extra) {
        BalancerSettings.Builder s = new BalancerSettings.Builder();
        s.set("listen", "127.0.0.1:0");
        s.set("admin.listen", "127.0.0.1:0");
        s.set("health.interval", "100ms");
        s.set("shutdown_timeout", "1s");
        s.set("cluster", node(1).address());
        s.set("cluster.token", TOKEN);
        s.set("cluster.interval", "100ms");
        for (int i = 0; i < extra.length; i += 2) {
            s.set(extra[i], extra[i + 1]);
        }
        return new WorkersConfig("cluster", LbDef.defaults("lb", List.of()), Map.of(), Optional.empty(), s.build(), List.of());
    }

    /** Starts node {@code nN} and makes it a member. */
    public TestBackend join(int n) throws InterruptedException {
        String route = "n" + n;
        TestBackend node = new TestBackend(route, "127.0.0." + (20 + n)).start();
        node.respond((self, ctx, request) -> {
            if (!request.uri().startsWith(PATH)) {
                app.handle(self, ctx, request);
            } else if (!readable) {
                self.send(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "down for maintenance");
            } else if (!("Bearer " + TOKEN).equals(request.headers().get("Authorization"))) {
                self.send(ctx, request, HttpResponseStatus.UNAUTHORIZED, "wrong or missing cluster token\n");
            } else if (request.method().equals(HttpMethod.POST)) {
                String action = request.uri().substring(request.uri().indexOf("action=") + 7);
                actions.add(route + " " + action);
                states.put(route, action.equals("drain") ? MemberState.DRAINING : MemberState.ACTIVE);
                self.send(ctx, request, HttpResponseStatus.OK, "node " + route + " is " + action + "\n");
            } else {
                self.send(ctx, request, HttpResponseStatus.OK, report(route).format());
            }
        });
        nodes.put(route, node);
        sessions.put(route, 0L);
        states.put(route, MemberState.ACTIVE);
        return node;
    }

    /** The node leaves the cluster and stops. */
    public void leave(int n) {
        states.remove("n" + n);
        nodes.remove("n" + n).close();
    }

    public TestBackend node(int n) {
        return nodes.get("n" + n);
    }

    private ClusterReport report(String self) {
        List<ClusterReport.Member> members = new ArrayList<>();
        states.forEach((route, state) -> members.add(new ClusterReport.Member(route, state, nodes.get(route).address(), "",
                fingerprints.getOrDefault(route, "cafe01"))));
        members.sort(java.util.Comparator.comparing(ClusterReport.Member::route));
        return new ClusterReport(self, sessions.getOrDefault(self, 0L), members);
    }

    @Override
    public void close() {
        nodes.values().forEach(TestBackend::close);
    }
}
