package io.jvmroute.balancer.proxy;

import io.jvmroute.balancer.routing.Decision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the SLF4J logger {@code io.jvmroute.balancer.access} (route it to its own file in
 * logback.xml): client, method, URI, status, response bytes, duration, the route asked for, the worker
 * chosen and why.
 * <pre>127.0.0.1 GET /app/ 200 512 3ms route=jvm1 worker=jvm1 sticky</pre>
 */
final class AccessLog {

    private static final Logger LOG = LoggerFactory.getLogger("io.jvmroute.balancer.access");

    private AccessLog() {
    }

    /** Whether lines are wanted: callers skip gathering the fields when not. */
    static boolean enabled() {
        return LOG.isInfoEnabled();
    }

    /** The line of one exchange, ended with {@code status}; {@code client} is the client's address as text. */
    static void log(String client, Exchange e, int status) {
        if (!enabled()) {
            return;
        }
        Decision d = e.decision;
        log(client, e.request.method, e.request.uri, status, e.responseBytes, System.nanoTime() - e.startNanos,
                e.requestedRoute, d == null || d.refused() ? null : d.worker().name(), d == null ? "-" : d.reason().label());
    }

    static void log(String client, String method, String uri, int status, long bytes, long nanos,
                    String route, String worker, String reason) {
        if (LOG.isInfoEnabled()) {
            LOG.info("{} {} {} {} {} {}ms route={} worker={} {}", client, method, uri, status, bytes, nanos / 1_000_000,
                    route == null ? "-" : route, worker == null ? "-" : worker, reason);
        }
    }
}
