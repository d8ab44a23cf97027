package io.jvmroute.replication;

import io.jvmroute.testsupport.FreePorts;
import io.jvmroute.testsupport.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Requests per second and p99 of a session-writing servlet ({@code /app/touch}: two attributes, ~0.5 KiB) with wrk
 * direct to node 1 of 2, each node in its own JVM (512 MB) on 127.0.0.11/12: no cluster, Tomcat's DeltaManager
 * with {@code channelSendOptions} 8 (async, Tomcat's default) and 6 (sync ack), RouteCluster replicating all
 * sessions or logged-in ones only, in plaintext and over mutual TLS, in the same run, rounds interleaved. Not part
 * of the build; {@code benchmarks/replication.sh} runs it:
 *
 * <pre>./mvnw -pl tribes-replication -am test -Dtest=ReplicationBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 *     -Dbench=true [-Dbench.seconds=10] [-Dbench.rounds=3] [-Dbench.modes=none,stock8,stock6,route,routelogin,routetls,routetlslogin]
 *     [-Dbench.out=FILE] [-Dbench.childJvmArgs=...]</pre>
 *
 * Needs {@code wrk} (Debian: {@code apt-get install -y wrk}). One JSON line per run.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class ReplicationBenchmark {

    static final String ALL_MODES = "none,stock8,stock6,route,routelogin,routetls,routetlslogin";
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

    private void runAll(String path, boolean reuseSessions) throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 10);
        List<String> modes = BenchSupport.modes(ALL_MODES);
        for (int round = 1; round <= BenchSupport.rounds(); round++) {
            for (String mode : modes) {
                System.out.println("BENCH progress: " + path + " round " + round + "/" + BenchSupport.rounds() + " mode " + mode);
                BenchSupport.record(run(mode, seconds, path, reuseSessions, round));
            }
        }
    }

    private String run(String mode, int seconds, String path, boolean reuseSessions, int round) throws Exception {
        String members = BenchSupport.members(FreePorts.on(BenchSupport.A, BenchSupport.B));
        try (ChildNode node2 = ChildNode.start("jvm2", BenchSupport.B, members, "userid,sessionkey", mode, "512m");
                ChildNode node1 = ChildNode.start("jvm1", BenchSupport.A, members, "userid,sessionkey", mode, "512m")) {
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
            BenchSupport.wrk(script, url, 3); // warm-up: JIT, pools
            long cpu1 = BenchSupport.cpuNanos(node1);
            long cpu2 = BenchSupport.cpuNanos(node2);
            String out = BenchSupport.wrk(script, url, seconds);
            cpu1 = BenchSupport.cpuNanos(node1) - cpu1;
            cpu2 = BenchSupport.cpuNanos(node2) - cpu2;
            Files.delete(script);
            if (mode.startsWith("route")) { // messages per acknowledged frame, acknowledgement latency
                System.out.println("BENCH peers " + mode + " " + path + ": " + Http.get(node1.url("/peers"), null).body());
            }
            if (System.getProperty("bench.childJvmArgs", "").contains("StartFlightRecording")) {
                node1.stopNormally();
                node2.stopNormally();
            }
            return json(round, mode, path, out, cpu1, cpu2);
        }
    }

    private static String json(int round, String mode, String path, String wrk, long cpu1Nanos, long cpu2Nanos) {
        long requests = Long.parseLong(BenchSupport.find(wrk, "(\\d+) requests in"));
        String errors = BenchSupport.find(wrk, "Non-2xx or 3xx responses:\\s+(\\d+)");
        return "{\"bench\": \"replication\", \"path\": \"" + path.replaceAll("\\?.*", "") + "\", \"round\": " + round
                + ", \"mode\": \"" + mode + "\", \"rps\": " + BenchSupport.find(wrk, "Requests/sec:\\s+([\\d.]+)")
                + ", \"p50_ms\": " + BenchSupport.num(BenchSupport.millis(BenchSupport.find(wrk, "(?m)^\\s+50%\\s+(\\S+)")))
                + ", \"p99_ms\": " + BenchSupport.num(BenchSupport.millis(BenchSupport.find(wrk, "(?m)^\\s+99%\\s+(\\S+)")))
                + ", \"non2xx\": " + (errors == null ? "0" : errors)
                + ", \"cpu1_us\": " + BenchSupport.num(cpu1Nanos / 1000.0 / requests)
                + ", \"cpu2_us\": " + BenchSupport.num(cpu2Nanos / 1000.0 / requests) + "}";
    }
}
