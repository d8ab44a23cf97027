package io.jvmroute.replication;

import io.jvmroute.testsupport.FreePorts;
import io.jvmroute.testsupport.Http;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * State transfer: node 1 holds N sessions of ~2 KiB; node 2 starts next to it and must end up holding them all.
 * For each count and mode (RouteCluster {@code route}, stock DeltaManager {@code stock8}): the time from launching
 * node 2's JVM until it holds N sessions (JVM start included; "incomplete" with the count reached if it never does
 * within {@code -Dbench.transferTimeout} seconds), and node 2's peak heap. Not part of the build;
 * {@code benchmarks/state-transfer.sh} runs it:
 *
 * <pre>./mvnw -pl tribes-replication -am test -Dtest=StateTransferBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 *     -Dbench=true [-Dbench.sessions=1000,10000,50000,100000] [-Dbench.modes=route,stock8] [-Dbench.rounds=1]
 *     [-Dbench.heap=1g] [-Dbench.out=FILE]</pre>
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class StateTransferBenchmark {

    @Test
    void sessionsReachARestartedNode() throws Exception {
        List<String> counts = List.of(System.getProperty("bench.sessions", "1000,10000,50000,100000").split(","));
        List<String> modes = BenchSupport.modes("route,stock8");
        String heap = System.getProperty("bench.heap", "1g");
        long timeoutNanos = Integer.getInteger("bench.transferTimeout", 180) * 1_000_000_000L;
        for (int round = 1; round <= BenchSupport.rounds(); round++) {
            for (String count : counts) {
                for (String mode : modes) {
                    System.out.println("BENCH progress: state transfer round " + round + " " + count + " sessions, " + mode);
                    BenchSupport.record(run(round, Integer.parseInt(count), mode, heap, timeoutNanos));
                }
            }
        }
    }

    private static String run(int round, int sessions, String mode, String heap, long timeoutNanos) throws Exception {
        String members = BenchSupport.members(FreePorts.on(BenchSupport.A, BenchSupport.B));
        try (ChildNode node1 = ChildNode.start("jvm1", BenchSupport.A, members, "userid", mode, heap)) {
            String made = Http.get(node1.url("/bulk?n=" + sessions), null).body();
            if (!made.equals(Integer.toString(sessions))) {
                throw new IllegalStateException("node 1 made " + made + " sessions, not " + sessions);
            }
            long start = System.nanoTime();
            try (ChildNode node2 = ChildNode.start("jvm2", BenchSupport.B, members, "userid", mode, heap)) {
                long ready = System.nanoTime() - start;
                int held = Integer.parseInt(Http.get(node2.url("/count"), null).body());
                // A manager that transfers after its start (or partly) is polled until it holds them all, bounded.
                while (held < sessions && System.nanoTime() - start < timeoutNanos) {
                    node2.process.waitFor(50, java.util.concurrent.TimeUnit.MILLISECONDS); // a bounded poll, not a wait for an event
                    held = Integer.parseInt(Http.get(node2.url("/count"), null).body());
                }
                long complete = System.nanoTime() - start;
                String peak = Http.get(node2.url("/heap"), null).body();
                return "{\"bench\": \"state\", \"round\": " + round + ", \"mode\": \"" + mode + "\", \"sessions\": " + sessions
                        + ", \"held\": " + held + ", \"complete\": " + (held >= sessions) + ", \"ready_ms\": " + ready / 1_000_000
                        + ", \"time_ms\": " + complete / 1_000_000 + ", \"peak_heap_mib\": " + peak + ", \"heap\": \"" + heap + "\"}";
            }
        }
    }
}
