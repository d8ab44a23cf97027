package io.jvmroute.balancer.admin;

import io.jvmroute.balancer.proxy.ClientLimits;

/** The front's own metrics (not per worker): client connections and what the slow-client defences refused. */
final class ClientMetrics {

    private ClientMetrics() {
    }

    static String prometheus(ClientLimits limits) {
        StringBuilder sb = new StringBuilder();
        metric(sb, "jvmroute_client_connections", "gauge", "Client connections open now", limits.open());
        metric(sb, "jvmroute_client_connections_refused_total", "counter",
                "Client connections refused over balancer.max_clients or max_clients_per_address", limits.refused());
        metric(sb, "jvmroute_client_head_timeouts_total", "counter",
                "Request heads not complete within balancer.head_timeout (408, closed)", limits.headTimeouts());
        return sb.toString();
    }

    private static void metric(StringBuilder sb, String name, String type, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        sb.append(name).append(' ').append(value).append('\n');
    }
}
