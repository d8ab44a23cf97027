package io.jvmroute.balancer.hung;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real Tomcat in its own JVM, so that a test can freeze it with SIGSTOP (a hung node: its kernel still
 * accepts connections, nothing answers). {@link #start} runs {@link #main} in a child JVM with the test's class
 * path; the child prints its HTTP port, serves {@code /app/*} with its jvmRoute as the body, and exits when its
 * standard input closes (the test ended, or died).
 */
public final class ChildTomcat implements AutoCloseable {

    public final String route;
    public final int port;
    private final Process process;

    private ChildTomcat(String route, int port, Process process) {
        this.route = route;
        this.port = port;
        this.process = process;
    }

    /** Starts a child JVM with a Tomcat on {@code host} (a free port) whose Engine has {@code jvmRoute=route}. */
    public static ChildTomcat start(String route, String host) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                ChildTomcat.class.getName(), route, host).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine(); // the child's first line: its port, once Tomcat is started
        if (line == null || !line.startsWith("PORT ")) {
            p.destroyForcibly();
            throw new IOException("child Tomcat " + route + " did not start: " + line);
        }
        return new ChildTomcat(route, Integer.parseInt(line.substring(5).trim()), p);
    }

    public long pid() {
        return process.pid();
    }

    /** Sends a signal with kill(1): {@code STOP} freezes the node, {@code CONT} thaws it. */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + name + " " + pid() + " failed");
        }
    }

    /** Thaws (a stopped JVM cannot exit) and ends the child. */
    @Override
    public void close() {
        try {
            signal("CONT");
        } catch (IOException | InterruptedException e) {
            // already gone: nothing to thaw
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws Exception {
        String route = args[0];
        Tomcat tomcat = new Tomcat();
        Path base = Files.createTempDirectory("child-tomcat-" + route);
        tomcat.setBaseDir(base.toString());
        Connector http = new Connector("HTTP/1.1");
        http.setPort(0);
        http.setProperty("address", args[1]);
        tomcat.getService().addConnector(http);
        tomcat.getEngine().setJvmRoute(route);
        Context app = tomcat.addContext("/app", null);
        Tomcat.addServlet(app, "app", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/plain");
                resp.getWriter().print(route);
            }
        });
        app.addServletMappingDecoded("/*", "app");
        Context root = tomcat.addContext("", null);
        Tomcat.addServlet(root, "health", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().print("ok");
            }
        });
        root.addServletMappingDecoded("/*", "health");
        tomcat.start();
        System.out.println("PORT " + http.getLocalPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // runs until the parent closes our standard input
        }
        tomcat.stop();
        tomcat.destroy();
        System.exit(0);
    }
}
