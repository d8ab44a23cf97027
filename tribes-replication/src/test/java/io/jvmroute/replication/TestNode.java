package io.jvmroute.replication;

import io.jvmroute.testsupport.EmbeddedNode;
import io.jvmroute.testsupport.FormLogin;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.function.Consumer;
import javax.management.JMException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Session;
import org.apache.catalina.startup.Tomcat;

/**
 * One embedded Tomcat node ({@link EmbeddedNode}) on its own loopback address, with a distributable
 * {@code /app} and, unless {@code configure} is {@code null}, a {@link RouteCluster}:
 * <ul>
 *   <li>{@code /app/login?user=U}: creates a session, sets the login attributes {@code userid} and
 *       {@code sessionkey}, answers the session id;</li>
 *   <li>{@code /app/touch}: a non-login change ({@code counter} incremented);</li>
 *   <li>{@code /app/whoami}: answers {@code userid} and the container's remote user, or {@code none};</li>
 *   <li>{@code /app/secure/*}: FORM-protected as {@link io.jvmroute.testsupport.FormLogin} sets it up;
 *       {@code /app/secure/page} answers as {@code /app/whoami} does.</li>
 * </ul>
 * Nodes of one JVM get distinct Engine and cluster names, as JMX needs.
 */
final class TestNode implements AutoCloseable {

    final String route;
    final String host;
    final Tomcat tomcat;
    final Context context;
    final RouteCluster cluster;
    private final EmbeddedNode node;

    private TestNode(EmbeddedNode node, RouteCluster cluster) {
        this.node = node;
        this.route = node.route();
        this.host = node.host();
        this.tomcat = node.tomcat();
        this.context = node.context();
        this.cluster = cluster;
    }

    /** Builds and starts a node; on a failed start everything is stopped again and the failure rethrown. */
    static TestNode start(String route, String host, Consumer<RouteCluster> configure) throws LifecycleException {
        TestNode node = create(route, host, configure);
        node.node.start();
        return node;
    }

    /** @param configure the cluster's settings, or {@code null} for a node without a cluster */
    static TestNode create(String route, String host, Consumer<RouteCluster> configure) {
        RouteCluster cluster = null;
        if (configure != null) {
            cluster = new RouteCluster();
            cluster.setClusterName("cluster-" + route);
            cluster.setDrainOnShutdown(0);
            cluster.setInsecure("true"); // plaintext unless a test configures TLS (and sets it back to false)
            configure.accept(cluster);
        }
        EmbeddedNode node = EmbeddedNode.builder(route, host).cluster(cluster).app(TestNode::addServlets).build();
        return new TestNode(node, cluster);
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
    }

    int httpPort() {
        return node.httpPort();
    }

    String url(String path) {
        return node.url(path);
    }

    RouteManager manager() {
        return (RouteManager) context.getManager();
    }

    Session session(String id) throws IOException {
        return manager().findSession(id);
    }

    @Override
    public void close() {
        node.close();
    }
}
