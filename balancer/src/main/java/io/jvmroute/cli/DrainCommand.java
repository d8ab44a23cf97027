package io.jvmroute.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jvmroute drain <route> --balancer URL [--wait]}: the worker gets no new sessions (its node, when it is a
 * cluster member the balancer reads, drains too and moves its users on their next request); with {@code --wait},
 * returns once nothing points at the node any more or the timeout passes. A rolling restart is, per node:
 * {@code jvmroute drain --wait}, restart, {@code jvmroute undrain}.
 */
@Command(name = "drain", mixinStandardHelpOptions = true,
        description = {"Drains a worker on a running balancer (and its node, when the balancer reads the cluster).",
                "Exit code: 0 drained (or asked to, without --wait), 1 refused or unreachable, 3 --wait timed out."})
final class DrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions target;

    @Option(names = "--wait", description = "return once no session points at the node any more (or the timeout passes)")
    boolean await;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "how long --wait waits (default: ${DEFAULT-VALUE})")
    int timeoutSeconds = 600;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            AdminClient admin = target.client();
            AdminClient.Answer answer = admin.action("disable", target.route);
            if (!answer.ok()) {
                err.println("drain " + target.route + " refused: HTTP " + answer.status() + " " + answer.body().strip());
                return 1;
            }
            out.println(answer.body().strip());
            out.flush();
            return await ? waitUntilEmpty(admin, out, err) : 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("drain " + target.route + ": " + e.getMessage());
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * Polls the balancer's drain status once a second; prints it when it changes. Empty: nothing in flight and,
     * when the node counts its sessions, none still carrying its route; else no session asked for it this minute.
     */
    private int waitUntilEmpty(AdminClient admin, PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        String shown = "";
        while (true) {
            Map<String, String> s = admin.drainStatus(target.route);
            long nodeSessions = Long.parseLong(s.getOrDefault("node_sessions", "-1"));
            String progress = nodeSessions >= 0
                    ? "node " + s.get("node") + ", " + nodeSessions + " session(s) still point at it, " + s.get("in_flight") + " request(s) in flight"
                    : s.get("sessions_this_minute") + " session(s) asked for it this minute, " + s.get("in_flight") + " request(s) in flight";
            if (!progress.equals(shown)) {
                out.println(target.route + ": " + progress);
                out.flush();
                shown = progress;
            }
            boolean idle = "0".equals(s.get("in_flight"));
            boolean empty = nodeSessions >= 0 ? nodeSessions == 0 && !"active".equals(s.get("node"))
                    : "0".equals(s.get("sessions_this_minute"));
            if (idle && empty) {
                out.println(target.route + " is drained");
                return 0;
            }
            if (System.nanoTime() > deadline) {
                err.println(target.route + " is not empty after " + timeoutSeconds + " s: " + progress);
                return 3;
            }
            TimeUnit.SECONDS.sleep(1); // the poll's interval: the balancer reads the cluster about twice a second
        }
    }
}
