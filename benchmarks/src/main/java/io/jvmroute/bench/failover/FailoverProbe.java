package io.jvmroute.bench.failover;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark 3's client (benchmarks/failover.sh runs it once per balancer and round): USERS users log in through
 * the balancer and poll every POLL ms; after BEFORE seconds the node most of them stick to is killed with
 * SIGKILL (kill -9, by its pid); AFTER seconds later the users stop. Per user it records the gap (the last
 * success before the kill to the first success after it) and its failed requests; for the users of the killed
 * node, every request around the kill (the timeline chart). Appends JSON lines to OUT.
 *
 * <pre>FailoverProbe BASE_URL ROUTE=PID,ROUTE=PID USERS POLL_MS BEFORE_S AFTER_S OUT LABEL ROUND</pre>
 */
public final class FailoverProbe {

    private FailoverProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 9) {
            System.err.println("usage: FailoverProbe BASE_URL ROUTE=PID,... USERS POLL_MS BEFORE_S AFTER_S OUT LABEL ROUND");
            System.exit(2);
        }
        Map<String, Long> pids = new HashMap<>();
        for (String pair : args[1].split(",")) {
            String[] routePid = pair.split("=", 2);
            pids.put(routePid[0], Long.parseLong(routePid[1]));
        }
        int users = Integer.parseInt(args[2]);
        long poll = Long.parseLong(args[3]);
        long before = Long.parseLong(args[4]) * 1_000_000_000L;
        long after = Long.parseLong(args[5]) * 1_000_000_000L;
        Path out = Path.of(args[6]);
        String label = args[7];
        int round = Integer.parseInt(args[8]);

        List<PollingUser> all = new ArrayList<>();
        Map<String, Integer> perNode = new HashMap<>();
        for (int i = 0; i < users; i++) {
            PollingUser user = new PollingUser(args[0], "u" + i, poll);
            perNode.merge(user.logIn(), 1, Integer::sum);
            all.add(user);
        }
        String victim = perNode.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder()))).orElseThrow().getKey();
        Long victimPid = pids.get(victim);
        if (victimPid == null) {
            throw new IllegalStateException("users stick to " + victim + ", which has no pid in " + pids);
        }
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (PollingUser user : all) {
            user.stopAt(start + before + after);
            Thread thread = new Thread(user, "user-" + user.name());
            threads.add(thread);
            thread.start();
        }
        java.util.concurrent.locks.LockSupport.parkNanos(before); // the users poll; the kill comes at a fixed time
        ProcessHandle node = ProcessHandle.of(victimPid).orElseThrow(() -> new IllegalStateException("node " + victim + " is gone"));
        long kill = System.nanoTime();
        node.destroyForcibly(); // SIGKILL
        node.onExit().join();
        System.out.printf(Locale.ROOT, "killed %s (pid %d), %s of %d users on it%n", victim, victimPid, perNode.get(victim), users);
        for (Thread thread : threads) {
            thread.join();
        }
        write(out, all, label, round, victim, kill);
    }

    private static void write(Path out, List<PollingUser> users, String label, int round, String victim, long kill)
            throws IOException {
        StringBuilder lines = new StringBuilder();
        for (PollingUser user : users) {
            List<PollingUser.Poll> polls = user.polls();
            PollingUser.Poll lastBefore = null;
            PollingUser.Poll firstAfter = null;
            int failed = 0;
            for (PollingUser.Poll p : polls) {
                if (!p.ok()) {
                    failed++;
                } else if (p.doneNanos() <= kill) {
                    lastBefore = p;
                } else if (firstAfter == null) {
                    firstAfter = p;
                }
            }
            boolean affected = lastBefore != null && victim.equals(lastBefore.node());
            double gap = lastBefore == null || firstAfter == null ? -1 : (firstAfter.doneNanos() - lastBefore.doneNanos()) / 1e6;
            lines.append(String.format(Locale.ROOT, "{\"bench\": \"failover\", \"balancer\": \"%s\", \"round\": %d, \"user\": \"%s\","
                    + " \"affected\": %b, \"gap_ms\": %.1f, \"failed\": %d, \"requests\": %d}%n",
                    label, round, user.name(), affected, gap, failed, polls.size()));
            if (affected) {
                for (PollingUser.Poll p : polls) {
                    lines.append(String.format(Locale.ROOT, "{\"bench\": \"timeline\", \"balancer\": \"%s\", \"round\": %d,"
                            + " \"user\": \"%s\", \"t_ms\": %.1f, \"latency_ms\": %.2f, \"ok\": %b}%n", label, round, user.name(),
                            (p.sentNanos() - kill) / 1e6, (p.doneNanos() - p.sentNanos()) / 1e6, p.ok()));
                }
            }
        }
        Files.writeString(out, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
