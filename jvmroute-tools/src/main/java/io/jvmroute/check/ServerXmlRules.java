package io.jvmroute.check;

import io.jvmroute.config.XmlNode;
import io.jvmroute.route.IdProblem;
import io.jvmroute.route.SessionId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The rules that one server.xml must pass on its own. */
final class ServerXmlRules {

    private final ServerXml server;
    private final List<Finding> findings = new ArrayList<>();

    private ServerXmlRules(ServerXml server) {
        this.server = server;
    }

    static List<Finding> check(ServerXml server) {
        ServerXmlRules rules = new ServerXmlRules(server);
        List<XmlNode> engines = server.engines();
        if (engines.isEmpty()) {
            rules.error(server.root(), "no <Engine> in this server.xml");
        }
        for (XmlNode engine : engines) {
            rules.checkRoute(engine);
            ServerXml.cluster(engine).ifPresent(cluster -> rules.checkCluster(engine, cluster));
            rules.checkValves(engine);
        }
        server.root().descendants("Connector").forEach(rules::checkAjpSecret);
        return rules.findings;
    }

    private void checkRoute(XmlNode engine) {
        Optional<String> route = ServerXml.route(engine);
        if (route.isEmpty()) {
            error(engine, "<Engine> has no jvmRoute: session ids carry no route, so no balancer can keep a user on"
                    + " this node (add jvmRoute=\"jvm1\" with this node's worker name)");
        } else if (route.get().contains("${")) {
            warning(engine, "jvmRoute \"" + route.get() + "\" is set from a property: check cannot compare it with"
                    + " the balancer's workers");
        } else {
            IdProblem problem = SessionId.checkRoute(route.get());
            if (problem != null) {
                error(engine, "jvmRoute \"" + route.get() + "\" is not usable in a session id (" + problem.description()
                        + "; expected: letters, digits, _ - and . between parts)");
            }
        }
    }

    private void checkCluster(XmlNode engine, XmlNode cluster) {
        if (!ServerXml.isOurs(cluster)) {
            error(cluster, "<Cluster className=\"" + cluster.attribute("className").orElse("SimpleTcpCluster") + "\">"
                    + " replicates as plaintext Java serialization without a class filter: anyone who reaches its port"
                    + " can run code; use " + ServerXml.OUR_CLUSTER + " (mutual TLS)");
        } else if (cluster.attribute("insecure").map(v -> v.trim().toLowerCase(Locale.ROOT))
                .filter(v -> v.equals("true") || v.equals("trusted-network")).isPresent()) {
            warning(cluster, "replication without TLS (insecure=\"" + cluster.attribute("insecure").orElse("").trim()
                    + "\"): anyone who reaches the cluster port can"
                    + " read sessions and run code; remove insecure and configure the node's certificate");
        }
        if (ServerXml.valves(engine, ServerXml.OUR_VALVE).isEmpty()) {
            error(cluster, "<Cluster> without <Valve className=\"" + ServerXml.OUR_VALVE + "\"/>: after a failover"
                    + " session ids keep the dead node's route (add the valve inside <Engine>)");
        }
    }

    private void checkValves(XmlNode engine) {
        List<XmlNode> ours = ServerXml.valves(engine, ServerXml.OUR_VALVE);
        for (XmlNode stock : ServerXml.valves(engine, ServerXml.STOCK_VALVE)) {
            if (!ours.isEmpty()) {
                error(stock, "JvmRouteBinderValve beside " + ServerXml.OUR_VALVE + ": both rename sessions, and the"
                        + " stock valve renames on any stray request (remove this valve)");
            }
        }
        if (ours.size() > 1) {
            error(ours.get(1), "a second " + ServerXml.OUR_VALVE + " in the same <Engine> (keep one)");
        }
    }

    private void checkAjpSecret(XmlNode connector) {
        String protocol = connector.attribute("protocol").orElse("HTTP/1.1");
        if (!protocol.toUpperCase(Locale.ROOT).contains("AJP")) {
            return;
        }
        boolean hasSecret = connector.attribute("secret").or(() -> connector.attribute("requiredSecret"))
                .filter(s -> !s.isBlank()).isPresent();
        boolean secretRequired = !connector.attribute("secretRequired").map(String::trim).filter("false"::equalsIgnoreCase).isPresent();
        if (hasSecret) {
            return;
        }
        if (secretRequired) {
            error(connector, "AJP <Connector> without secret: Tomcat refuses to start it (secretRequired defaults to"
                    + " true); set secret=\"…\" here and the same secret in the balancer's worker");
        } else {
            error(connector, "AJP <Connector> with secretRequired=\"false\" and no secret: anyone who reaches the port"
                    + " can send requests as the proxy (Ghostcat, CVE-2020-1938); set a secret");
        }
    }

    private void error(XmlNode node, String message) {
        findings.add(Finding.error(server.file(), node.line(), message));
    }

    private void warning(XmlNode node, String message) {
        findings.add(Finding.warning(server.file(), node.line(), message));
    }
}
