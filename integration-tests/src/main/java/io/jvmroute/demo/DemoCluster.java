package io.jvmroute.demo;

import io.jvmroute.balancer.Balancer;
import io.jvmroute.config.BalancerSettings;
import io.jvmroute.config.ConfigException;
import io.jvmroute.config.LbDef;
import io.jvmroute.config.WorkersConfig;
import io.jvmroute.config.WorkersPropertiesParser;
import io.jvmroute.harness.NodeSpec;
import io.jvmroute.harness.TomcatNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A whole jvmroute cluster on this machine: {@code n} real Tomcat nodes (separate processes on 127.0.0.11,
 * .12, …) with the drop-in jar, replication over mutual TLS and the valve configured the way
 * {@code jvmroute gen} writes them, the demo webapp, and the balancer in front (in this JVM) reading the
 * generated workers.properties.
 * Used by the demo command and by the tests that run the demo's scenario.
 */
public final class DemoCluster implements AutoCloseable {

    /**
     * @param nodes       how many Tomcat nodes (2 or 3 in the demo)
     * @param tomcatHome  an unpacked Tomcat distribution
     * @param webapp      the demo webapp folder
     * @param dropinJar   jvmroute-tomcat-*.jar
     * @param work        a folder for the nodes' CATALINA_BASEs and the generated files
     * @param listen      the balancer's front address, host:port (port 0: any free port)
     * @param adminListen the balancer's status page address
     * @param ajp         the balancer speaks AJP13 to the nodes (an AJP/1.3 connector with a secret on each,
     *                    ajp13 workers in workers.properties) instead of HTTP
     */
    public record Options(int nodes, Path tomcatHome, Path webapp, Path dropinJar, Path work, String listen, String adminListen,
                          boolean ajp) {

        public Options(int nodes, Path tomcatHome, Path webapp, Path dropinJar, Path work, String listen, String adminListen) {
            this(nodes, tomcatHome, webapp, dropinJar, work, listen, adminListen, false);
        }
    }

    private final List<TomcatNode> nodes = new ArrayList<>();
    private Balancer balancer;
    /** Set when the balancer learns the nodes from the cluster: the valves' clusterToken and the admin token. */
    private final String clusterToken;
    private final String adminToken;
    private Options options;

    private DemoCluster(String clusterToken, String adminToken) {
        this.clusterToken = clusterToken;
        this.adminToken = adminToken;
    }

    public static DemoCluster start(Options options) throws IOException, InterruptedException, ConfigException,
            GeneralSecurityException {
        return start(options, new DemoCluster(null, null));
    }

    /**
     * The same cluster, but the balancer has no workers list: it learns the nodes from their valves' cluster
     * endpoint ({@code balancer.cluster}, as {@code jvmroute balancer --cluster} does), and its admin actions reach
     * the nodes with {@code clusterToken}.
     */
    public static DemoCluster startLearning(Options options, String clusterToken, String adminToken)
            throws IOException, InterruptedException, ConfigException, GeneralSecurityException {
        return start(options, new DemoCluster(clusterToken, adminToken));
    }

    private static DemoCluster start(Options options, DemoCluster cluster)
            throws IOException, InterruptedException, ConfigException, GeneralSecurityException {
        try {
            cluster.startAll(options);
            return cluster;
        } catch (IOException | InterruptedException | ConfigException | GeneralSecurityException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void startAll(Options options) throws IOException, InterruptedException, ConfigException, GeneralSecurityException {
        this.options = options;
        Map<String, String> addresses = ReplicatedNodes.addresses(options.nodes());
        int ajpPort = options.ajp() ? ReplicatedNodes.commonFreePort(addresses) : 0;
        String secret = "demo-" + Long.toHexString(new java.security.SecureRandom().nextLong());
        ReplicatedNodes started = ReplicatedNodes.start(options.nodes(), options.tomcatHome(), options.webapp(),
                options.dropinJar(), options.work(), spec -> {
                    NodeSpec tuned = clusterToken == null ? spec : spec.withEngineElements(spec.engineElements().replace(
                            "<Valve className=\"io.jvmroute.valve.JvmRouteValve\"/>",
                            "<Valve className=\"io.jvmroute.valve.JvmRouteValve\" clusterToken=\"" + clusterToken + "\"/>"));
                    return options.ajp() ? tuned.withAjpConnector(ajpPort, secret) : tuned;
                });
        nodes.addAll(started.nodes());
        int httpPort = started.layout().httpPort();
        Path workers = options.work().resolve("workers.properties");
        String workerLines = started.layout().workersProperties();
        if (options.ajp()) { // the same workers as mod_jk knows them: ajp13 on the AJP port, with the secret
            for (String route : addresses.keySet()) {
                workerLines = workerLines.replace("worker." + route + ".type=http\n", "worker." + route + ".type=ajp13\n"
                                + "worker." + route + ".secret=" + secret + "\n")
                        .replace("worker." + route + ".port=" + httpPort + "\n", "worker." + route + ".port=" + ajpPort + "\n");
            }
        }
        Files.writeString(workers, workerLines
                + "\n# demo: the balancer's own settings\n"
                + "balancer.listen=" + options.listen() + "\n"
                + "balancer.admin.listen=" + options.adminListen() + "\n"
                + "balancer.health.path=/demo/whoami.jsp\n", StandardCharsets.UTF_8);
        WorkersConfig config = WorkersPropertiesParser.parse(workers);
        if (clusterToken != null) { // no workers: the nodes' addresses are where it first asks the cluster
            BalancerSettings.Builder settings = new BalancerSettings.Builder().from(config.settings());
            settings.set("cluster", String.join(",", addresses.values().stream().map(a -> a + ":" + httpPort).toList()));
            settings.set("cluster.token", clusterToken);
            settings.set("admin.token", adminToken);
            config = new WorkersConfig("cluster", LbDef.defaults("lb", List.of()), Map.of(), Optional.empty(),
                    settings.build(), List.of());
        }
        balancer = Balancer.start(config, 2);
    }

    public List<TomcatNode> nodes() {
        return nodes;
    }

    /** The node whose route is {@code route}. */
    public TomcatNode node(String route) {
        return nodes.stream().filter(n -> route.equals(n.spec().route())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("route: " + route + " (expected: one of the demo's nodes)"));
    }

    /** Stops a node normally (it drains first) and starts it again with the same configuration. */
    public void restart(String route) throws IOException {
        TomcatNode old = node(route);
        old.stop();
        nodes.set(nodes.indexOf(old), TomcatNode.start(old.spec(), options.tomcatHome(), options.work(), "/demo/whoami.jsp"));
    }

    /** The running balancer. */
    public Balancer balancer() {
        return balancer;
    }

    /** The demo webapp through the balancer. */
    public URI demoUri() {
        return URI.create("http://" + hostPort(balancer.frontAddress()) + "/demo/");
    }

    /** The balancer's status page. */
    public URI statusUri() {
        return URI.create("http://" + hostPort(balancer.adminAddress()) + "/");
    }

    private static String hostPort(java.net.InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** Stops the balancer and every node (normal shutdowns; nodes killed before stay dead). */
    @Override
    public void close() {
        if (balancer != null) {
            balancer.close();
        }
        nodes.forEach(TomcatNode::stop);
    }
}
