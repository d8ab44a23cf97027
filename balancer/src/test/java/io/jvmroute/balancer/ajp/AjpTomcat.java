package io.jvmroute.balancer.ajp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;

/**
 * An embedded Tomcat with only an {@code AJP/1.3} connector (on 127.0.0.1, a free port) and the test app at
 * {@code /app}: the peer the AJP13 client must satisfy. The app says which node served, what it received
 * (method, URI, query, remote address, headers, attributes, body digest), creates sessions, streams unsized
 * bodies and sends large headers.
 */
public final class AjpTomcat implements AutoCloseable {

    public final String route;
    private final Tomcat tomcat = new Tomcat();
    private final Connector connector;
    private final Path base;

    /**
     * @param secret        the connector's secret, or null for {@code secretRequired="false"} (a pre-Ghostcat connector)
     * @param packetSize    the connector's packetSize (8192 by default)
     */
    public AjpTomcat(String route, String secret, int packetSize) throws IOException, LifecycleException {
        this.route = route;
        this.base = Files.createTempDirectory("ajp-tomcat-" + route);
        tomcat.setBaseDir(base.toString());
        connector = new Connector("AJP/1.3");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("packetSize", Integer.toString(packetSize));
        if (secret != null) {
            connector.setProperty("secret", secret);
        } else {
            connector.setProperty("secretRequired", "false");
        }
        tomcat.getService().addConnector(connector);
        tomcat.getEngine().setJvmRoute(route);
        Context app = tomcat.addContext("/app", null);
        Tomcat.addServlet(app, "app", new App());
        app.addServletMappingDecoded("/*", "app");
        tomcat.start();
    }

    public AjpTomcat(String route, String secret) throws IOException, LifecycleException {
        this(route, secret, 8192);
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** Stops the node at once: its AJP port closes and its open connections drop. */
    @Override
    public void close() {
        if (tomcat.getServer().getState() == org.apache.catalina.LifecycleState.DESTROYED) {
            return;
        }
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        }
    }

    private final class App extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
            resp.setContentType("text/plain");
            resp.setHeader("X-Node", route);
            switch (path) {
                case "/login" -> {
                    req.getSession(true).setAttribute("user", req.getParameter("user"));
                    resp.getWriter().print(route);
                }
                case "/stream" -> { // an unsized body: Tomcat sends no Content-Length
                    int parts = Integer.parseInt(req.getParameter("parts"));
                    PrintWriter w = resp.getWriter();
                    for (int i = 0; i < parts; i++) {
                        w.print(String.valueOf((char) ('a' + i % 26)).repeat(1000));
                        w.flush();
                    }
                }
                case "/big-header" -> {
                    resp.setHeader("X-Big", "b".repeat(Integer.parseInt(req.getParameter("size"))));
                    resp.getWriter().print(route);
                }
                default -> echo(req, resp);
            }
        }

        private void echo(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            byte[] body;
            try (InputStream in = req.getInputStream()) {
                body = in.readAllBytes();
            }
            StringBuilder sb = new StringBuilder();
            sb.append("node=").append(route).append('\n');
            sb.append("method=").append(req.getMethod()).append('\n');
            sb.append("uri=").append(req.getRequestURI()).append('\n');
            sb.append("query=").append(req.getQueryString()).append('\n');
            sb.append("protocol=").append(req.getProtocol()).append('\n');
            sb.append("remote=").append(req.getRemoteAddr()).append('\n');
            sb.append("server=").append(req.getServerName()).append(':').append(req.getServerPort()).append('\n');
            sb.append("secure=").append(req.isSecure()).append('\n');
            sb.append("activation=").append(req.getAttribute("JK_LB_ACTIVATION")).append('\n');
            sb.append("session=").append(req.getRequestedSessionId()).append('\n');
            sb.append("user=").append(req.getSession(false) == null ? null : req.getSession(false).getAttribute("user")).append('\n');
            sb.append("body=").append(body.length).append(' ').append(sha256(body)).append('\n');
            for (String name : Collections.list(req.getHeaderNames())) {
                sb.append("header.").append(name.toLowerCase(java.util.Locale.ROOT)).append('=')
                        .append(String.join(",", Collections.list(req.getHeaders(name)))).append('\n');
            }
            resp.getWriter().print(sb);
        }
    }

    public static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
