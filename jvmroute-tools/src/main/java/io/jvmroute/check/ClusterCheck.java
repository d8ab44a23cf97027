package io.jvmroute.check;

import io.jvmroute.config.ConfigException;
import io.jvmroute.config.WorkersPropertiesParser;
import io.jvmroute.config.XmlFiles;
import io.jvmroute.config.XmlNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code jvmroute check} does: reads an operator's real server.xml, web.xml and workers.properties
 * files and explains, one line each with file and line, everything that breaks stickiness or replication.
 * The rules for one server.xml live in {@link ServerXmlRules}; this class classifies the files and runs the
 * rules that need several files (routes against the balancer's workers, duplicate routes, member lists).
 */
public final class ClusterCheck {

    private static final Pattern LOCATED = Pattern.compile("^(.*?):(\\d+)(?::\\d+)?: (.*)$", Pattern.DOTALL);

    private final List<Finding> findings = new ArrayList<>();
    private final List<ServerXml> servers = new ArrayList<>();
    /** Per workers.properties, its workers' routes by name: read even from a file with problems. */
    private final Map<String, List<WorkersPropertiesParser.WorkerRoute>> workers = new LinkedHashMap<>();

    private ClusterCheck() {
    }

    /** Checks these files together: first each file's own findings in file order, then those across files. */
    public static List<Finding> check(List<Path> files) {
        ClusterCheck check = new ClusterCheck();
        for (Path file : files) {
            check.read(file);
        }
        check.compareRoutesWithWorkers();
        check.compareAjpSecrets();
        check.findDuplicateRoutes();
        check.compareMembers();
        return List.copyOf(check.findings);
    }

    private void read(Path path) {
        String file = path.toString();
        try {
            if (file.endsWith(".properties")) {
                // one problem never hides another: the routes are compared whatever else is wrong in the file
                WorkersPropertiesParser.Outcome outcome = WorkersPropertiesParser.examine(path);
                outcome.problems().forEach(problem -> findings.add(located(file, problem)));
                workers.put(file, outcome.routes());
                return;
            }
            XmlNode root = XmlFiles.read(path);
            switch (root.name()) {
                case "Server" -> {
                    ServerXml server = new ServerXml(file, root);
                    servers.add(server);
                    findings.addAll(ServerXmlRules.check(server));
                }
                case "web-app" -> checkWebXml(file, root);
                default -> findings.add(Finding.error(file, root.line(), "root element <" + root.name()
                        + "> (expected: a server.xml <Server>, a web.xml <web-app>, or a workers.properties)"));
            }
        } catch (ConfigException e) {
            for (String problem : e.problems()) {
                findings.add(located(file, problem));
            }
        } catch (IOException e) {
            findings.add(Finding.error(file, 0, "cannot read (" + e.getMessage() + ")"));
        }
    }

    /** Turns a parser's "file:line: message" into a finding that prints the location once. */
    private static Finding located(String file, String problem) {
        Matcher m = LOCATED.matcher(problem);
        if (m.matches() && (m.group(1).equals(file) || file.endsWith("/" + m.group(1)))) {
            return Finding.error(file, Integer.parseInt(m.group(2)), m.group(3));
        }
        int colon = problem.indexOf(": ");
        String source = colon < 0 ? "" : problem.substring(0, colon);
        boolean ours = colon > 0 && (source.equals(file) || file.endsWith("/" + source));
        return Finding.error(file, 0, ours ? problem.substring(colon + 2) : problem);
    }

    private void checkWebXml(String file, XmlNode webApp) {
        if (webApp.children("distributable").isEmpty()) {
            findings.add(Finding.error(file, webApp.line(), "<web-app> has no <distributable/>: Tomcat gives this webapp a"
                    + " session manager that does not replicate, so a failover logs everyone out (add <distributable/>"
                    + " inside <web-app>, or in a CloudStack install the management server's web.xml)"));
        }
    }

    private void compareRoutesWithWorkers() {
        for (Map.Entry<String, List<WorkersPropertiesParser.WorkerRoute>> entry : workers.entrySet()) {
            List<String> routes = entry.getValue().stream().map(WorkersPropertiesParser.WorkerRoute::route).distinct().toList();
            for (ServerXml server : servers) {
                for (XmlNode engine : server.engines()) {
                    ServerXml.route(engine).filter(route -> !route.contains("${") && !routes.contains(route))
                            .ifPresent(route -> findings.add(Finding.error(server.file(), engine.line(),
                                    "jvmRoute \"" + route + "\" matches no worker route in " + entry.getKey() + " ("
                                            + String.join(", ", routes) + ")" + caseHint(route, routes)
                                            + ": its sessions are balanced like new ones, not sticky; name the worker"
                                            + " after the jvmRoute or set worker.<name>.route=" + route)));
                }
            }
            if (servers.size() >= 2) {
                reportWorkersWithoutNode(entry.getValue(), entry.getKey());
            }
        }
    }

    /**
     * A worker spoken to in AJP13 must send the secret its node's AJP connector requires: Tomcat answers every
     * request without it (or with another) with 403. Secrets are compared, never printed.
     */
    private void compareAjpSecrets() {
        for (Map.Entry<String, List<WorkersPropertiesParser.WorkerRoute>> entry : workers.entrySet()) {
            for (ServerXml server : servers) {
                for (XmlNode engine : server.engines()) {
                    Optional<String> route = ServerXml.route(engine);
                    for (WorkersPropertiesParser.WorkerRoute worker : entry.getValue()) {
                        if (!worker.ajp() || route.isEmpty() || !route.get().equals(worker.route())) {
                            continue;
                        }
                        for (XmlNode connector : server.ajpConnectors(engine)) {
                            Optional<String> required = ServerXml.ajpSecret(connector);
                            if (required.isPresent() && !required.equals(worker.secret())) {
                                findings.add(Finding.error(entry.getKey(), worker.line(), "worker " + worker.worker()
                                        + (worker.secret().isPresent() ? " sends another secret than" : " sends no secret, but")
                                        + " the AJP <Connector> at " + server.file() + ":" + connector.line()
                                        + " requires one: Tomcat answers every request with 403; set worker."
                                        + worker.worker() + ".secret to the connector's secret"));
                            }
                        }
                    }
                }
            }
        }
    }

    private void reportWorkersWithoutNode(List<WorkersPropertiesParser.WorkerRoute> routes, String file) {
        List<String> nodeRoutes = new ArrayList<>();
        servers.forEach(s -> s.engines().forEach(e -> ServerXml.route(e).ifPresent(nodeRoutes::add)));
        for (WorkersPropertiesParser.WorkerRoute worker : routes) {
            if (!nodeRoutes.contains(worker.route())) {
                findings.add(Finding.warning(file, worker.line(), "worker " + worker.worker() + " has route \""
                        + worker.route() + "\", which no given server.xml uses as its jvmRoute"));
            }
        }
    }

    private static String caseHint(String route, List<String> routes) {
        for (String candidate : routes) {
            if (candidate.equalsIgnoreCase(route)) {
                return " — \"" + candidate + "\" differs only in case, and routes are case-sensitive";
            }
        }
        return "";
    }

    private void findDuplicateRoutes() {
        Map<String, String> firstSeen = new LinkedHashMap<>();
        for (ServerXml server : servers) {
            for (XmlNode engine : server.engines()) {
                Optional<String> route = ServerXml.route(engine);
                if (route.isEmpty()) {
                    continue;
                }
                String here = server.file() + ":" + engine.line();
                String earlier = firstSeen.putIfAbsent(route.get(), here);
                if (earlier != null) {
                    findings.add(Finding.error(server.file(), engine.line(), "jvmRoute \"" + route.get()
                            + "\" is also the jvmRoute at " + earlier + ": two nodes with one route share each other's"
                            + " session ids and the balancer cannot tell them apart; give each node its own route"));
                }
            }
        }
    }

    private void compareMembers() {
        String reference = null;
        String referenceAt = null;
        for (ServerXml server : servers) {
            for (XmlNode engine : server.engines()) {
                Optional<XmlNode> cluster = ServerXml.cluster(engine);
                if (cluster.isEmpty()) {
                    continue;
                }
                String members = ServerXml.members(cluster.get());
                if (reference == null) {
                    reference = members;
                    referenceAt = server.file() + ":" + cluster.get().line();
                } else if (!reference.equals(members)) {
                    findings.add(Finding.error(server.file(), cluster.get().line(), "cluster members [" + members
                            + "] differ from [" + reference + "] at " + referenceAt
                            + ": every node must list the same members"));
                }
            }
        }
    }
}
