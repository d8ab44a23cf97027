package io.jvmroute.cli;

import io.jvmroute.balancer.Balancer;
import io.jvmroute.config.BalancerSettings;
import io.jvmroute.config.ConfigException;
import io.jvmroute.config.HostPort;
import io.jvmroute.config.LbDef;
import io.jvmroute.config.WorkersConfig;
import io.jvmroute.config.WorkersPropertiesParser;
import io.netty.util.ResourceLeakDetector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code jvmroute balancer [workers.properties] [--listen :8080] [--worker jvm1=127.0.0.11:8080 ...] [--cluster n1:8080]}:
 * runs the balancer until stopped (SIGTERM/Ctrl-C: graceful), reloading the file on SIGHUP.
 * Exit codes: 0 stopped, 2 unusable configuration (each problem on one line), 1 failed to start.
 */
@Command(name = "balancer", mixinStandardHelpOptions = true,
        description = {"Runs the sticky balancer in front of the Tomcat nodes.",
                "Either a mod_jk workers.properties (read unchanged; ajp13 workers are spoken to in AJP13)",
                "or --worker flags for the simple case."})
final class BalancerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "workers.properties", description = "mod_jk workers.properties plus balancer.* settings")
    Path file;

    @Option(names = "--listen", paramLabel = "[HOST]:PORT", description = "front listener (overrides balancer.listen; default :8080)")
    String listen;

    @Option(names = "--worker", paramLabel = "NAME=HOST:PORT", description = "an HTTP worker routed by NAME (repeatable; instead of a file)")
    List<String> workers = List.of();

    @Option(names = "--admin-listen", paramLabel = "[HOST]:PORT", description = "status page and admin actions (default 127.0.0.1:8081)")
    String adminListen;

    @Option(names = "--tcp-listen", paramLabel = "[HOST]:PORT", description = "a plain TCP relay to the workers' same port,"
            + " by client source address (CloudStack agents: :8250; overrides balancer.tcp.listen)")
    String tcpListen;

    @Option(names = "--cluster", paramLabel = "HOST:PORT[,HOST:PORT]", description = "learn the workers from the"
            + " cluster: nodes' HTTP connectors whose JvmRouteValve answers this balancer (overrides balancer.cluster)")
    String cluster;

    @Option(names = "--cluster-token", paramLabel = "TOKEN", defaultValue = "${env:JVMROUTE_CLUSTER_TOKEN}",
            description = "the valves' clusterToken (default: env JVMROUTE_CLUSTER_TOKEN; overrides balancer.cluster.token)")
    String clusterToken;

    @Option(names = "--admin-token", paramLabel = "TOKEN", defaultValue = "${env:JVMROUTE_ADMIN_TOKEN}",
            description = "the admin actions' token (default: env JVMROUTE_ADMIN_TOKEN; overrides balancer.admin.token)")
    String adminToken;

    @Option(names = "--threads", description = "event loops (default: one per core)")
    int threads = Runtime.getRuntime().availableProcessors();

    /** The configuration the arguments describe; each problem is one line of the exception. */
    WorkersConfig config() throws ConfigException, IOException {
        if (file != null && !workers.isEmpty()) {
            throw new ConfigException("give either a workers.properties or --worker flags, not both");
        }
        WorkersConfig base;
        if (file != null) {
            base = WorkersPropertiesParser.parse(file);
        } else if (workers.isEmpty() && cluster != null) {
            // the cluster says which workers there are: the balancer starts with none and learns them
            base = new WorkersConfig("cluster", LbDef.defaults("lb", List.of()), Map.of(), Optional.empty(),
                    BalancerSettings.defaults(), List.of());
        } else {
            Map<String, HostPort> map = new LinkedHashMap<>();
            for (String w : workers) {
                int eq = w.indexOf('=');
                if (eq <= 0) {
                    throw new ConfigException("--worker " + w + " (expected: NAME=HOST:PORT, as jvm1=127.0.0.11:8080)");
                }
                try {
                    map.put(w.substring(0, eq), HostPort.parse(w.substring(eq + 1), "127.0.0.1"));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("--worker " + w + ": " + e.getMessage());
                }
            }
            base = WorkersConfig.ofWorkers(map, BalancerSettings.defaults());
        }
        return withFlags(base);
    }

    /** The configuration with the settings given as flags (or their environment variables) in force. */
    private WorkersConfig withFlags(WorkersConfig c) throws ConfigException {
        if (listen == null && adminListen == null && tcpListen == null && cluster == null && clusterToken == null
                && adminToken == null) {
            return c;
        }
        BalancerSettings.Builder b = new BalancerSettings.Builder().from(c.settings());
        try {
            if (listen != null) {
                b.set("listen", listen);
            }
            if (adminListen != null) {
                b.set("admin.listen", adminListen);
            }
            if (tcpListen != null) {
                b.set("tcp.listen", tcpListen);
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--listen/--admin-listen/--tcp-listen: " + e.getMessage());
        }
        try {
            if (cluster != null) {
                b.set("cluster", cluster);
            }
            if (clusterToken != null) {
                b.set("cluster.token", clusterToken);
            }
            if (adminToken != null) {
                b.set("admin.token", adminToken);
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--cluster: " + e.getMessage());
        }
        try {
            return new WorkersConfig(c.source(), c.lb(), c.workers(), c.status(), b.build(), c.warnings());
        } catch (IllegalArgumentException e) { // settings that contradict each other
            throw new ConfigException(e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // Netty's default samples one buffer in 128 and records a stack trace for it: a measurable
            // share of a proxy's CPU. The tests run PARANOID; an operator can ask for it with the property.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        Balancer balancer;
        try {
            balancer = Balancer.start(config(), threads);
        } catch (ConfigException e) {
            e.problems().forEach(err::println);
            err.flush();
            return 2;
        }
        if (file != null) {
            balancer.reloadFrom(() -> withFlags(WorkersPropertiesParser.parse(file)));
            Signals.onHangup(() -> {
                try {
                    balancer.reload();
                } catch (ConfigException e) {
                    // already logged by the balancer with every problem; the old configuration stays
                }
            });
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            balancer.close();
            stopped.countDown();
        }, "jvmroute-shutdown"));
        stopped.await();
        return 0;
    }
}
