package io.jvmroute.balancer.cluster;

import io.jvmroute.balancer.routing.Router;
import io.jvmroute.balancer.routing.WorkerState;
import io.jvmroute.config.Activation;
import io.jvmroute.config.HostPort;
import io.jvmroute.config.LbDef;
import io.jvmroute.config.WorkerDef;
import io.jvmroute.config.WorkersConfig;
import io.jvmroute.membership.ClusterReport;
import io.jvmroute.membership.MemberState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Combines the configured workers with the cluster's members: the one place that decides which workers the
 * balancer serves and what each one's state is when the two disagree.
 *
 * <ul>
 *   <li>A member whose route no configured worker has becomes an HTTP worker named by its route, at its
 *       published HTTP front. A member that leaves is forgotten; configured workers always stay.</li>
 *   <li>A configured worker keeps its settings (address, lbfactor, activation in the file); where the cluster
 *       says otherwise, the status page's source column says so.</li>
 *   <li>A member's state, as it changes (a drain started on the node by JMX or a shutdown, or by this balancer),
 *       becomes its worker's activation: draining is {@code disabled} (own sessions only), active is
 *       {@code active}. A worker the file sets disabled or stopped stays so, and a worker stopped here stays
 *       stopped.</li>
 * </ul>
 */
public final class ClusterWorkers {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterWorkers.class);

    /** Route to the member state last applied, so that a state is applied when it changes, not on every reading. */
    private final Map<String, MemberState> applied = new ConcurrentHashMap<>();
    private volatile LearnedCluster cluster = LearnedCluster.NOTHING_YET;

    /** Records a reading; {@link #merge} and {@link #applyStates} then use it. */
    public void learnt(LearnedCluster reading) {
        cluster = reading;
    }

    public LearnedCluster cluster() {
        return cluster;
    }

    /**
     * The configuration to serve: the configured workers, then each member without one (up to the router's
     * limit). Without a configured lb, an lb named {@code lb} with mod_jk's defaults.
     */
    public WorkersConfig merge(WorkersConfig configured) {
        Map<String, WorkerDef> workers = new LinkedHashMap<>(configured.workers());
        List<String> routes = workers.values().stream().map(WorkerDef::route).toList();
        List<String> warnings = new ArrayList<>(configured.warnings());
        for (ClusterReport.Member m : cluster.members().values()) {
            if (routes.contains(m.route()) || m.http().isEmpty()) {
                continue;
            }
            if (workers.containsKey(m.route()) || workers.size() == Router.MAX_WORKERS) {
                warnings.add("cluster member " + m.route() + " is not served: " + (workers.size() == Router.MAX_WORKERS
                        ? Router.MAX_WORKERS + " workers already" : "a configured worker has that name with another route"));
                continue;
            }
            workers.put(m.route(), WorkerDef.http(m.route(), HostPort.parse(m.http(), "")));
        }
        LbDef lb = configured.lb();
        LbDef merged = new LbDef(lb.name(), List.copyOf(workers.keySet()), lb.stickySession(), lb.stickySessionForce(),
                lb.method(), lb.sessionCookie(), lb.sessionPath());
        return new WorkersConfig(configured.source(), merged, workers, configured.status(), configured.settings(), warnings);
    }

    /**
     * Applies each member's state to its worker when it changed since the last reading.
     *
     * @return the workers that became active again (the router levels them with the others)
     */
    public List<WorkerState> applyStates(List<WorkerState> workers) {
        List<WorkerState> rejoined = new ArrayList<>();
        Map<String, MemberState> seen = new HashMap<>();
        for (WorkerState w : workers) {
            ClusterReport.Member m = cluster.members().get(w.route());
            if (m == null) {
                continue;
            }
            seen.put(w.route(), m.state());
            if (m.state() == applied.put(w.route(), m.state()) || w.def().activation() != Activation.ACTIVE
                    || w.activation() == Activation.STOPPED) {
                continue;
            }
            Activation wanted = m.state() == MemberState.DRAINING ? Activation.DISABLED : Activation.ACTIVE;
            if (w.activation() != wanted) {
                LOG.info("worker {} is now {}: the cluster says its node is {}", w.name(), wanted.name().toLowerCase(java.util.Locale.ROOT),
                        m.state().name().toLowerCase(java.util.Locale.ROOT));
                w.activation(wanted);
                if (wanted == Activation.ACTIVE) {
                    rejoined.add(w);
                }
            }
        }
        if (cluster.reachable()) {
            applied.keySet().retainAll(seen.keySet()); // a member that left starts afresh if it comes back
        }
        return rejoined;
    }

    /** The member of this worker's route, or null when the cluster does not name it. */
    public ClusterReport.Member member(WorkerState w) {
        return cluster.members().get(w.route());
    }

    /**
     * The status page's source column: the file (or "command line"), "cluster", or both, with what the cluster
     * says where it disagrees, and "unreachable" while the cluster's last view is kept.
     */
    public String sourceOf(WorkerState w, WorkersConfig configured, long nowMillis) {
        String file = configured.source().substring(configured.source().lastIndexOf('/') + 1);
        ClusterReport.Member m = member(w);
        boolean isConfigured = configured.workers().containsKey(w.name());
        if (m == null) {
            return file;
        }
        List<String> notes = new ArrayList<>();
        if (isConfigured && !m.http().isEmpty() && !m.http().equals(w.def().httpAddress().toString())) {
            notes.add("cluster says http " + m.http());
        }
        boolean draining = m.state() == MemberState.DRAINING;
        if (draining != (w.activation() != Activation.ACTIVE)) {
            notes.add("cluster says " + m.state().name().toLowerCase(java.util.Locale.ROOT));
        }
        LearnedCluster c = cluster;
        if (!c.reachable()) {
            notes.add("cluster unreachable " + Math.max(0, (nowMillis - c.lastGoodMillis()) / 1000) + " s, last view kept");
        }
        String source = isConfigured ? file + " + cluster" : "cluster";
        return notes.isEmpty() ? source : source + " (" + String.join("; ", notes) + ")";
    }
}
