package io.jvmroute.balancer.admin;

import io.jvmroute.balancer.cluster.LearnedCluster;
import io.jvmroute.balancer.routing.WorkerState;
import io.jvmroute.membership.ClusterReport;

import java.util.Locale;

/**
 * {@code GET /drain.txt?worker=NAME}: one line of {@code key=value} words saying how far a worker's drain is, read
 * by {@code jvmroute drain --wait} (without {@code worker}, one line per worker: {@code jvmroute doctor}): its
 * address, whether it is up, its activation, its node's state and the sessions that still point at the node
 * as the node counts them ({@code -1} when the node is not a cluster member the balancer reads), requests in
 * flight, and the different sessions that asked for it this minute (what the balancer itself sees).
 */
final class DrainStatus {

    private DrainStatus() {
    }

    static String line(WorkerState w, LearnedCluster cluster, long nanoTime) {
        ClusterReport.Member member = cluster.members().get(w.route());
        Long nodeSessions = cluster.sessions().get(w.route());
        return "worker=" + w.name() + " route=" + w.route() + " address=" + w.def().httpAddress() + " up=" + w.isUp()
                + " activation=" + w.activation().name().toLowerCase(Locale.ROOT)
                + " node=" + (member == null ? "unknown" : member.state().name().toLowerCase(Locale.ROOT))
                + " node_sessions=" + (nodeSessions == null ? -1 : nodeSessions)
                + " in_flight=" + w.inFlight()
                + " sessions_this_minute=" + w.sessions().minute(0, nanoTime).sessions()
                + " fingerprint=" + (member == null || member.fingerprint().isEmpty() ? "-" : member.fingerprint())
                + " cluster=" + (cluster.reachable() ? "reachable" : "unreachable") + "\n";
    }
}
