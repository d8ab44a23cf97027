package io.jvmroute.demo;

import io.jvmroute.balancer.Balancer;
import io.jvmroute.config.ConfigException;
import io.jvmroute.config.WorkersConfig;
import io.jvmroute.config.WorkersPropertiesParser;
import io.jvmroute.harness.TomcatNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

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
     */
    public record Options(int nodes, Path tomcatHome, Path webapp, Path dropinJar, Path work, String listen, String adminListen) {
    }

    private final List<TomcatNode> nodes = new ArrayList<>();
    private Balancer balancer;

    private DemoCluster() {
    }

    public static DemoCluster start(Options options) throws IOException, InterruptedException, ConfigException,
            GeneralSecurityException {
        DemoCluster cluster = new DemoCluster();
        try {
            cluster.startAll(options);
            return cluster;
        } catch (IOException | InterruptedException | ConfigException | GeneralSecurityException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void startAll(Options options) throws IOException, InterruptedException, ConfigException, GeneralSecurityException {
        ReplicatedNodes started = ReplicatedNodes.start(options.nodes(), options.tomcatHome(), options.webapp(),
                options.dropinJar(), options.work(), spec -> spec);
        nodes.addAll(started.nodes());
        Path workers = options.work().resolve("workers.properties");
        Files.writeString(workers, started.layout().workersProperties()
                + "\n# demo: the balancer's own settings\n"
                + "balancer.listen=" + options.listen() + "\n"
                + "balancer.admin.listen=" + options.adminListen() + "\n"
                + "balancer.health.path=/demo/whoami.jsp\n", StandardCharsets.UTF_8);
        WorkersConfig config = WorkersPropertiesParser.parse(workers);
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
