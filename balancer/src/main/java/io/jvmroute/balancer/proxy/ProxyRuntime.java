package io.jvmroute.balancer.proxy;

import io.jvmroute.balancer.routing.Router;
import io.jvmroute.config.BalancerSettings;

/**
 * Everything a request needs, as one immutable snapshot: a reload publishes a new one and requests already
 * running finish with the one they started with.
 */
public record ProxyRuntime(Router router, BalancerSettings settings, ProxyHeaders headers, PoolRegistry pools,
                           boolean tls) {
}
