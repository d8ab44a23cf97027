package io.jvmroute.check;

import io.jvmroute.config.XmlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** The facts of one server.xml that the checks compare: its engines' routes, clusters and valves. */
record ServerXml(String file, XmlNode root) {

    static final String OUR_VALVE = "io.jvmroute.valve.JvmRouteValve";
    static final String STOCK_VALVE = "org.apache.catalina.ha.session.JvmRouteBinderValve";
    static final String OUR_CLUSTER = "io.jvmroute.replication.RouteCluster";

    List<XmlNode> engines() {
        return root.descendants("Engine");
    }

    /** The Engine's jvmRoute, empty when absent or blank. */
    static Optional<String> route(XmlNode engine) {
        return engine.attribute("jvmRoute").map(String::trim).filter(r -> !r.isEmpty());
    }

    /** Valves anywhere in the engine (Engine, Host, Context, Cluster) with this class name. */
    static List<XmlNode> valves(XmlNode engine, String className) {
        List<XmlNode> found = new ArrayList<>();
        for (XmlNode valve : engine.descendants("Valve")) {
            if (valve.attribute("className").map(String::trim).filter(className::equals).isPresent()) {
                found.add(valve);
            }
        }
        return found;
    }

    /** The AJP connectors of the engine's Service. */
    List<XmlNode> ajpConnectors(XmlNode engine) {
        List<XmlNode> found = new ArrayList<>();
        for (XmlNode service : root.descendants("Service")) {
            if (service.descendants("Engine").contains(engine)) {
                for (XmlNode c : service.children("Connector")) {
                    if (c.attribute("protocol").orElse("").toUpperCase(java.util.Locale.ROOT).contains("AJP")) {
                        found.add(c);
                    }
                }
            }
        }
        return found;
    }

    /** The secret an AJP connector requires, when it names one literally (not a ${property}). */
    static Optional<String> ajpSecret(XmlNode connector) {
        return connector.attribute("secret").or(() -> connector.attribute("requiredSecret"))
                .map(String::trim).filter(s -> !s.isEmpty() && !s.contains("${"));
    }

    static Optional<XmlNode> cluster(XmlNode engine) {
        List<XmlNode> clusters = engine.children("Cluster");
        return clusters.isEmpty() ? Optional.empty() : Optional.of(clusters.get(0));
    }

    static boolean isOurs(XmlNode cluster) {
        return cluster.attribute("className").map(String::trim).filter(OUR_CLUSTER::equals).isPresent();
    }

    /**
     * The cluster's members as a comparable description: RouteCluster's {@code members} attribute as a sorted
     * set of {@code route=host:port}, or a stock cluster's static members as sorted {@code host:port}.
     */
    static String members(XmlNode cluster) {
        TreeSet<String> members = new TreeSet<>();
        if (isOurs(cluster)) {
            for (String member : cluster.attribute("members").orElse("").split(",")) {
                if (!member.isBlank()) {
                    members.add(member.replaceAll("\\s+", ""));
                }
            }
        } else {
            for (XmlNode member : cluster.descendants("Member")) {
                members.add(member.attribute("host").orElse("?") + ":" + member.attribute("port").orElse("?"));
            }
        }
        return String.join(",", members);
    }
}
