package io.jvmroute.balancer.admin;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The status in three formats: HTML for a person, JSON for tools, Prometheus text for scraping. Every
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
                    .append('}');
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
        return sb.toString();
    }

    private static void metric(StringBuilder sb, String name, String type, String help, String lb,
                               List<WorkerStatus> workers, java.util.function.ToDoubleFunction<WorkerStatus> value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (WorkerStatus w : workers) {
            sb.append(name).append("{lb=\"").append(label(lb)).append("\",worker=\"").append(label(w.name()))
                    .append("\",route=\"").append(label(w.route())).append("\"} ").append(number(value.applyAsDouble(w))).append('\n');
        }
    }

    /**
     * @param csrf the CSRF token for the action forms, or null when the page is read-only (no forms)
     */
    static String html(String lb, List<WorkerStatus> workers, String csrf) {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>jvmroute balancer: ")
                .append(escape(lb)).append("</title><style>body{font-family:sans-serif}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #999;padding:2px 6px;text-align:right}.ERR{background:#f88}"
                        + ".OK{background:#8f8}</style></head><body><h1>lb ").append(escape(lb)).append("</h1>")
                .append("<p>JSON: <a href=\"status.json\">status.json</a>, Prometheus: <a href=\"metrics\">metrics</a></p>")
                .append("<table><tr><th>worker</th><th>route</th><th>domain</th><th>address</th><th>protocol</th><th>activation</th>"
                        + "<th>state</th><th>in flight</th><th>requests</th><th>errors</th><th>failovers</th>"
                        + "<th>bytes in</th><th>bytes out</th><th>p50 ms</th><th>p99 ms</th><th>last health check</th>"
                        + "<th>connections</th>").append(csrf == null ? "" : "<th>action</th>").append("</tr>");
        for (WorkerStatus w : workers) {
            sb.append("<tr><td>").append(escape(w.name())).append("</td><td>").append(escape(w.route()))
                    .append("</td><td>").append(escape(w.domain())).append("</td><td>").append(escape(w.address()))
                    .append("</td><td>").append(w.protocol()).append("</td><td>").append(w.activation()).append("</td><td class=\"").append(w.state()).append("\">")
                    .append(w.state()).append("</td><td>").append(w.inFlight()).append("</td><td>").append(w.requests())
                    .append("</td><td>").append(w.errors()).append("</td><td>").append(w.failovers())
                    .append("</td><td>").append(w.bytesIn()).append("</td><td>").append(w.bytesOut())
                    .append("</td><td>").append(number(w.p50Millis())).append("</td><td>").append(number(w.p99Millis()))
                    .append("</td><td>").append(escape(checkTime(w) + " " + w.lastCheck())).append("</td><td>")
                    .append(w.connections()).append("</td>");
            if (csrf != null) {
                sb.append("<td>");
                for (String action : List.of("activate", "disable", "stop")) {
                    sb.append(form(action, w.name(), csrf));
                }
                sb.append("</td>");
            }
            sb.append("</tr>");
        }
        sb.append("</table>");
        if (csrf != null) {
            sb.append("<p>").append(form("reset", "", csrf)).append(form("reload", "", csrf)).append("</p>");
        }
        return sb.append("</body></html>\n").toString();
    }

    private static String form(String action, String worker, String csrf) {
        return "<form method=\"post\" action=\"action\" style=\"display:inline\">"
                + "<input type=\"hidden\" name=\"action\" value=\"" + action + "\">"
                + "<input type=\"hidden\" name=\"worker\" value=\"" + escape(worker) + "\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"" + csrf + "\">"
                + "<input type=\"password\" name=\"token\" placeholder=\"admin token\" size=\"8\">"
                + "<button>" + action + "</button></form>";
    }

    private static String checkTime(WorkerStatus w) {
        return w.lastCheckMillis() == 0 ? "never" : Instant.ofEpochMilli(w.lastCheckMillis()).toString();
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
