package io.jvmroute.balancer.routing;

import java.util.Locale;

/** Why a request went to the worker it went to; written to the access log. */
public enum Reason {
    /** Its session's route names this worker. */
    STICKY,
    /** Its session's worker was unusable; this is that worker's {@code redirect}. */
    REDIRECT,
    /** Its session's worker was unusable (or its route unknown); this worker shares the route's domain. */
    DOMAIN,
    /** No usable route: chosen by the lb method. */
    BALANCED,
    /** An earlier attempt failed; this is the next worker. */
    RETRIED;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The access log's word for it, e.g. {@code sticky} (computed once, not per request). */
    public String label() {
        return label;
    }
}
