package io.jvmroute.replication;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.function.Consumer;
import javax.management.JMException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Session;
import org.apache.catalina.authenticator.FormAuthenticator;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.LoginConfig;
import org.apache.tomcat.util.descriptor.web.SecurityCollection;
import org.apache.tomcat.util.descriptor.web.SecurityConstraint;

/**
 * One embedded Tomcat node on its own loopback address, with a distributable {@code /app}:
 * <ul>
 *   <li>{@code /app/login?user=U}: creates a session, sets the login attributes {@code userid} and
 *       {@code sessionkey}, answers the session id;</li>
 *   <li>{@code /app/touch}: a non-login change ({@code counter} incremented);</li>
 *   <li>{@code /app/whoami}: answers {@code userid} and the container's remote user, or {@code none};</li>
 *   <li>{@code /app/secure/*}: FORM-protected (user {@code alice}/{@code secret}, role {@code user}).</li>
 * </ul>
 * Nodes of one JVM get distinct Engine and cluster names, as JMX needs.
 */
final class TestNode implements AutoCloseable {

    final String route;
    final String host;
    final Tomcat tomcat;
    final Context context;
    final RouteCluster cluster;
    private final File baseDir;

    private TestNode(String route, String host, Tomcat tomcat, Context context, RouteCluster cluster, File baseDir) {
        this.route = route;
        this.host = host;
        this.tomcat = tomcat;
        this.context = context;
        this.cluster = cluster;
        this.baseDir = baseDir;
    }

    /** Builds and starts a node; on a failed start everything is stopped again and the failure rethrown. */
    static TestNode start(String route, String host, Consumer<RouteCluster> configure) throws LifecycleException {
        TestNode node = create(route, host, configure);
        try {
            node.tomcat.start();
        } catch (LifecycleException | RuntimeException e) {
            try {
                node.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return node;
    }

    /** @param configure the cluster's settings, or {@code null} for a node without a cluster */
    static TestNode create(String route, String host, Consumer<RouteCluster> configure) {
        File baseDir;
        try {
            baseDir = Files.createTempDirectory("jvmroute-" + route).toFile();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.getAbsolutePath());
        tomcat.getServer().setPort(-1);
        tomcat.getService().setName("Service-" + route);
        tomcat.getEngine().setName("Engine-" + route);
        tomcat.getEngine().setJvmRoute(route);
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", host);
        tomcat.setConnector(connector);
        tomcat.addUser("alice", "secret");
        tomcat.addRole("alice", "user");

        RouteCluster cluster = null;
        if (configure != null) {
            cluster = new RouteCluster();
            cluster.setClusterName("cluster-" + route);
            cluster.setDrainOnShutdown(0);
            cluster.setInsecure("true"); // plaintext unless a test configures TLS (and sets it back to false)
            configure.accept(cluster);
            tomcat.getEngine().setCluster(cluster);
        }

        Context context = tomcat.addContext("/app", null);
        context.setDistributable(true);
        addServlets(context);
        return new TestNode(route, host, tomcat, context, cluster, baseDir);
    }

    private static void addServlets(Context context) {
        Tomcat.addServlet(context, "login", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                HttpSession session = req.getSession(true);
                session.setAttribute("userid", req.getParameter("user"));
                session.setAttribute("sessionkey", "key-" + req.getParameter("user"));
                resp.getWriter().print(session.getId());
            }
        });
        context.addServletMappingDecoded("/login", "login");
        Tomcat.addServlet(context, "touch", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                HttpSession session = req.getSession(true);
                Integer counter = (Integer) session.getAttribute("counter");
                session.setAttribute("counter", Integer.valueOf(counter == null ? 1 : counter.intValue() + 1));
                session.setAttribute("payload", "x".repeat(512));
                resp.getWriter().print(session.getAttribute("counter"));
            }
        });
        context.addServletMappingDecoded("/touch", "touch");
        // For the benchmarks: n sessions of ~2 KiB made at once, and the number of sessions held.
        Tomcat.addServlet(context, "bulk", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                int n = Integer.parseInt(req.getParameter("n"));
                for (int i = 0; i < n; i++) {
                    Session session = context.getManager().createSession(null);
                    session.getSession().setAttribute("userid", "bulk" + i);
                    session.getSession().setAttribute("blob", "b".repeat(2_000));
                }
                resp.getWriter().print(context.getManager().getActiveSessions());
            }
        });
        context.addServletMappingDecoded("/bulk", "bulk");
        Tomcat.addServlet(context, "count", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().print(context.getManager().getActiveSessions());
            }
        });
        context.addServletMappingDecoded("/count", "count");
        // For the state-transfer benchmark: the peak heap this JVM has used so far (sum of the heap pools' peaks), MiB.
        Tomcat.addServlet(context, "heap", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
                        .filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP)
                        .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
                resp.getWriter().print(peak >> 20);
            }
        });
        context.addServletMappingDecoded("/heap", "heap");
        // For the benchmarks: the cluster's per-peer counters (messages per acknowledged frame), as JMX shows them.
        Tomcat.addServlet(context, "peers", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                if (context.getCluster() instanceof RouteCluster cluster) {
                    try {
                        String[] peers = (String[]) ManagementFactory.getPlatformMBeanServer()
                                .getAttribute(cluster.getObjectName(), "peerMetrics");
                        resp.getWriter().print(String.join("\n", peers));
                    } catch (JMException e) {
                        throw new IOException(e);
                    }
                }
            }
        });
        context.addServletMappingDecoded("/peers", "peers");
        HttpServlet whoami = new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                HttpSession session = req.getSession(false);
                PrintWriter out = resp.getWriter();
                out.print(session == null ? "none" : "userid=" + session.getAttribute("userid"));
                out.print(" remoteUser=" + req.getRemoteUser());
            }
        };
        Tomcat.addServlet(context, "whoami", whoami);
        context.addServletMappingDecoded("/whoami", "whoami");
        context.addServletMappingDecoded("/secure/page", "whoami");
        Tomcat.addServlet(context, "loginPage", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().print("login form");
            }

            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                doGet(req, resp);
            }
        });
        context.addServletMappingDecoded("/login.html", "loginPage");
        context.addServletMappingDecoded("/error.html", "loginPage");

        context.setLoginConfig(new LoginConfig("FORM", null, "/login.html", "/error.html"));
        SecurityCollection collection = new SecurityCollection();
        collection.addPatternDecoded("/secure/*");
        SecurityConstraint constraint = new SecurityConstraint();
        constraint.addAuthRole("user");
        constraint.addCollection(collection);
        context.addConstraint(constraint);
        context.addSecurityRole("user");
        context.getPipeline().addValve(new FormAuthenticator());
    }

    int httpPort() {
        return tomcat.getConnector().getLocalPort();
    }

    String url(String path) {
        return "http://" + host + ":" + httpPort() + "/app" + path;
    }

    RouteManager manager() {
        return (RouteManager) context.getManager();
    }

    Session session(String id) throws IOException {
        return manager().findSession(id);
    }

    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        } finally {
            deleteRecursively(baseDir);
        }
    }

    private static void deleteRecursively(File file) {
        File[] children = file.listFiles();
        if (children != null) {
            for (File child : children) {
                deleteRecursively(child);
            }
        }
        file.delete();
    }

    /** A port free on every given address right now, for the Tribes receivers. */
    static int freePort(String... hosts) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket first = new ServerSocket()) {
                first.bind(new InetSocketAddress(hosts[0], 0));
                port = first.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            if (freeOnAll(port, hosts)) {
                return port;
            }
        }
        throw new IllegalStateException("no common free port");
    }

    private static boolean freeOnAll(int port, String... hosts) {
        for (String host : hosts) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(host, port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
