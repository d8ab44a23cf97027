package io.jvmroute.balancer.admin;

import io.jvmroute.balancer.proxy.PoolRegistry;
import io.jvmroute.balancer.routing.WorkerState;

/** One row of the status page: a consistent-enough copy of a worker's live state, taken once per page. */
public record WorkerStatus(String name, String route, String domain, String address, String protocol, String activation, boolean up,
                           int inFlight, long requests, long errors, long failovers, long bytesIn, long bytesOut,
                           double p50Millis, double p99Millis, long lastCheckMillis, String lastCheck,
                           int connections) {

    static WorkerStatus of(WorkerState w, PoolRegistry pools) {
        return new WorkerStatus(w.name(), w.route(), w.def().domain(), w.def().address().toString(), w.def().protocol(),
                w.activation().name().toLowerCase(java.util.Locale.ROOT), w.isUp(), w.inFlight(), w.requests(),
                w.errors(), w.failovers(), w.bytesIn(), w.bytesOut(), w.latency().percentileMillis(0.5),
                w.latency().percentileMillis(0.99), w.lastCheckMillis(), w.lastCheckResult(),
                pools.openConnections(w));
    }

    /** What the page shows as the worker's state: OK, ERR (down) or the activation when not active. */
    public String state() {
        return up ? "OK" : "ERR";
    }
}
