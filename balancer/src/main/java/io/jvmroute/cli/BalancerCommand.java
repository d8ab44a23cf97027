package io.jvmroute.cli;

import io.jvmroute.balancer.Balancer;
import io.jvmroute.config.BalancerSettings;
import io.jvmroute.config.ConfigException;
import io.jvmroute.config.HostPort;
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
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code jvmroute balancer [workers.properties] [--listen :8080] [--worker jvm1=127.0.0.11:8080 ...]}:
 * runs the balancer until stopped (SIGTERM/Ctrl-C: graceful), reloading the file on SIGHUP.
 * Exit codes: 0 stopped, 2 unusable configuration (each problem on one line), 1 failed to start.
 */
@Command(name = "balancer", mixinStandardHelpOptions = true,
        description = {"Runs the sticky balancer in front of the Tomcat nodes.",
                "Either a mod_jk workers.properties (read unchanged; ajp13 workers need worker.NAME.http_port)",
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
        return listen == null && adminListen == null && tcpListen == null ? base : withListeners(base);
    }

    private WorkersConfig withListeners(WorkersConfig c) throws ConfigException {
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
        return new WorkersConfig(c.source(), c.lb(), c.workers(), c.status(), b.build(), c.warnings());
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
            balancer.reloadFrom(() -> withListenersIfAny(WorkersPropertiesParser.parse(file)));
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

    private WorkersConfig withListenersIfAny(WorkersConfig c) throws ConfigException {
        return listen == null && adminListen == null ? c : withListeners(c);
    }
}
