package io.jvmroute.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One real Tomcat node: a CATALINA_BASE of its own beside an unpacked distribution (CATALINA_HOME), run as a
 * separate JVM so that a test can kill it with SIGKILL exactly as an operator's machine would lose it.
 *
 * <p>Start with {@link #start}; it returns once the node answers HTTP on the demo webapp (or throws with the
 * tail of the node's log). {@link #kill()} is {@code kill -9}; {@link #stop()} is a normal shutdown
 * (SIGTERM runs Tomcat's shutdown hook, which stops the server gracefully).
 */
public final class TomcatNode implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final NodeSpec spec;
    private final Path base;
    private Process process;

    private TomcatNode(NodeSpec spec, Path base) {
        this.spec = spec;
        this.base = base;
    }

    /**
     * Lays out {@code workDir/<name>} as the node's CATALINA_BASE and starts it.
     *
     * @param catalinaHome an unpacked Tomcat distribution
     * @param readyPath    a path that answers 200 once the node serves requests, e.g. {@code /demo/whoami.jsp}
     */
    public static TomcatNode start(NodeSpec spec, Path catalinaHome, Path workDir, String readyPath) throws IOException {
        Path base = workDir.toAbsolutePath().resolve(spec.name());
        Path home = catalinaHome.toAbsolutePath(); // the node runs in its own folder: no relative paths
        TomcatNode node = new TomcatNode(spec, base);
        node.layOut(home);
        node.launch(home);
        node.awaitReady(readyPath);
        return node;
    }

    private void layOut(Path catalinaHome) throws IOException {
        deleteRecursively(base);
        for (String dir : List.of("conf", "lib", "logs", "temp", "webapps", "work")) {
            Files.createDirectories(base.resolve(dir));
        }
        try (Stream<Path> conf = Files.list(catalinaHome.resolve("conf"))) {
            for (Path file : (Iterable<Path>) conf::iterator) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, base.resolve("conf").resolve(file.getFileName()));
                }
            }
        }
        Files.writeString(base.resolve("conf/server.xml"), serverXml(), StandardCharsets.UTF_8);
        for (Path jar : spec.libs()) {
            Files.copy(jar, base.resolve("lib").resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        for (Map.Entry<String, Path> file : spec.confFiles().entrySet()) {
            Path target = base.resolve("conf").resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.copy(file.getValue(), target, StandardCopyOption.COPY_ATTRIBUTES);
        }
        for (Map.Entry<String, Path> webapp : spec.webapps().entrySet()) {
            copyRecursively(webapp.getValue(), base.resolve("webapps").resolve(webapp.getKey()));
        }
    }

    String serverXml() throws IOException {
        String template;
        try (InputStream in = Objects.requireNonNull(TomcatNode.class.getResourceAsStream("server.xml"), "server.xml template")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return template
                .replace("${address}", spec.address())
                .replace("${httpPort}", Integer.toString(spec.httpPort()))
                .replace("${engineAttributes}", spec.route() == null ? "" : " jvmRoute=\"" + spec.route() + "\"")
                .replace("${serviceElements}", spec.serviceElements())
                .replace("${engineElements}", spec.engineElements())
                .replace("${hostElements}", spec.hostElements());
    }

    private void launch(Path catalinaHome) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(
                java.toString(),
                "-Xmx" + spec.heapMegabytes() + "m",
                "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true",
                "-Dcatalina.home=" + catalinaHome,
                "-Dcatalina.base=" + base,
                "-Djava.io.tmpdir=" + base.resolve("temp"),
                "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
                "-Djava.util.logging.config.file=" + base.resolve("conf/logging.properties"),
                "-Djvmroute.node=" + spec.name(),
                // What catalina.sh passes on Java 17+, so the node runs as an operator's does.
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED",
                "-cp", catalinaHome.resolve("bin/bootstrap.jar") + ":" + catalinaHome.resolve("bin/tomcat-juli.jar"),
                "org.apache.catalina.startup.Bootstrap", "start"));
        command.addAll(command.size() - 4, spec.jvmOptions()); // before -cp CLASSPATH Bootstrap start
        process = new ProcessBuilder(command)
                .directory(base.toFile())
                .redirectErrorStream(true)
                .redirectOutput(base.resolve("logs/console.log").toFile())
                .start();
    }

    private void awaitReady(String readyPath) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("node " + spec.name() + " exited with " + process.exitValue() + " while starting:\n" + logTail());
            }
            if (answers(readyPath)) {
                return;
            }
            try {
                // Polling a process that has no readiness signal of its own; bounded by START_TIMEOUT.
                process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for node " + spec.name(), e);
            }
        }
        kill();
        throw new IOException("node " + spec.name() + " did not answer " + readyPath + " within " + START_TIMEOUT + ":\n" + logTail());
    }

    private boolean answers(String path) {
        try {
            HttpURLConnection connection = (HttpURLConnection) uri(path).toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(5000);
            try {
                return connection.getResponseCode() == 200;
            } finally {
                connection.disconnect();
            }
        } catch (IOException notYet) {
            return false;
        }
    }

    /** The node's URL for a path, e.g. {@code uri("/demo/")}. */
    public URI uri(String path) {
        return URI.create("http://" + spec.address() + ":" + spec.httpPort() + path);
    }

    public NodeSpec spec() {
        return spec;
    }

    /** The node's CATALINA_BASE. */
    public Path base() {
        return base;
    }

    /** The node's process id, for an operator who wants to {@code kill -9} it by hand. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** {@code kill -9}: the JVM dies at once, nothing is flushed or handed over. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitForExit();
        }
    }

    /** A normal shutdown: SIGTERM runs Tomcat's shutdown hook, which stops connectors and contexts. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitForExit();
        }
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** The last lines the node wrote to its console and logs, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(base.resolve("logs/console.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        kill();
    }

    public static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
