package io.jvmroute.demo;

import io.jvmroute.config.ClusterLayout;
import io.jvmroute.harness.FreePort;
import io.jvmroute.harness.NodeSpec;
import io.jvmroute.harness.TomcatNode;
import io.jvmroute.tls.ClusterPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The Tomcat side of a jvmroute cluster on this machine: {@code count} real nodes (127.0.0.11, .12, …) with the
 * drop-in jar, replication over mutual TLS (material made as {@code jvmroute tls init} makes it) and the valve,
 * configured as {@code jvmroute gen} writes them. The demo puts its balancer in front; the benchmarks put theirs.
 *
 * @param nodes  the started nodes, in route order
 * @param layout the layout they were configured from (ports, the balancer's workers.properties)
 */
public record ReplicatedNodes(List<TomcatNode> nodes, ClusterLayout layout) {

    /**
     * Starts the nodes; if one fails, those already started are stopped and the failure rethrown.
     *
     * @param customise a change to each node's spec before it starts (an AJP connector, JVM options), or identity
     */
    public static ReplicatedNodes start(int count, Path tomcatHome, Path webapp, Path dropinJar, Path work,
            UnaryOperator<NodeSpec> customise) throws IOException, GeneralSecurityException {
        Map<String, String> addresses = addresses(count);
        // One HTTP and one replication port free on every node address, so the layout can use one of each.
        int httpPort = commonFreePort(addresses);
        int replicationPort = commonFreePort(addresses);
        ClusterLayout layout = new ClusterLayout(addresses, httpPort, replicationPort, List.of("userid"), true);
        Files.createDirectories(work);
        Path tls = work.resolve("tls");
        TomcatNode.deleteRecursively(tls);
        ClusterPki pki = ClusterPki.init(tls, "demo", ClusterPki.DEFAULT_CA_VALIDITY);
        List<TomcatNode> nodes = new ArrayList<>();
        try {
            for (Map.Entry<String, String> node : addresses.entrySet()) {
                ClusterPki.NodeMaterial material = pki.issue(node.getKey(), List.of(node.getValue()), ClusterPki.DEFAULT_NODE_VALIDITY);
                NodeSpec spec = NodeSpec.plain(node.getKey(), node.getValue(), httpPort, webapp)
                        .withEngineElements(layout.engineElements(node.getKey()))
                        .withLibs(List.of(dropinJar))
                        .withConfFiles(Map.of("jvmroute/ca.crt", material.caCertificateFile(),
                                "jvmroute/" + node.getKey() + ".crt", material.certificateFile(),
                                "jvmroute/" + node.getKey() + ".key", material.keyFile()));
                nodes.add(TomcatNode.start(customise.apply(spec), tomcatHome, work, "/demo/whoami.jsp"));
            }
        } catch (IOException | RuntimeException e) {
            nodes.forEach(TomcatNode::stop);
            throw e;
        }
        return new ReplicatedNodes(List.copyOf(nodes), layout);
    }

    /** Route to address of {@code count} nodes: {@code jvm<i>} on {@code 127.0.0.<10+i>}, in route order. */
    public static Map<String, String> addresses(int count) {
        Map<String, String> addresses = new LinkedHashMap<>();
        for (int i = 1; i <= count; i++) {
            addresses.put("jvm" + i, "127.0.0." + (10 + i));
        }
        return addresses;
    }

    /** A port free on every one of the addresses. */
    public static int commonFreePort(Map<String, String> addresses) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int candidate = FreePort.on(addresses.values().iterator().next());
            if (addresses.values().stream().allMatch(address -> isFree(address, candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no port free on all of " + addresses.values());
    }

    private static boolean isFree(String address, int port) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName(address))) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
