package io.jvmroute.replication;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.ha.session.DeltaManager;

/**
 * A {@link TestNode} in a JVM of its own, so that a test can kill it as {@code kill -9} would: no Tomcat stop,
 * no membership goodbye. Prints {@code READY <httpPort>} once serving; exits when its stdin closes.
 */
final class ChildNode implements AutoCloseable {

    final Process process;
    final int httpPort;
    final String host;

    private ChildNode(Process process, int httpPort, String host) {
        this.process = process;
        this.httpPort = httpPort;
        this.host = host;
    }

    /**
     * Arguments: route, host, members, loginAttributes, and optionally a mode: {@code route} (default),
     * {@code none} (no cluster), {@code routetls} (RouteCluster over mutual TLS), {@code stock8} / {@code stock6}
     * (Tomcat's DeltaManager with that {@code channelSendOptions}, on the same channel); a {@code route} mode
     * ending in {@code login} ({@code routelogin}, {@code routetlslogin}) replicates logged-in sessions only.
     */
    public static void main(String[] args) throws Exception {
        String mode = args.length > 4 ? args[4] : "route";
        Consumer<RouteCluster> configure = c -> {
            c.setMembers(args[2]);
            c.setLoginAttributes(args[3]);
            if (mode.startsWith("routetls")) { // material of `jvmroute tls init` in -Djvmroute.tlsDir, as <route>.crt
                Path tls = Path.of(System.getProperty("jvmroute.tlsDir"));
                c.setInsecure("false");
                c.setCertificateFile(tls.resolve(args[0] + ".crt").toString());
                c.setCertificateKeyFile(tls.resolve(args[0] + ".key").toString());
                c.setCaCertificateFile(tls.resolve("ca.crt").toString());
            }
            c.setLanes(System.getProperty("bench.lanes", String.valueOf(c.getLanes())));
            if (mode.startsWith("route") && mode.endsWith("login")) {
                c.setReplicate("login");
            }
            if (mode.startsWith("stock")) {
                c.setManagerTemplate(new DeltaManager());
                c.setChannelSendOptions(Integer.parseInt(mode.substring("stock".length())));
            }
        };
        TestNode started;
        try {
            started = TestNode.start(args[0], args[1], mode.equals("none") ? null : configure);
        } catch (LifecycleException e) {
            // The parent reads why, e.g. that a picked port was lost ("... is in use by another process ...").
            System.out.println("FAILED " + causes(e));
            System.out.flush();
            System.exit(1);
            return;
        }
        try (TestNode node = started) {
            System.out.println("READY " + node.httpPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Runs until the parent closes our stdin (or dies).
            }
        }
    }

    /** The messages of a failure and its causes on one line. */
    private static String causes(Throwable failure) {
        StringBuilder line = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            line.append(line.length() == 0 ? "" : " <- ").append(t.getMessage());
        }
        return line.toString().replace('\n', ' ');
    }

    static ChildNode start(String route, String host, String members, String loginAttributes) throws IOException {
        return start(route, host, members, loginAttributes, "route", "256m");
    }

    static ChildNode start(String route, String host, String members, String loginAttributes, String mode,
            String heap) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx" + heap);
        command.add("-Xms" + heap);
        // e.g. -Dbench.childJvmArgs=-XX:StartFlightRecording=filename=/tmp/node.jfr to profile a benchmark node
        String extra = System.getProperty("bench.childJvmArgs");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.replace("{route}", route).split(" ")));
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        String tlsDir = System.getProperty("jvmroute.tlsDir");
        if (tlsDir != null) {
            command.add("-Djvmroute.tlsDir=" + tlsDir);
        }
        String logging = System.getProperty("java.util.logging.config.file");
        if (logging != null) {
            command.add("-Djava.util.logging.config.file=" + logging);
        }
        command.add(ChildNode.class.getName());
        command.add(route);
        command.add(host);
        command.add(members);
        command.add(loginAttributes);
        command.add(mode);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("READY ")) {
                return new ChildNode(process, Integer.parseInt(line.substring(6).strip()), host);
            }
            if (line.startsWith("FAILED ")) {
                process.destroyForcibly();
                throw new IOException("child node " + route + " did not start: " + line.substring("FAILED ".length()));
            }
        }
        process.destroyForcibly();
        throw new IOException("child node " + route + " exited before it was ready: " + process.onExit().join().exitValue());
    }

    String url(String path) {
        return "http://" + host + ":" + httpPort + "/app" + path;
    }

    /**
     * Stops the node normally (its stdin closes), so that a flight recording started with
     * {@code -XX:StartFlightRecording=dumponexit=true,...} is written (profiling only).
     */
    void stopNormally() throws IOException, InterruptedException {
        process.getOutputStream().close();
        process.waitFor(60, TimeUnit.SECONDS);
    }

    /** Kills the JVM at once, as {@code kill -9}; returns when it is gone. */
    void kill() {
        process.destroyForcibly();
        process.onExit().join();
    }

    @Override
    public void close() {
        kill();
    }
}
