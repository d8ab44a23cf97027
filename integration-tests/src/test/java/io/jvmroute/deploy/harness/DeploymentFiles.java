package io.jvmroute.deploy.harness;

import io.jvmroute.deploy.probe.Canary;
import io.jvmroute.harness.TomcatNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Everything the suite deploys, written as an operator would: the distribution archive unpacked, then its
 * {@code bin/jvmroute gen} run for the cluster's addresses (every node's server.xml and the TLS material for
 * mutual TLS), each node's CATALINA_BASE laid out from the Tomcat distribution's conf/ plus those files, the
 * drop-in jar from the archive's {@code tomcat-lib/} in {@code lib/}, and the test webapp.
 *
 * <p>The one addition to gen's server.xml is the AJP connector with its secret that the seed's Apache + mod_jk
 * front needs (gen writes the HTTP connector its own balancer uses).
 */
public final class DeploymentFiles {

    public static final int HTTP_PORT = 8080;
    public static final int REPLICATION_PORT = 4000;
    /** The seed's AJP port (its CloudStack servers listened on 20400, not 8009). */
    public static final int AJP_PORT = 20400;
    public static final String AJP_SECRET = "seed-ajp-secret-7f3a";
    public static final String CONTEXT = "/app";
    static final int USERS = 200;

    private final Path dir;
    private final Map<String, String> nodes;
    private final Path jvmroute;

    private DeploymentFiles(Path dir, Map<String, String> nodes, Path jvmroute) {
        this.dir = dir;
        this.nodes = nodes;
        this.jvmroute = jvmroute;
    }

    /**
     * Writes a cluster's files into {@code dir} (emptied first).
     *
     * @param nodes route to the node's IP address, in order
     */
    public static DeploymentFiles write(Path dir, Map<String, String> nodes) throws IOException {
        Path jvmroute = Distribution.home();
        TomcatNode.deleteRecursively(dir);
        Files.createDirectories(dir);
        DeploymentFiles files = new DeploymentFiles(dir, new LinkedHashMap<>(nodes), jvmroute);
        files.generate();
        for (String route : nodes.keySet()) {
            files.layOutBase(route);
        }
        return files;
    }

    private void generate() {
        String routes = nodes.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
        Distribution.jvmroute("gen", "--routes", routes, "--http-port", Integer.toString(HTTP_PORT),
                "--replication-port", Integer.toString(REPLICATION_PORT), "--login-attributes", "userid",
                "--out", gen().toString());
    }

    private void layOutBase(String route) throws IOException {
        Path base = base(route);
        for (String sub : List.of("conf/jvmroute", "lib", "logs", "temp", "work", "webapps")) {
            Files.createDirectories(base.resolve(sub));
        }
        try (Stream<Path> conf = Files.list(Distribution.tomcatHome().resolve("conf"))) {
            for (Path file : (Iterable<Path>) conf::iterator) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, base.resolve("conf").resolve(file.getFileName()));
                }
            }
        }
        String serverXml = Files.readString(gen().resolve(route).resolve("server.xml"), StandardCharsets.UTF_8);
        Files.writeString(base.resolve("conf/server.xml"), withAjpConnector(serverXml, nodes.get(route)), StandardCharsets.UTF_8);
        Files.writeString(base.resolve("conf/tomcat-users.xml"), users(), StandardCharsets.UTF_8);
        for (String pem : List.of("ca.crt", route + ".crt", route + ".key")) {
            Files.copy(gen().resolve("tls").resolve(pem), base.resolve("conf/jvmroute").resolve(pem));
        }
        try (Stream<Path> jars = Files.list(jvmroute.resolve("tomcat-lib"))) {
            for (Path jar : (Iterable<Path>) jars::iterator) {
                Files.copy(jar, base.resolve("lib").resolve(jar.getFileName()));
            }
        }
        TomcatNode.copyRecursively(Distribution.webapp(), base.resolve("webapps").resolve(CONTEXT.substring(1)));
        // The tripwire of the security scenario, on the node's common class path (CATALINA_BASE/lib is a class folder too).
        Path canary = base.resolve("lib").resolve(Canary.class.getName().replace('.', '/') + ".class");
        Files.createDirectories(canary.getParent());
        try (InputStream in = Canary.class.getResourceAsStream(Canary.class.getSimpleName() + ".class")) {
            Files.copy(in, canary);
        }
    }

    /** gen's server.xml plus the AJP connector (address = the node's own, as the HTTP one) after its HTTP one. */
    static String withAjpConnector(String serverXml, String address) {
        int http = serverXml.indexOf("<Connector ");
        int end = serverXml.indexOf("/>", http);
        if (http < 0 || end < 0) {
            throw new IllegalStateException("gen's server.xml has no <Connector/>:\n" + serverXml);
        }
        String ajp = "\n    <Connector protocol=\"AJP/1.3\" address=\"" + address + "\" port=\"" + AJP_PORT
                + "\" secret=\"" + AJP_SECRET + "\" />";
        return serverXml.substring(0, end + 2) + ajp + serverXml.substring(end + 2);
    }

    private static String users() {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tomcat-users>\n"
                + "  <role rolename=\"user\"/>\n");
        for (int i = 0; i < USERS; i++) {
            xml.append("  <user username=\"").append(userName(i)).append("\" password=\"").append(password(userName(i)))
                    .append("\" roles=\"user\"/>\n");
        }
        return xml.append("</tomcat-users>\n").toString();
    }

    static String userName(int i) {
        return "user" + i;
    }

    static String password(String user) {
        return "pw-" + user;
    }

    /** The node's CATALINA_BASE, mounted into its container. */
    public Path base(String route) {
        return dir.resolve("nodes").resolve(route);
    }

    /** What {@code jvmroute gen} wrote (server.xml per node, workers.properties, tls/). */
    public Path gen() {
        return dir.resolve("gen");
    }

    public Path dir() {
        return dir;
    }

    public Map<String, String> nodes() {
        return nodes;
    }

    /** Every server.xml the suite deployed, for {@code jvmroute check}. */
    public List<Path> serverXmls() {
        List<Path> files = new ArrayList<>();
        nodes.keySet().forEach(route -> files.add(base(route).resolve("conf/server.xml")));
        return files;
    }
}
