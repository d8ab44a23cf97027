package io.jvmroute.valve;

import java.util.Locale;

/**
 * When {@link JvmRouteValve} renames a session that arrives carrying another node's route.
 */
public enum RewritePolicy {
    /**
     * Only when the route's node is gone, draining, unknown to the cluster, or the balancer says (in a
     * trusted failover header) that it failed over. A stray request to a live node is served without
     * touching the user's cookie.
     */
    FAILOVER,
    /** On every request with a foreign route, as Tomcat's JvmRouteBinderValve does. */
    ALWAYS,
    /** Never: sessions are served wherever they are found and keep their route. */
    NEVER;

    /** Parses a server.xml value, case-insensitively; rejects anything else naming the value. */
    static RewritePolicy parse(String value) {
        if (value != null) {
            for (RewritePolicy policy : values()) {
                if (policy.name().equalsIgnoreCase(value.trim())) {
                    return policy;
                }
            }
        }
        throw new IllegalArgumentException("rewrite: " + value + " (expected: failover, always or never)");
    }

    /** The value as written in server.xml. */
    String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
