package io.jvmroute.deploy.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The three balancers' configuration files for one cluster. Ours is gen's workers.properties unchanged plus
 * its own listen/health lines; Apache's is the seed's mod_jk setup (the shape of tomcat-conf's
 * mod_jk-workers.properties template) with the nodes' AJP secret; HAProxy's routes on the jvmRoute suffix.
 */
final class FrontConfigs {

    static final int FRONT_PORT = 8080;
    static final int ADMIN_PORT = 8081;
    static final String PING = DeploymentFiles.CONTEXT + "/ping.jsp";

    private FrontConfigs() {
    }

    /** Writes {@code dir/<front>/…}; returns the folder per front. */
    static void write(DeploymentFiles files, Path dir) throws IOException {
        Path ours = Files.createDirectories(dir.resolve("jvmroute"));
        Files.writeString(ours.resolve("workers.properties"),
                Files.readString(files.gen().resolve("workers.properties"), StandardCharsets.UTF_8)
                        + "\n# the balancer's own settings (on its own host)\n"
                        + "balancer.listen=0.0.0.0:" + FRONT_PORT + "\n"
                        + "balancer.admin.listen=0.0.0.0:" + ADMIN_PORT + "\n"
                        + "balancer.health.path=" + PING + "\n", StandardCharsets.UTF_8);

        Path apache = Files.createDirectories(dir.resolve("apache"));
        Files.writeString(apache.resolve("workers.properties"), modJkWorkers(files.nodes()), StandardCharsets.UTF_8);
        Files.writeString(apache.resolve("jk.conf"), """
                # The seed's jk.conf: the app mounted on the lb worker, jk-status for troubleshooting.
                <IfModule jk_module>
                    JkWorkersFile /etc/libapache2-mod-jk/workers.properties
                    JkLogFile /var/log/apache2/mod_jk.log
                    JkLogLevel info
                    JkShmFile /var/log/apache2/jk-runtime-status
                    JkWatchdogInterval 60
                    JkMount %s/* wlb
                    JkMountCopy All
                    <Location /jk-status>
                        JkMount jk-status
                        Require all granted
                    </Location>
                </IfModule>
                """.formatted(DeploymentFiles.CONTEXT), StandardCharsets.UTF_8);
        Files.writeString(apache.resolve("ports.conf"), "Listen " + FRONT_PORT + "\n", StandardCharsets.UTF_8);

        Path haproxy = Files.createDirectories(dir.resolve("haproxy"));
        Files.writeString(haproxy.resolve("haproxy.cfg"), haproxyConfig(files.nodes()), StandardCharsets.UTF_8);
    }

    static String modJkWorkers(Map<String, String> nodes) {
        StringBuilder out = new StringBuilder("worker.list=wlb,jk-status\n");
        for (Map.Entry<String, String> node : nodes.entrySet()) {
            String w = "worker." + node.getKey();
            out.append('\n').append(w).append(".type=ajp13\n")
                    .append(w).append(".host=").append(node.getValue()).append('\n')
                    .append(w).append(".port=").append(DeploymentFiles.AJP_PORT).append('\n')
                    .append(w).append(".secret=").append(DeploymentFiles.AJP_SECRET).append('\n')
                    .append(w).append(".lbfactor=1\n")
                    // Not in the seed: without it a connect to a host that vanished (docker kill takes the
                    // node's network with it) waits for the kernel, and users wait more than a minute.
                    .append(w).append(".socket_connect_timeout=1000\n");
        }
        return out.append("\nworker.wlb.type=lb\n")
                .append("worker.wlb.balance_workers=").append(String.join(",", nodes.keySet())).append('\n')
                .append("worker.wlb.sticky_session=1\n")
                .append("worker.wlb.sticky_session_force=0\n")
                .append("\nworker.jk-status.type=status\n")
                .append("worker.jk-status.read_only=TRUE\n")
                .toString();
    }

    static String haproxyConfig(Map<String, String> nodes) {
        StringBuilder out = new StringBuilder("""
                # HAProxy in front of the nodes: round robin for new users, the server named by the jvmRoute suffix
                # of JSESSIONID for the others; a down server's users are balanced again (redispatch).
                global
                    maxconn 4096
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 60s
                    timeout server 60s
                    retries 2
                    option redispatch
                    # Not HAProxy's default: a GET whose server died before answering is sent to another server
                    # (redispatch) instead of failing; others are not retried.
                    retry-on conn-failure empty-response response-timeout
                frontend www
                    bind :%d
                    default_backend nodes
                backend nodes
                    balance roundrobin
                    option httpchk GET %s
                    http-request disable-l7-retry unless METH_GET
                """.formatted(FRONT_PORT, PING));
        for (String route : nodes.keySet()) {
            out.append("    use-server ").append(route).append(" if { req.cook(JSESSIONID) -m end .").append(route).append(" }\n");
        }
        nodes.forEach((route, ip) -> out.append("    server ").append(route).append(' ').append(ip).append(':')
                .append(DeploymentFiles.HTTP_PORT).append(" check inter 1s fall 2 rise 2\n"));
        return out.toString();
    }
}
