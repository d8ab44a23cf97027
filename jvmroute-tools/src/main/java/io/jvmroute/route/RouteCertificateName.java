package io.jvmroute.route;

/**
 * How a node certificate names the route it may speak for: a URI subject alternative name
 * {@code jvmroute:route:<route>}. A dedicated name, not the CN or a DNS name: a host name that happens to equal
 * another node's route must not let that host pose as the node. {@code jvmroute tls init} and {@code tls add}
 * write it; the replication transport pins peers on it alone.
 */
public final class RouteCertificateName {

    public static final String PREFIX = "jvmroute:route:";

    private RouteCertificateName() {
    }

    /** The URI that names {@code route}. */
    public static String uri(String route) {
        return PREFIX + route;
    }

    /** The route a URI names, or {@code null} for any other URI. */
    public static String routeOf(String uri) {
        if (uri == null || !uri.startsWith(PREFIX) || uri.length() == PREFIX.length()) {
            return null;
        }
        return uri.substring(PREFIX.length());
    }
}
