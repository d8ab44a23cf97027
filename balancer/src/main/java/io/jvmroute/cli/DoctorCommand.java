package io.jvmroute.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jvmroute doctor <balancer URL>}: probes a live cluster end to end as an operator would by hand, with a
 * test session of its own, one line per check as it goes and a table at the end. Exit code 1 when a check failed.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Probes a live cluster end to end through its balancer, with a test session of its own:",
                "login, stickiness, replication to every node, failover by route rewrite, clocks, TLS, drain-readiness.",
                "Exit code: 0 nothing failed (warnings allowed), 1 a check failed, 2 bad arguments."})
final class DoctorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "BALANCER_URL", description = "the balancer's front URL, as http://lb.example:8080")
    String front;

    @Option(names = "--admin", paramLabel = "URL", description = "its admin URL (default: ${DEFAULT-VALUE})")
    String adminUrl = "http://127.0.0.1:8081";

    @Option(names = "--path", paramLabel = "PATH", description = "a page that makes a session (default: ${DEFAULT-VALUE})")
    String path = "/";

    @Option(names = "--cookie", paramLabel = "NAME", description = "the session cookie (default: ${DEFAULT-VALUE})")
    String cookie = "JSESSIONID";

    @Option(names = "--failover-header", paramLabel = "NAME", description = "the valves' failoverHeader (default: ${DEFAULT-VALUE})")
    String failoverHeader = "X-JvmRoute-Failover";

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        URI frontUri;
        AdminClient admin;
        try {
            frontUri = URI.create(front);
            if (frontUri.getHost() == null || !path.startsWith("/")) {
                throw new IllegalArgumentException(front + " (expected: the front URL, as http://127.0.0.1:8080, and a --path starting with /)");
            }
            admin = new AdminClient(adminUrl, null);
        } catch (IllegalArgumentException e) {
            err.println("doctor: " + e.getMessage());
            err.flush();
            return 2;
        }
        List<DoctorChecks.Result> results = new DoctorChecks(frontUri, admin, path, cookie, failoverHeader, r -> {
            out.println(String.format(Locale.ROOT, "%-4s %s: %s", label(r.level()), r.check(), r.detail()));
            out.flush();
        }).run();
        out.println();
        out.println(String.format(Locale.ROOT, "%-14s %s", "CHECK", "RESULT"));
        for (DoctorChecks.Result r : results) {
            out.println(String.format(Locale.ROOT, "%-14s %s", r.check(), label(r.level())));
        }
        long failed = results.stream().filter(r -> r.level() == DoctorChecks.Level.FAIL).count();
        out.println(failed == 0 ? "healthy: nothing failed" : failed + " check(s) failed");
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    private static String label(DoctorChecks.Level level) {
        return switch (level) {
            case OK -> "ok";
            case WARN -> "warn";
            case SKIP -> "skip";
            case FAIL -> "FAIL";
        };
    }
}
