package io.jvmroute.check;

import io.jvmroute.config.BalancerSettings;
import io.jvmroute.config.ConfigException;
import io.jvmroute.config.WorkerDef;
import io.jvmroute.config.WorkersConfig;
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
    private final Map<String, WorkersConfig> workers = new LinkedHashMap<>();

    private ClusterCheck() {
    }

    /** Checks these files together: first each file's own findings in file order, then those across files. */
    public static List<Finding> check(List<Path> files) {
        ClusterCheck check = new ClusterCheck();
        for (Path file : files) {
            check.read(file);
        }
        check.compareRoutesWithWorkers();
        check.findDuplicateRoutes();
        check.compareMembers();
        check.compareFailoverHeaders();
        return List.copyOf(check.findings);
    }

    private void read(Path path) {
        String file = path.toString();
        try {
            if (file.endsWith(".properties")) {
                workers.put(file, WorkersPropertiesParser.parse(path));
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
        return Finding.error(file, 0, problem.startsWith(file + ": ") ? problem.substring(file.length() + 2) : problem);
    }

    private void checkWebXml(String file, XmlNode webApp) {
        if (webApp.children("distributable").isEmpty()) {
            findings.add(Finding.error(file, webApp.line(), "<web-app> has no <distributable/>: Tomcat gives this webapp a"
                    + " session manager that does not replicate, so a failover logs everyone out (add <distributable/>"
                    + " inside <web-app>, or in a CloudStack install the management server's web.xml)"));
        }
    }

    private void compareRoutesWithWorkers() {
        for (Map.Entry<String, WorkersConfig> entry : workers.entrySet()) {
            List<String> routes = new ArrayList<>();
            for (WorkerDef worker : entry.getValue().workers().values()) {
                routes.add(worker.route());
            }
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

    private void reportWorkersWithoutNode(WorkersConfig config, String file) {
        List<String> nodeRoutes = new ArrayList<>();
        servers.forEach(s -> s.engines().forEach(e -> ServerXml.route(e).ifPresent(nodeRoutes::add)));
        for (WorkerDef worker : config.workers().values()) {
            if (!nodeRoutes.contains(worker.route())) {
                findings.add(Finding.warning(file, worker.line(), "worker " + worker.name() + " has route \""
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

    /**
     * The valve trusts the failover header only because the balancer strips clients' copies of it: under two
     * names, the balancer strips one and the valve believes the other, which any client can then send.
     */
    private void compareFailoverHeaders() {
        // the valve's default is the balancer's (JvmRouteValve's failoverHeader field says the same name)
        String valveDefault = BalancerSettings.defaults().failoverHeader();
        for (Map.Entry<String, WorkersConfig> entry : workers.entrySet()) {
            String balancer = entry.getValue().settings().failoverHeader();
            for (ServerXml server : servers) {
                for (XmlNode engine : server.engines()) {
                    for (XmlNode valve : ServerXml.valves(engine, ServerXml.OUR_VALVE)) {
                        String header = valve.attribute("failoverHeader").map(String::trim).orElse(valveDefault);
                        if (!header.contains("${") && !header.equalsIgnoreCase(balancer)) {
                            findings.add(Finding.error(server.file(), valve.line(), "JvmRouteValve failoverHeader=\""
                                    + header + "\" but " + entry.getKey() + " has balancer.failover_header=" + balancer
                                    + ": the balancer strips clients' " + balancer + " and the valve trusts " + header
                                    + ", which any client can send to move a session; use one name on both sides"));
                        }
                    }
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
