package io.jvmroute.balancer.proxy;

import io.jvmroute.balancer.routing.Router;
import io.jvmroute.balancer.routing.WorkerState;
import io.jvmroute.config.BalancerSettings;

/**
 * Everything a request needs, as one immutable snapshot: a reload publishes a new one and requests already
 * running finish with the one they started with.
 *
 * @param anyAjp  some worker is spoken to in AJP13 (requests are prepared as FORWARD_REQUESTs)
 * @param anyHttp some worker is spoken to in HTTP (requests are prepared as HTTP heads)
 */
public record ProxyRuntime(Router router, BalancerSettings settings, ProxyHeaders headers, PoolRegistry pools,
                           boolean tls, boolean anyAjp, boolean anyHttp) {

    public ProxyRuntime(Router router, BalancerSettings settings, ProxyHeaders headers, PoolRegistry pools, boolean tls) {
        this(router, settings, headers, pools, tls, speaks(router, true), speaks(router, false));
    }

    private static boolean speaks(Router router, boolean ajp) {
        for (WorkerState w : router.workers()) {
            if (w.def().speaksAjp() == ajp) {
                return true;
            }
        }
        return false;
    }
}
