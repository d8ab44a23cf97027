package io.jvmroute.balancer.admin;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The status for tools: JSON and Prometheus text (the HTML page for a person is {@link StatusPage}). Every
 * field is documented once, here:
 * <ol>
 *   <li>name, route, domain, address: from workers.properties; protocol: what the balancer speaks to the
 *       worker, {@code ajp13} or {@code http} (Prometheus: {@code jvmroute_worker_info})</li>
 *   <li>activation: active / disabled (own sessions only) / stopped</li>
 *   <li>state: OK, or ERR while health checks or passive detection say it is down</li>
 *   <li>in_flight: requests being served now; requests, errors, failovers (requests for its route served
 *       elsewhere), bytes_in / bytes_out (request / response bodies): since start or the last reset</li>
 *   <li>p50_ms / p99_ms: response time percentiles of successful requests (bucket upper bounds)</li>
 *   <li>last_check: time and result of the last active health check; connections: open to the worker</li>
 *   <li>source: where the balancer learnt of the worker (the configuration file, or the command line)</li>
 *   <li>state_text: the page's words for the state (up, draining, stopped, "down — connection refused");
 *       up_since / activation_since: when the worker last went up or down / changed activation;
 *       tcp_connections: plain TCP connections relayed to it now (balancer.tcp.listen)</li>
 *   <li>sessions_recent: different sessions whose route named the worker in the last minutes (estimated,
 *       {@code sessions_recent_at_least} when too many to count); recent: per {@code slot_seconds} slot,
 *       oldest first, requests, errors and sticky requests (whose route named it, wherever served)</li>
 * </ol>
 */
final class StatusFormats {

    private StatusFormats() {
    }

    static String json(String lb, List<WorkerStatus> workers) {
        StringBuilder sb = new StringBuilder("{\"lb\":").append(quote(lb)).append(",\"workers\":[");
        for (int i = 0; i < workers.size(); i++) {
            WorkerStatus w = workers.get(i);
            sb.append(i == 0 ? "" : ",").append('{')
                    .append("\"name\":").append(quote(w.name()))
                    .append(",\"route\":").append(quote(w.route()))
                    .append(",\"domain\":").append(quote(w.domain()))
                    .append(",\"address\":").append(quote(w.address()))
                    .append(",\"protocol\":").append(quote(w.protocol()))
                    .append(",\"activation\":").append(quote(w.activation()))
                    .append(",\"state\":").append(quote(w.state()))
                    .append(",\"in_flight\":").append(w.inFlight())
                    .append(",\"requests\":").append(w.requests())
                    .append(",\"errors\":").append(w.errors())
                    .append(",\"failovers\":").append(w.failovers())
                    .append(",\"bytes_in\":").append(w.bytesIn())
                    .append(",\"bytes_out\":").append(w.bytesOut())
                    .append(",\"p50_ms\":").append(number(w.p50Millis()))
                    .append(",\"p99_ms\":").append(number(w.p99Millis()))
                    .append(",\"last_check\":").append(quote(checkTime(w)))
                    .append(",\"last_check_result\":").append(quote(w.lastCheck()))
                    .append(",\"connections\":").append(w.connections())
                    .append(",\"source\":").append(quote(w.source()))
                    .append(",\"state_text\":").append(quote(PlainWords.stateText(w)))
                    .append(",\"up_since\":").append(quote(instant(w.upSinceMillis())))
                    .append(",\"activation_since\":").append(quote(instant(w.activationSinceMillis())))
                    .append(",\"tcp_connections\":").append(w.tcpConnections())
                    .append(",\"sessions_recent\":").append(w.trend().sessions())
                    .append(",\"sessions_recent_at_least\":").append(w.trend().sessionsAtLeast())
                    .append(",\"recent\":{\"slot_seconds\":").append(w.trend().slotSeconds())
                    .append(",\"requests\":").append(array(w.trend().requests()))
                    .append(",\"errors\":").append(array(w.trend().errors()))
                    .append(",\"sticky\":").append(array(w.trend().sticky()))
                    .append("}}");
        }
        return sb.append("]}\n").toString();
    }

    static String prometheus(String lb, List<WorkerStatus> workers) {
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP jvmroute_worker_info The protocol the balancer speaks to the worker (always 1)\n")
                .append("# TYPE jvmroute_worker_info gauge\n");
        for (WorkerStatus w : workers) {
            sb.append("jvmroute_worker_info{lb=\"").append(label(lb)).append("\",worker=\"").append(label(w.name()))
                    .append("\",route=\"").append(label(w.route())).append("\",protocol=\"").append(label(w.protocol()))
                    .append("\"} 1\n");
        }
        metric(sb, "jvmroute_worker_up", "gauge", "1 if the worker is up (health), else 0", lb, workers, w -> w.up() ? 1 : 0);
        metric(sb, "jvmroute_worker_active", "gauge", "1 if the worker's activation is active", lb, workers,
                w -> w.activation().equals("active") ? 1 : 0);
        metric(sb, "jvmroute_worker_in_flight", "gauge", "Requests being served", lb, workers, WorkerStatus::inFlight);
        metric(sb, "jvmroute_worker_requests_total", "counter", "Requests sent to the worker", lb, workers, WorkerStatus::requests);
        metric(sb, "jvmroute_worker_errors_total", "counter", "Requests that failed on the worker", lb, workers, WorkerStatus::errors);
        metric(sb, "jvmroute_worker_failovers_total", "counter", "Requests for the worker's route served elsewhere", lb,
                workers, WorkerStatus::failovers);
        metric(sb, "jvmroute_worker_request_bytes_total", "counter", "Request body bytes", lb, workers, WorkerStatus::bytesIn);
        metric(sb, "jvmroute_worker_response_bytes_total", "counter", "Response body bytes", lb, workers, WorkerStatus::bytesOut);
        metric(sb, "jvmroute_worker_latency_p50_seconds", "gauge", "Median response time", lb, workers, w -> w.p50Millis() / 1000);
        metric(sb, "jvmroute_worker_latency_p99_seconds", "gauge", "99th percentile response time", lb, workers,
                w -> w.p99Millis() / 1000);
        metric(sb, "jvmroute_worker_tcp_connections", "gauge", "Plain TCP connections relayed to the worker now", lb,
                workers, WorkerStatus::tcpConnections);
        metric(sb, "jvmroute_worker_sessions_recent", "gauge",
                "Different sessions whose route named the worker in the last minutes (estimated)", lb, workers,
                w -> w.trend().sessions());
        return sb.toString();
    }

    private static void metric(StringBuilder sb, String name, String type, String help, String lb,
                               List<WorkerStatus> workers, ToDoubleFunction<WorkerStatus> value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (WorkerStatus w : workers) {
            sb.append(name).append("{lb=\"").append(label(lb)).append("\",worker=\"").append(label(w.name()))
                    .append("\",route=\"").append(label(w.route())).append("\"} ").append(number(value.applyAsDouble(w))).append('\n');
        }
    }

    private static String checkTime(WorkerStatus w) {
        return instant(w.lastCheckMillis());
    }

    private static String instant(long millis) {
        return millis == 0 ? "never" : Instant.ofEpochMilli(millis).toString();
    }

    private static String array(long[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ",").append(values[i]);
        }
        return sb.append(']').toString();
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.format(Locale.ROOT, "%.3f", d);
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String label(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
