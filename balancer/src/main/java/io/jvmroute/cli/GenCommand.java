package io.jvmroute.cli;

import io.jvmroute.config.ClusterLayout;
import io.jvmroute.tls.ClusterPki;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jvmroute gen}: every node's server.xml, the balancer's workers.properties and the TLS material, from one list. */
@Command(name = "gen", mixinStandardHelpOptions = true,
        description = {"Writes, from one list of ROUTE=HOST, each node's server.xml (and the fragment to paste into an",
                "existing one), the balancer's workers.properties and the cluster's TLS material, so that",
                "routes, members and certificates cannot disagree."})
public final class GenCommand implements Callable<Integer> {

    @Option(names = "--routes", required = true, split = ",", paramLabel = "ROUTE=HOST",
            description = "each node's jvmRoute and address, e.g. jvm1=10.0.0.1,jvm2=10.0.0.2")
    List<String> routes;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder to write into (must not exist yet)")
    Path out;

    @Option(names = "--http-port", paramLabel = "PORT", description = "each node's HTTP connector (default: ${DEFAULT-VALUE})")
    int httpPort = 8080;

    @Option(names = "--replication-port", paramLabel = "PORT", description = "each node's replication port (default: ${DEFAULT-VALUE})")
    int replicationPort = 4000;

    @Option(names = "--login-attributes", split = ",", paramLabel = "NAME",
            description = "session attributes that mean logged in, e.g. userid,sessionkey")
    List<String> loginAttributes = new ArrayList<>();

    @Option(names = "--insecure", description = "replication without TLS (not recommended: plaintext Java serialization)")
    boolean insecure;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, GeneralSecurityException {
        ClusterLayout layout;
        try {
            layout = new ClusterLayout(parseRoutes(), httpPort, replicationPort, loginAttributes, !insecure);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (Files.exists(out)) {
            throw new FileAlreadyExistsException(out.toString(), null, "gen writes into a new folder only");
        }
        Files.createDirectories(out);
        PrintWriter log = spec.commandLine().getOut();
        ClusterPki pki = layout.tls() ? ClusterPki.init(out.resolve("tls"), "jvmroute", ClusterPki.DEFAULT_CA_VALIDITY) : null;
        for (Map.Entry<String, String> node : layout.nodes().entrySet()) {
            Path dir = Files.createDirectories(out.resolve(node.getKey()));
            Files.writeString(dir.resolve("server.xml"), layout.serverXml(node.getKey()), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("server-fragment.xml"), layout.engineElements(node.getKey()), StandardCharsets.UTF_8);
            if (pki != null) {
                pki.issue(node.getKey(), List.of(node.getValue()), ClusterPki.DEFAULT_NODE_VALIDITY);
            }
            log.println("node " + node.getKey() + ": " + dir.resolve("server.xml")
                    + (pki == null ? "" : "; copy tls/ca.crt, tls/" + node.getKey() + ".crt and tls/" + node.getKey()
                    + ".key to that node's $CATALINA_BASE/conf/jvmroute/"));
        }
        Files.writeString(out.resolve("workers.properties"), layout.workersProperties(), StandardCharsets.UTF_8);
        log.println("balancer: " + out.resolve("workers.properties"));
        log.println("verify with: jvmroute check " + out + "/*/server.xml " + out.resolve("workers.properties"));
        log.flush();
        return 0;
    }

    private Map<String, String> parseRoutes() {
        Map<String, String> nodes = new LinkedHashMap<>();
        for (String route : routes) {
            int eq = route.indexOf('=');
            if (eq <= 0 || eq == route.length() - 1) {
                throw new IllegalArgumentException("--routes " + route + " (expected: ROUTE=HOST)");
            }
            if (nodes.put(route.substring(0, eq), route.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("--routes: " + route.substring(0, eq) + " twice (expected: each route once)");
            }
        }
        return nodes;
    }
}
