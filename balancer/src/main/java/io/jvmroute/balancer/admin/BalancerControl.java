package io.jvmroute.balancer.admin;

import io.jvmroute.balancer.proxy.PoolRegistry;
import io.jvmroute.balancer.proxy.ProxyRuntime;
import io.jvmroute.balancer.routing.WorkerState;
import io.jvmroute.config.ConfigException;

/** What the admin listener may see and do to a running balancer. */
public interface BalancerControl {

    ProxyRuntime runtime();

    PoolRegistry pools();

    /** The admin token, or null when admin actions are off (no token, or the status worker is read_only). */
    String adminToken();

    /**
     * Where the balancer learnt of this worker, as the status page's "source" column shows it: today the
     * configuration's file name, or "command line". (Workers learnt from the cluster will say so here.)
     */
    String sourceOf(WorkerState worker);

    /** Re-reads the configuration; on failure the old one stays in force. */
    String reload() throws ConfigException;
}
