package io.jvmroute.replication;

import io.jvmroute.testsupport.FreePorts;
import io.jvmroute.testsupport.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The logins a node loses when it dies right after answering them: 200 logins on node 1 (8 threads, while 4 more
 * keep both nodes busy writing sessions), then, as soon as the last login's response has arrived, {@code kill -9}
 * of node 1; node 2 is then asked for each login's session. A login node 2 does not know is lost: the user had
 * been told "logged in" and is logged out on failover. Per mode, in rounds. Not part of the build;
 * {@code benchmarks/replication.sh} runs it:
 *
 * <pre>./mvnw -pl tribes-replication -am test -Dtest=LoginRaceBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 *     -Dbench=true [-Dbench.modes=stock8,stock6,route,routelogin,routetls,routetlslogin] [-Dbench.rounds=3] [-Dbench.out=FILE]</pre>
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class LoginRaceBenchmark {

    private static final int LOGINS = 200;

    @Test
    void loginsLostWhenTheNodeDiesAfterAnswering() throws Exception {
        List<String> modes = BenchSupport.modes("stock8,stock6,route,routelogin,routetls,routetlslogin");
        for (int round = 1; round <= BenchSupport.rounds(); round++) {
            for (String mode : modes) {
                System.out.println("BENCH progress: login race round " + round + "/" + BenchSupport.rounds() + " mode " + mode);
                int lost = run(mode);
                BenchSupport.record("{\"bench\": \"race\", \"round\": " + round + ", \"mode\": \"" + mode
                        + "\", \"logins\": " + LOGINS + ", \"lost\": " + lost + "}");
            }
        }
    }

    private static int run(String mode) throws Exception {
        String members = BenchSupport.members(FreePorts.on(BenchSupport.A, BenchSupport.B));
        try (ChildNode node2 = ChildNode.start("jvm2", BenchSupport.B, members, "userid,sessionkey", mode, "512m");
                ChildNode node1 = ChildNode.start("jvm1", BenchSupport.A, members, "userid,sessionkey", mode, "512m")) {
            // The nodes see each other once a replicated login is on node 2 (bounded).
            String probe = Http.get(node1.url("/login?user=probe"), null).body();
            for (int i = 0; i < 200 && !Http.get(node2.url("/whoami"), probe).body().startsWith("userid=probe"); i++) {
                node2.process.waitFor(50, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
            ExecutorService pool = Executors.newFixedThreadPool(12);
            AtomicBoolean busy = new AtomicBoolean(true);
            ConcurrentLinkedQueue<String[]> logins = new ConcurrentLinkedQueue<>();
            try {
                List<Future<?>> background = new ArrayList<>();
                for (ChildNode node : List.of(node1, node2, node1, node2)) {
                    background.add(pool.submit(() -> {
                        String id = Http.get(node.url("/touch"), null).requireNewId();
                        while (busy.get()) {
                            Http.get(node.url("/touch"), id);
                        }
                        return null;
                    }));
                }
                List<Future<?>> tasks = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int thread = t;
                    tasks.add(pool.submit(() -> {
                        for (int i = thread; i < LOGINS; i += 8) {
                            Http.Reply response = Http.get(node1.url("/login?user=u" + i), null);
                            logins.add(new String[] {response.body(), "u" + i});
                        }
                        return null;
                    }));
                }
                for (Future<?> task : tasks) {
                    task.get();
                }
                node1.kill(); // the moment the last login was answered
                busy.set(false);
            } finally {
                busy.set(false);
                pool.shutdownNow();
            }
            int lost = 0;
            for (String[] login : logins) {
                if (!Http.get(node2.url("/whoami"), login[0]).body().startsWith("userid=" + login[1] + " ")) {
                    lost++;
                }
            }
            return lost;
        }
    }
}
