package io.jvmroute.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a workers.properties says that the balancer uses: the lb worker it serves, that lb's member
 * workers in {@code balance_workers} order, the status worker if any, the balancer's own settings, and the
 * warnings about keys it ignores (each reported once). Immutable.
 */
public record WorkersConfig(String source, LbDef lb, Map<String, WorkerDef> workers, Optional<StatusDef> status,
                            BalancerSettings settings, List<String> warnings) {

    public WorkersConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(lb, "lb");
        workers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(workers));
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(settings, "settings");
        warnings = List.copyOf(warnings);
    }

    /**
     * The simple case of the command line, {@code --worker jvm1=127.0.0.11:8080 ...}: HTTP workers routed by
     * their names, an lb named {@code lb} with mod_jk's defaults.
     */
    public static WorkersConfig ofWorkers(Map<String, HostPort> workers, BalancerSettings settings) throws ConfigException {
        if (workers.isEmpty()) {
            throw new ConfigException("no workers (expected: --worker NAME=HOST:PORT at least once, or a workers.properties)");
        }
        Map<String, WorkerDef> defs = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        workers.forEach((name, address) -> {
            if (io.jvmroute.route.SessionId.checkRoute(name) != null) {
                problems.add("--worker " + name + ": not usable as a route ("
                        + io.jvmroute.route.SessionId.checkRoute(name).description() + ")");
            }
            defs.put(name, WorkerDef.http(name, address));
        });
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new WorkersConfig("command line", LbDef.defaults("lb", List.copyOf(defs.keySet())), defs,
                Optional.empty(), settings, List.of());
    }

    /** The member workers in {@code balance_workers} order. */
    public List<WorkerDef> members() {
        return List.copyOf(workers.values());
    }
}
