package io.jvmroute.balancer.admin;

import io.jvmroute.balancer.proxy.PoolRegistry;
import io.jvmroute.balancer.routing.WorkerState;

import java.util.Locale;

/**
 * One row of the status page: a consistent-enough copy of a worker's live state, taken once per page.
 *
 * @param protocol what the balancer speaks to the worker: {@code ajp13} or {@code http}
 * @param source where the balancer learnt of this worker (today the configuration's file, or the command
 *               line); the page shows it as a column so that workers learnt from the cluster can stand beside
 *               configured ones
 * @param tcpConnections plain TCP connections relayed to it now ({@code balancer.tcp.listen})
 */
public record WorkerStatus(String name, String route, String domain, String address, String protocol, String activation, boolean up,
                           int inFlight, long requests, long errors, long failovers, long bytesIn, long bytesOut,
                           double p50Millis, double p99Millis, long lastCheckMillis, String lastCheck,
                           int connections, String source, long upSinceMillis, long activationSinceMillis,
                           int tcpConnections, WorkerTrend trend) {

    static WorkerStatus of(WorkerState w, PoolRegistry pools, String source, long nanoTime) {
        return new WorkerStatus(w.name(), w.route(), w.def().domain(), w.def().address().toString(), w.def().protocol(),
                w.activation().name().toLowerCase(Locale.ROOT), w.isUp(), w.inFlight(), w.requests(),
                w.errors(), w.failovers(), w.bytesIn(), w.bytesOut(), w.latency().percentileMillis(0.5),
                w.latency().percentileMillis(0.99), w.lastCheckMillis(), w.lastCheckResult(),
                pools.openConnections(w), source, w.upSinceMillis(), w.activationSinceMillis(), w.relayedConnections(),
                WorkerTrend.of(w, nanoTime));
    }

    /** The JSON's and metrics' state: OK, or ERR while down (mod_jk's words; the page says it plainly). */
    public String state() {
        return up ? "OK" : "ERR";
    }
}
