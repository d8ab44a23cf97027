package io.jvmroute.replication.secure;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which route a certificate must name, from the {@code members} list: a node we dial at {@code host:port} must
 * be that member's route; a node that dials us can only be told by its IP address (its source port is
 * ephemeral), so it must be one of the routes listed at that address.
 */
public final class PeerRoutes {

    private final Map<InetSocketAddress, String> routes;

    /** @param routes every member's receiver address (resolved) and route, this node's included */
    public PeerRoutes(Map<InetSocketAddress, String> routes) {
        this.routes = Map.copyOf(routes);
    }

    /** The route of the member listening at {@code address}, or {@code null}. */
    String routeAt(InetSocketAddress address) {
        return routes.get(address);
    }

    /** The routes of the members on this IP address (empty for an address no member has). */
    Set<String> routesAt(InetAddress address) {
        Set<String> found = new TreeSet<>();
        routes.forEach((member, route) -> {
            if (member.getAddress() != null && member.getAddress().equals(address)) {
                found.add(route);
            }
        });
        return found;
    }
}
