package io.jvmroute.balancer.admin;

import io.jvmroute.balancer.proxy.PoolRegistry;
import io.jvmroute.balancer.proxy.ProxyRuntime;
import io.jvmroute.balancer.cluster.LearnedCluster;
import io.jvmroute.balancer.routing.WorkerState;
import io.jvmroute.config.Activation;
import io.jvmroute.config.ConfigException;

/** What the admin listener may see and do to a running balancer. */
public interface BalancerControl {

    ProxyRuntime runtime();

    PoolRegistry pools();

    /** The admin token, or null when admin actions are off (no token, or the status worker is read_only). */
    String adminToken();

    /**
     * Where the balancer learnt of this worker, as the status page's "source" column shows it: today the
     * configuration's file name, or "command line"; "cluster" for a worker learnt from it, with any disagreement.
     */
    String sourceOf(WorkerState worker);

    /**
     * An admin action changed a worker's activation: a cluster member's node is told to drain or become active.
     *
     * @return what was done beyond the balancer, to append to the action's answer ("" for nothing)
     */
    default String activationChanged(WorkerState worker, Activation activation) {
        return "";
    }

    /** What the balancer last learnt from the cluster. */
    default LearnedCluster cluster() {
        return LearnedCluster.NOTHING_YET;
    }

    /** Re-reads the configuration; on failure the old one stays in force. */
    String reload() throws ConfigException;
}
