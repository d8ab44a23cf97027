package io.jvmroute.deploy.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the build hands the tier (failsafe system properties): the unpacked Tomcat distribution, the jvmroute
 * distribution archive (unpacked once per JVM, then used as an operator uses it: {@code bin/jvmroute}), the
 * test webapp, and a work folder.
 */
public final class Distribution {

    private static Path home;

    private Distribution() {
    }

    public static String tomcatVersion() {
        return System.getProperty("jvmroute.tomcat.version", "?");
    }

    public static Path tomcatHome() {
        return Path.of(System.getProperty("jvmroute.tomcat.home")).toAbsolutePath();
    }

    static Path webapp() {
        return Path.of(System.getProperty("jvmroute.deploy.webapp")).toAbsolutePath();
    }

    /** A folder of the tier's own, per Tomcat version (both versions' runs share integration-tests/target). */
    public static Path work() {
        return Path.of(System.getProperty("jvmroute.work.dir"), "deploy-" + tomcatVersion()).toAbsolutePath();
    }

    /** The unpacked jvmroute distribution: bin/jvmroute, lib/, tomcat-lib/ (the drop-in jar). */
    public static synchronized Path home() {
        if (home == null) {
            try {
                Path archive = Path.of(System.getProperty("jvmroute.dist.archive"));
                Path into = work().resolve("jvmroute-dist");
                io.jvmroute.harness.TomcatNode.deleteRecursively(into);
                Files.createDirectories(into);
                Engine.run(List.of("tar", "xzf", archive.toString(), "-C", into.toString()));
                try (Stream<Path> entries = Files.list(into)) {
                    home = entries.filter(p -> p.getFileName().toString().startsWith("jvmroute-")).findFirst()
                            .orElseThrow(() -> new IllegalStateException("no jvmroute-* folder in " + archive));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return home;
    }

    /** What {@code bin/jvmroute ARGS} printed and its exit code. */
    public record Run(int exitCode, String output) {
    }

    /** Runs {@code bin/jvmroute} on this machine as an operator's shell would; fails on a non-zero exit. */
    public static String jvmroute(String... args) {
        Run run = tryJvmroute(args);
        if (run.exitCode() != 0) {
            throw new IllegalStateException("jvmroute " + String.join(" ", args) + " exited " + run.exitCode() + ":\n" + run.output());
        }
        return run.output();
    }

    public static Run tryJvmroute(String... args) {
        List<String> command = new ArrayList<>(List.of(home().resolve("bin/jvmroute").toString()));
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("jvmroute " + String.join(" ", args) + " did not finish in 60 s");
            }
            return new Run(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
