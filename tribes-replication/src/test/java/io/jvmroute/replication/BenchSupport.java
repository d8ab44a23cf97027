package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the replication benchmarks share: the modes to run ({@code -Dbench.modes}), the rounds
 * ({@code -Dbench.rounds}), TLS material for the {@code routetls*} modes, wrk, and one JSON line per
 * measurement, printed and appended to {@code -Dbench.out} (benchmarks/replication.sh turns those into tables).
 */
final class BenchSupport {

    static final String A = "127.0.0.11";
    static final String B = "127.0.0.12";

    private BenchSupport() {
    }

    static List<String> modes(String defaults) {
        List<String> modes = List.of(System.getProperty("bench.modes", defaults).split(","));
        if (modes.stream().anyMatch(m -> m.startsWith("routetls")) && System.getProperty("jvmroute.tlsDir") == null) {
            try {
                Path tls = Files.createTempDirectory("bench-tls").resolve("tls");
                io.jvmroute.tls.ClusterPki pki = TestPki.init(tls);
                TestPki.issue(pki, "jvm1");
                TestPki.issue(pki, "jvm2");
                System.setProperty("jvmroute.tlsDir", tls.toString());
            } catch (Exception e) {
                throw new IllegalStateException("TLS material for the routetls modes", e);
            }
        }
        return modes;
    }

    static int rounds() {
        return Integer.getInteger("bench.rounds", 3);
    }

    static String members(int port) {
        return "jvm1=" + A + ":" + port + ",jvm2=" + B + ":" + port;
    }

    /** Prints the measurement and appends it to -Dbench.out, if given. */
    static void record(String json) throws IOException {
        System.out.println("BENCH " + json);
        String out = System.getProperty("bench.out");
        if (out != null && !out.isBlank()) {
            Files.writeString(Path.of(out), json + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }

    static String wrk(Path script, String url, int seconds) throws IOException, InterruptedException {
        Process wrk = new ProcessBuilder("wrk", "-t2", "-c32", "-d" + seconds + "s", "--latency", "-s",
                script.toString(), url).redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(wrk.waitFor()).as(out).isZero();
        return out;
    }

    /** CPU time (user + system) the node's JVM has used so far, as the OS accounts it. */
    static long cpuNanos(ChildNode node) {
        return node.process.toHandle().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1) : null;
    }

    /** A wrk latency ("850.00us", "1.23ms", "2.01s") in milliseconds. */
    static double millis(String wrkLatency) {
        Matcher m = Pattern.compile("([\\d.]+)(us|ms|s)").matcher(wrkLatency);
        if (!m.matches()) {
            throw new IllegalArgumentException("wrk latency: " + wrkLatency);
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "ms" -> value;
            default -> value * 1000;
        };
    }

    static String num(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
