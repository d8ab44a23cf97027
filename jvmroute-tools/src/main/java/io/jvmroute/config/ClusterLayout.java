package io.jvmroute.config;

import io.jvmroute.route.IdProblem;
import io.jvmroute.route.SessionId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One description of a cluster — each node's route and address, the ports, the login attributes — from
 * which every node's server.xml and the balancer's workers.properties are written, so that the routes in
 * them cannot disagree (what {@code jvmroute gen} does).
 *
 * <p>Nodes read their TLS material from {@code ${catalina.base}/conf/jvmroute/}: {@code ca.crt},
 * {@code <route>.crt} and {@code <route>.key}.
 *
 * @param nodes           route to host (name or address), in order
 * @param httpPort        each node's HTTP connector port, which the balancer talks to
 * @param replicationPort each node's replication port
 * @param loginAttributes session attributes that mean "logged in" (may be empty)
 * @param tls             whether replication uses mutual TLS (otherwise {@code insecure="true"} on loopback,
 *                        {@code insecure="trusted-network"} between machines)
 */
public record ClusterLayout(Map<String, String> nodes, int httpPort, int replicationPort, List<String> loginAttributes,
                            boolean tls) {

    public ClusterLayout {
        nodes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        loginAttributes = List.copyOf(loginAttributes);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("nodes: none (expected: ROUTE=HOST for every node)");
        }
        nodes.forEach((route, host) -> {
            IdProblem problem = SessionId.checkRoute(route);
            if (problem != null) {
                throw new IllegalArgumentException("route: " + route + " (expected: a usable jvmRoute, not " + problem.description() + ")");
            }
            if (Objects.requireNonNull(host, "host").isBlank() || !host.matches("[A-Za-z0-9.:_-]+")) {
                throw new IllegalArgumentException("host of " + route + ": " + host + " (expected: a host name or address)");
            }
        });
        checkPort("httpPort", httpPort);
        checkPort("replicationPort", replicationPort);
        for (String attribute : loginAttributes) {
            if (!attribute.matches("[A-Za-z0-9_.$-]+")) {
                throw new IllegalArgumentException("login attribute: " + attribute + " (expected: a session attribute name)");
            }
        }
    }

    private static void checkPort(String name, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + ": " + port + " (expected: 1-65535)");
        }
    }

    /** What goes inside {@code <Engine>} of node {@code route}, indented for server.xml. */
    public String engineElements(String route) {
        requireNode(route);
        String members = nodes.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue() + ":" + replicationPort)
                .collect(Collectors.joining(","));
        StringBuilder cluster = new StringBuilder("      <Cluster className=\"io.jvmroute.replication.RouteCluster\"\n")
                .append("               members=\"").append(members).append('"');
        if (!loginAttributes.isEmpty()) {
            cluster.append("\n               loginAttributes=\"").append(String.join(",", loginAttributes)).append('"');
        }
        if (tls) {
            String dir = "${catalina.base}/conf/jvmroute/";
            cluster.append("\n               certificateFile=\"").append(dir).append(route).append(".crt\"")
                    .append("\n               certificateKeyFile=\"").append(dir).append(route).append(".key\"")
                    .append("\n               caCertificateFile=\"").append(dir).append("ca.crt\"");
        } else {
            // RouteCluster refuses insecure="true" between machines: it must be acknowledged as trusted-network.
            boolean loopback = nodes.values().stream().allMatch(ClusterLayout::isLoopback);
            cluster.append("\n               insecure=\"").append(loopback ? "true" : "trusted-network").append('"');
        }
        return cluster.append("/>\n      <Valve className=\"io.jvmroute.valve.JvmRouteValve\"/>\n").toString();
    }

    /** 32 hex digits from a strong random source: a shutdown command nobody can guess. */
    private static String randomShutdownCommand() {
        byte[] bytes = new byte[16];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    /** A complete server.xml for node {@code route}: Tomcat's defaults plus the cluster. */
    public String serverXml(String route) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- Written by `jvmroute gen` for node %1$s. The shutdown command is random: anyone on this
                     machine who could connect to 127.0.0.1:8005 could otherwise stop the node. -->
                <Server port="8005" address="127.0.0.1" shutdown="%5$s">
                  <Listener className="org.apache.catalina.startup.VersionLoggerListener" />
                  <Listener className="org.apache.catalina.core.JreMemoryLeakPreventionListener" />
                  <Listener className="org.apache.catalina.mbeans.GlobalResourcesLifecycleListener" />
                  <Listener className="org.apache.catalina.core.ThreadLocalLeakPreventionListener" />
                  <Service name="Catalina">
                    <Connector address="%2$s" port="%3$d" protocol="HTTP/1.1" connectionTimeout="20000" />
                    <Engine name="Catalina" defaultHost="localhost" jvmRoute="%1$s">
                %4$s      <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="true" />
                    </Engine>
                  </Service>
                </Server>
                """.formatted(route, nodes.get(route), httpPort, engineElements(route), randomShutdownCommand());
    }

    /** The balancer's workers.properties: one HTTP worker per node, named by its route, sticky. */
    public String workersProperties() {
        StringBuilder out = new StringBuilder("# Written by `jvmroute gen`: worker names are the nodes' jvmRoutes.\n")
                .append("worker.list=wlb,jk-status\n");
        for (Map.Entry<String, String> node : nodes.entrySet()) {
            String w = "worker." + node.getKey();
            out.append('\n').append(w).append(".type=http\n")
                    .append(w).append(".host=").append(node.getValue()).append('\n')
                    .append(w).append(".port=").append(httpPort).append('\n')
                    .append(w).append(".lbfactor=1\n");
        }
        return out.append("\nworker.wlb.type=lb\n")
                .append("worker.wlb.balance_workers=").append(String.join(",", nodes.keySet())).append('\n')
                .append("worker.wlb.sticky_session=1\n")
                .append("\nworker.jk-status.type=status\n")
                .append("worker.jk-status.read_only=TRUE\n")
                .toString();
    }

    private void requireNode(String route) {
        if (!nodes.containsKey(route)) {
            throw new IllegalArgumentException("route: " + route + " (expected: one of " + nodes.keySet() + ")");
        }
    }
}
