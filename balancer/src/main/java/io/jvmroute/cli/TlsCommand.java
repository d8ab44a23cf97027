package io.jvmroute.cli;

import io.jvmroute.route.SessionId;
import io.jvmroute.tls.ClusterPki;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
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

/** {@code jvmroute tls}: the cluster CA and each node's key material for mutual TLS replication. */
@Command(name = "tls", mixinStandardHelpOptions = true,
        description = "Makes the key material for mutual TLS between the nodes: a cluster CA and one certificate per route.",
        subcommands = {TlsCommand.Init.class, TlsCommand.Add.class})
public final class TlsCommand {

    /** Options both subcommands take. */
    static class NodeOptions {
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder of the cluster's key material")
        Path out;

        @Option(names = "--host", paramLabel = "ROUTE=HOST", description = "also name HOST (name or IP) in ROUTE's certificate; repeatable")
        List<String> hosts = new ArrayList<>();

        @Option(names = "--days", paramLabel = "N", description = "validity of node certificates in days (default: ${DEFAULT-VALUE})")
        int days = (int) ClusterPki.DEFAULT_NODE_VALIDITY.toDays();

        @Spec
        CommandSpec spec;

        Map<String, List<String>> hostsByRoute(List<String> routes) {
            Map<String, List<String>> byRoute = new LinkedHashMap<>();
            routes.forEach(r -> byRoute.put(r, new ArrayList<>()));
            for (String host : hosts) {
                int eq = host.indexOf('=');
                if (eq <= 0 || !byRoute.containsKey(host.substring(0, eq))) {
                    throw new ParameterException(spec.commandLine(), "--host " + host + " (expected: ROUTE=HOST with ROUTE one of " + routes + ")");
                }
                byRoute.get(host.substring(0, eq)).add(host.substring(eq + 1));
            }
            return byRoute;
        }

        /** Refuses bad routes and --host values before anything is written. */
        void checkRoutes(List<String> routes) {
            for (String route : routes) {
                if (SessionId.checkRoute(route) != null) {
                    throw new ParameterException(spec.commandLine(), "route " + route + ": not a usable jvmRoute ("
                            + SessionId.checkRoute(route).description() + ")");
                }
            }
            hostsByRoute(routes);
        }

        int issue(ClusterPki pki, List<String> routes) throws IOException, GeneralSecurityException {
            PrintWriter out = spec.commandLine().getOut();
            for (Map.Entry<String, List<String>> node : hostsByRoute(routes).entrySet()) {
                ClusterPki.NodeMaterial material = pki.issue(node.getKey(), node.getValue(), Duration.ofDays(days));
                out.println("node " + material.route() + ": add to its <Cluster className=\"io.jvmroute.replication.RouteCluster\" …>:");
                out.println("  " + material.clusterAttributes());
            }
            out.println("Keys are owner-only (rw-------); copy each node's .key to that node only.");
            out.flush();
            return 0;
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true, description = "Creates the cluster CA and the material of each route.")
    static final class Init extends NodeOptions implements Callable<Integer> {
        @Option(names = "--routes", required = true, split = ",", paramLabel = "ROUTE", description = "the nodes' jvmRoutes, e.g. jvm1,jvm2,jvm3")
        List<String> routes;

        @Option(names = "--cluster-name", paramLabel = "NAME", description = "named in the CA certificate (default: ${DEFAULT-VALUE})")
        String clusterName = "jvmroute";

        @Override
        public Integer call() throws IOException, GeneralSecurityException {
            if (routes.stream().distinct().count() != routes.size()) {
                throw new ParameterException(spec.commandLine(), "--routes " + String.join(",", routes) + " (expected: each route once)");
            }
            checkRoutes(routes);
            ClusterPki pki = ClusterPki.init(out, clusterName, ClusterPki.DEFAULT_CA_VALIDITY);
            spec.commandLine().getOut().println("cluster CA: " + out.resolve("ca.crt") + " (keep " + out.resolve("ca.key") + " safe)");
            return issue(pki, routes);
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Issues the material of a new node with the existing CA.")
    static final class Add extends NodeOptions implements Callable<Integer> {
        @Option(names = "--route", required = true, paramLabel = "ROUTE", description = "the new node's jvmRoute")
        String route;

        @Override
        public Integer call() throws IOException, GeneralSecurityException {
            checkRoutes(List.of(route));
            return issue(ClusterPki.load(out), List.of(route));
        }
    }
}
