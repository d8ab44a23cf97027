package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmroute.testsupport.FreePorts;
import io.jvmroute.testsupport.Http;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Requests per second of a session-writing servlet ({@code /app/touch}: two attributes, ~0.5 KiB) with wrk
 * direct to node 1 of 2, each node in its own JVM (512 MB) on 127.0.0.11/12: no cluster, RouteCluster, and
 * Tomcat's DeltaManager with {@code channelSendOptions} 8 (async) and 6 (sync ack), in the same run, each mode
 * twice, interleaved. Not part of the build:
 *
 * <pre>./mvnw -o -pl tribes-replication test -Dtest=ReplicationBenchmark -Dbench=true [-Dbench.seconds=10]
 *     [-Dbench.modes=none,route,stock8,stock6] [-Dbench.rounds=2] [-Dbench.childJvmArgs=...]</pre>
 *
 * Needs {@code wrk} (Debian: {@code apt-get install -y wrk}). Prints one line per run.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class ReplicationBenchmark {

    private static final String A = "127.0.0.11";
    private static final String B = "127.0.0.12";
    private static final int SESSIONS = 64;

    @Test
    void sessionWritingRequestsPerSecond() throws Exception {
        runAll("/touch", true);
    }

    /** Every request a new session and a login (two login attributes): the cost of waiting for the peers' ack. */
    @Test
    void loginRequestsPerSecond() throws Exception {
        runAll("/login?user=bench", false);
    }

    /** 50 000 sessions of ~2 KiB to a node that starts next to one holding them, both with 512 MB heaps. */
    @Test
    void stateTransferOfFiftyThousandSessions() throws Exception {
        int port = FreePorts.on(A, B);
        String members = "jvm1=" + A + ":" + port + ",jvm2=" + B + ":" + port;
        try (ChildNode node1 = ChildNode.start("jvm1", A, members, "userid", "route", "512m")) {
            assertThat(Http.get(node1.url("/bulk?n=50000"), null).body()).isEqualTo("50000");
            long start = System.nanoTime();
            try (ChildNode node2 = ChildNode.start("jvm2", B, members, "userid", "route", "512m")) {
                long millis = (System.nanoTime() - start) / 1_000_000;
                String count = Http.get(node2.url("/count"), null).body();
                System.out.println("BENCH state transfer: 50000 sessions of ~2 KiB, joining node ready in " + millis
                        + " ms (JVM start included), holds " + count);
                assertThat(count).isEqualTo("50000");
            }
        }
    }

    private void runAll(String path, boolean reuseSessions) throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 10);
        // -Dbench.modes=route,routetls compares plaintext and mutual TLS replication in one run.
        List<String> modes = List.of(System.getProperty("bench.modes", "none,route,stock8,stock6").split(","));
        if (modes.contains("routetls") && System.getProperty("jvmroute.tlsDir") == null) {
            Path tls = Files.createTempDirectory("bench-tls").resolve("tls");
            io.jvmroute.tls.ClusterPki pki = TestPki.init(tls);
            TestPki.issue(pki, "jvm1");
            TestPki.issue(pki, "jvm2");
            System.setProperty("jvmroute.tlsDir", tls.toString());
        }
        List<String> results = new ArrayList<>();
        for (int round = 1; round <= Integer.getInteger("bench.rounds", 2); round++) {
            for (String mode : modes) {
                String line = path + " " + run(mode, seconds, path, reuseSessions);
                results.add("round " + round + " " + line);
                System.out.println("BENCH round " + round + " " + line);
            }
        }
        results.forEach(r -> System.out.println("BENCH " + r));
    }

    private String run(String mode, int seconds, String path, boolean reuseSessions) throws Exception {
        int port = FreePorts.on(A, B);
        String members = "jvm1=" + A + ":" + port + ",jvm2=" + B + ":" + port;
        try (ChildNode node2 = ChildNode.start("jvm2", B, members, "userid,sessionkey", mode, "512m");
                ChildNode node1 = ChildNode.start("jvm1", A, members, "userid,sessionkey", mode, "512m")) {
            // Sessions created on node 1 (replicated as the mode does), then written by every request.
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                ids.add(Http.get(node1.url("/touch"), null).requireNewId());
            }
            Path script = Files.createTempFile("touch", ".lua");
            StringBuilder lua = new StringBuilder("ids = {");
            for (String id : ids) {
                lua.append('"').append(id).append("\",");
            }
            lua.append("}\ni = 0\nrequest = function()\n  i = i + 1\n");
            if (reuseSessions) {
                lua.append("  return wrk.format(\"GET\", \"/app").append(path)
                        .append("\", {[\"Cookie\"] = \"JSESSIONID=\" .. ids[(i % #ids) + 1]})\n");
            } else {
                lua.append("  return wrk.format(\"GET\", \"/app").append(path).append("\")\n");
            }
            lua.append("end\n");
            Files.writeString(script, lua.toString());
            String url = node1.url(path);
            wrk(script, url, 3); // warm-up: JIT, pools
            long cpu1 = cpuNanos(node1);
            long cpu2 = cpuNanos(node2);
            String out = wrk(script, url, seconds);
            cpu1 = cpuNanos(node1) - cpu1;
            cpu2 = cpuNanos(node2) - cpu2;
            Files.delete(script);
            if (mode.startsWith("route")) { // messages per acknowledged frame, acknowledgement latency
                System.out.println("BENCH peers " + mode + " " + path + ": " + Http.get(node1.url("/peers"), null).body());
            }
            if (System.getProperty("bench.childJvmArgs", "").contains("StartFlightRecording")) {
                node1.stopNormally();
                node2.stopNormally();
            }
            return mode + " " + summary(out) + cpuPerRequest(out, cpu1, cpu2);
        }
    }

    private static String wrk(Path script, String url, int seconds) throws IOException, InterruptedException {
        Process wrk = new ProcessBuilder("wrk", "-t2", "-c32", "-d" + seconds + "s", "--latency", "-s",
                script.toString(), url).redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(wrk.waitFor()).as(out).isZero();
        return out;
    }

    /** CPU time (user + system) the node's JVM has used so far, as the OS accounts it. */
    private static long cpuNanos(ChildNode node) {
        return node.process.toHandle().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    /** Each node's CPU per request of the measured run, in µs: what replication costs the sender and the peer. */
    private static String cpuPerRequest(String wrkOutput, long cpu1Nanos, long cpu2Nanos) {
        Matcher m = Pattern.compile("(\\d+) requests in").matcher(wrkOutput);
        if (!m.find()) {
            return "";
        }
        long requests = Long.parseLong(m.group(1));
        return String.format(java.util.Locale.ROOT, " cpu/req node1=%.1fus node2=%.1fus",
                cpu1Nanos / 1000.0 / requests, cpu2Nanos / 1000.0 / requests);
    }

    private static String summary(String wrkOutput) {
        String rps = find(wrkOutput, "Requests/sec:\\s+([\\d.]+)");
        String p99 = find(wrkOutput, "99%\\s+([\\d.]+\\w+)");
        String errors = find(wrkOutput, "Non-2xx or 3xx responses:\\s+(\\d+)");
        return "req/s=" + rps + " p99=" + p99 + " non2xx=" + (errors == null ? "0" : errors);
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1) : null;
    }
}
