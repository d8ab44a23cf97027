package io.jvmroute.balancer.admin;

import java.util.List;

import static io.jvmroute.balancer.admin.PlainWords.ago;
import static io.jvmroute.balancer.admin.PlainWords.count;
import static io.jvmroute.balancer.admin.PlainWords.rate;
import static io.jvmroute.balancer.admin.PlainWords.span;
import static io.jvmroute.balancer.admin.StatusFormats.escape;

/**
 * The HTML status page, for an operator at a laptop: one row per worker that fits 1280 px, its state in
 * colour and plain words, times as "2 s ago", requests/s and errors over the last minutes as a chart, the
 * sessions pointing at it per minute (which falls while it drains), and the admin actions. A small inline
 * script refreshes the rows every 2 s (the page works without it; it then shows the moment it was loaded).
 *
 * <p>Everything is inline (style, script, SVG): the page is often opened where there is no network. The
 * response's Content-Security-Policy lets only this page's own style and script (by nonce) run.
 */
final class StatusPage {

    private StatusPage() {
    }

    private static final String STYLE = """
            *{box-sizing:border-box}
            body{margin:0;font:14px/1.35 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2430;background:#f3f5f7}
            header{display:flex;flex-wrap:wrap;align-items:center;gap:8px 20px;padding:10px 20px;background:#1d2430;color:#fff}
            header h1{font-size:17px;margin:0;font-weight:600}
            header a{color:#b9d4ff}
            #summary{flex:1 1 auto}
            .stale #summary::after{content:" \\2014 not updating: the balancer does not answer";color:#ffb4b4}
            #admin{display:flex;gap:6px;align-items:center}
            #admin input{width:130px;padding:3px 6px}
            main{padding:12px 20px}
            table{width:100%;border-collapse:collapse;table-layout:fixed;background:#fff;box-shadow:0 1px 2px #0002}
            th{text-align:left;font-size:12px;font-weight:600;color:#556070;border-bottom:2px solid #d5dae0;padding:6px 8px}
            td{padding:8px;border-bottom:1px solid #e4e8ec;vertical-align:top;overflow-wrap:break-word}
            .sub{display:block;color:#5d6876;font-size:12px}
            .pill{display:inline-block;padding:1px 9px;border-radius:10px;font-weight:600}
            .up{background:#d8f1df;color:#13502a}.down{background:#fcdcdb;color:#8b1a1a}
            .draining{background:#fff0c2;color:#6e4700}.stopped{background:#e3e6ea;color:#39424e}
            tr.is-down td:first-child{box-shadow:inset 4px 0 #d64545}tr.is-draining td:first-child{box-shadow:inset 4px 0 #e0a800}
            tr.is-stopped td:first-child{box-shadow:inset 4px 0 #8a94a0}tr.is-up td:first-child{box-shadow:inset 4px 0 #2f9e55}
            tr.is-down{background:#fff6f6}
            .lat{white-space:nowrap;font-size:13px}
            .c-worker{width:11%}.c-state{width:16%}.c-traffic{width:17%}.c-errors{width:8%}.c-sessions{width:14%}
            .c-latency{width:8%}.c-health{width:9%}.c-source{width:9%}.c-action{width:8%}.ro .c-source{width:15%}
            .chart{display:block;width:100%;height:34px;margin-top:3px;background:#f5f7fa}
            .area{fill:#dbe8fb}.line{fill:none;stroke:#2f6fd6;stroke-width:1.5;vector-effect:non-scaling-stroke}
            .err{fill:#d64545}.bar{fill:#7b61c9}.bar.now{fill:#c2b5ea}
            .num{font-variant-numeric:tabular-nums}
            .bad{color:#b42318;font-weight:600}.alarm{color:#ffb4b4}
            button{font:inherit;font-size:12px;padding:2px 8px;margin:0 4px 4px 0;cursor:pointer;white-space:nowrap}
            footer{padding:0 20px 16px;color:#5d6876;font-size:12px}
            """;

    /** Refreshes #summary and #workers in place; the token typed in the header form stays. */
    private static final String SCRIPT = """
            (function(){
              function tick(){
                fetch(location.pathname,{cache:'no-store'}).then(function(r){
                  if(!r.ok)throw new Error(r.status);return r.text();
                }).then(function(t){
                  var d=new DOMParser().parseFromString(t,'text/html');
                  ['summary','workers'].forEach(function(id){
                    var n=d.getElementById(id),o=document.getElementById(id);if(n&&o)o.replaceWith(n);});
                  document.body.classList.remove('stale');
                }).catch(function(){document.body.classList.add('stale');})
                  .finally(function(){setTimeout(tick,2000);});
              }
              setTimeout(tick,2000);
            })();
            """;

    /**
     * @param csrf  the CSRF token for the action form, or null when the page is read-only (no forms)
     * @param nonce this response's script/style nonce (its Content-Security-Policy names it)
     */
    static String html(String lb, List<WorkerStatus> workers, String csrf, long nowMillis, String nonce) {
        StringBuilder sb = new StringBuilder(8192)
                .append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<title>jvmroute \u00b7 ").append(escape(lb)).append("</title>")
                .append("<style nonce=\"").append(nonce).append("\">").append(STYLE).append("</style></head><body>")
                .append("<header><h1>jvmroute \u00b7 lb ").append(escape(lb)).append("</h1>");
        summary(sb, workers, nowMillis);
        if (csrf != null) {
            sb.append("<form id=\"admin\" method=\"post\" action=\"action\">")
                    .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(csrf).append("\">")
                    .append("<input type=\"password\" name=\"token\" placeholder=\"admin token\" aria-label=\"admin token\""
                            + " autocomplete=\"current-password\">")
                    .append("<button name=\"action\" value=\"reset\" title=\"counters back to zero\">reset counters</button>")
                    .append("<button name=\"action\" value=\"reload\" title=\"read workers.properties again\">reload</button>")
                    .append("</form>");
        }
        sb.append("<a href=\"status.json\">JSON</a><a href=\"metrics\">metrics</a></header><main>");
        table(sb, workers, csrf != null, nowMillis);
        sb.append("</main><footer>Charts: the last ").append(windowMinutes(workers))
                .append(" minutes, oldest left. Sessions: different session ids whose route names the worker, per minute"
                        + " (estimated; the lighter bar is the current minute). Down reasons in plain words; hover for the"
                        + " raw text.</footer>")
                .append("<script nonce=\"").append(nonce).append("\">").append(SCRIPT).append("</script></body></html>\n");
        return sb.toString();
    }

    private static void summary(StringBuilder sb, List<WorkerStatus> workers, long nowMillis) {
        long up = workers.stream().filter(w -> PlainWords.state(w).equals("up")).count();
        long down = workers.stream().filter(w -> !w.up()).count();
        long draining = workers.stream().filter(w -> PlainWords.state(w).equals("draining")).count();
        long stopped = workers.stream().filter(w -> PlainWords.state(w).equals("stopped")).count();
        sb.append("<span id=\"summary\" data-generated=\"").append(nowMillis).append("\">").append(workers.size())
                .append(workers.size() == 1 ? " worker: " : " workers: ").append(up).append(" up");
        if (down > 0) {
            sb.append(", <b class=\"alarm\">").append(down).append(" down</b>");
        }
        if (draining > 0) {
            sb.append(", ").append(draining).append(" draining");
        }
        if (stopped > 0) {
            sb.append(", ").append(stopped).append(" stopped");
        }
        sb.append("</span>");
    }

    private static void table(StringBuilder sb, List<WorkerStatus> workers, boolean actions, long nowMillis) {
        sb.append("<table id=\"workers\" class=\"").append(actions ? "rw" : "ro").append("\"><colgroup>"
                        + "<col class=\"c-worker\"><col class=\"c-state\"><col class=\"c-traffic\"><col class=\"c-errors\">"
                        + "<col class=\"c-sessions\"><col class=\"c-latency\"><col class=\"c-health\"><col class=\"c-source\">")
                .append(actions ? "<col class=\"c-action\">" : "").append("</colgroup><thead><tr>")
                .append("<th>worker</th><th>state</th><th>requests/s</th><th>errors</th><th>sessions</th>"
                        + "<th>latency</th><th>health check</th><th>source</th>")
                .append(actions ? "<th>action</th>" : "").append("</tr></thead><tbody>");
        for (WorkerStatus w : workers) {
            row(sb, w, actions, nowMillis);
        }
        sb.append("</tbody></table>");
    }

    private static void row(StringBuilder sb, WorkerStatus w, boolean actions, long nowMillis) {
        String state = PlainWords.state(w);
        WorkerTrend t = w.trend();
        sb.append("<tr class=\"is-").append(state).append("\" data-worker=\"").append(escape(w.name())).append("\">");
        // worker
        sb.append("<td><b>").append(escape(w.name())).append("</b>");
        if (!w.route().equals(w.name())) {
            sb.append("<span class=\"sub\">route ").append(escape(w.route())).append("</span>");
        }
        if (!w.domain().isEmpty()) {
            sb.append("<span class=\"sub\">domain ").append(escape(w.domain())).append("</span>");
        }
        sb.append("<span class=\"sub\">").append(escape(w.address())).append(' ').append(w.protocol()).append("</span></td>");
        // state
        sb.append("<td class=\"state\"><span class=\"pill ").append(state).append("\" title=\"")
                .append(escape(w.lastCheck())).append("\">").append(escape(PlainWords.stateText(w))).append("</span>");
        if (!w.up()) {
            sb.append("<span class=\"sub\">for ").append(span(Math.max(0, nowMillis - w.upSinceMillis()))).append("</span>");
        } else if (!w.activation().equals("active")) {
            sb.append("<span class=\"sub\">").append(state).append(" for ")
                    .append(span(Math.max(0, nowMillis - w.activationSinceMillis()))).append("</span>");
        }
        if (state.equals("draining")) {
            long[] perMinute = t.sessionsPerMinute();
            long now = perMinute.length == 0 ? 0 : perMinute[perMinute.length - 1];
            sb.append("<span class=\"sub\">").append(now == 0 ? "no session has asked for it this minute"
                    : count(now) + (now == 1 ? " session" : " sessions") + " still asking this minute").append("</span>");
        }
        sb.append("<span class=\"sub\">").append(w.inFlight()).append(" in flight \u00b7 ").append(w.connections())
                .append(" conn.");
        if (w.tcpConnections() > 0) {
            sb.append(" \u00b7 ").append(w.tcpConnections()).append(" TCP relayed");
        }
        sb.append("</span></td>");
        // requests/s
        sb.append("<td><span class=\"num\"><b>").append(rate(t.requestsPerSecondNow())).append("</b> req/s</span>")
                .append("<span class=\"sub num\">").append(count(w.requests())).append(" since start \u00b7 ")
                .append(PlainWords.bytes(w.bytesOut())).append(" out</span>")
                .append(Charts.traffic(t.requests(), t.errors(), "requests (blue) and errors (red) per "
                        + t.slotSeconds() + " s, last " + t.windowMinutes() + " min"))
                .append("</td>");
        // errors
        long recentErrors = t.errorsInWindow();
        sb.append("<td class=\"num\"><b").append(recentErrors > 0 ? " class=\"bad\"" : "").append(">")
                .append(count(recentErrors)).append("</b> in ").append(t.windowMinutes()).append(" min")
                .append("<span class=\"sub\">total ").append(count(w.errors())).append("</span>")
                .append("<span class=\"sub\" title=\"requests for its sessions served elsewhere\">moved ")
                .append(count(w.failovers())).append("</span></td>");
        // sessions
        sb.append("<td><span class=\"num\"><b>").append(t.sessionsAtLeast() ? "\u2265 " : "\u2248 ")
                .append(count(t.sessions())).append("</b> in ").append(t.sessionsPerMinute().length).append(" min</span>")
                .append("<span class=\"sub num\">").append(rate(t.stickyPerSecondNow())).append(" sticky req/s</span>")
                .append(Charts.bars(t.sessionsPerMinute(), "different sessions per minute, last "
                        + t.sessionsPerMinute().length + " min"))
                .append("</td>");
        // latency
        sb.append("<td class=\"num lat\">p50 ").append(PlainWords.millis(w.p50Millis())).append("<br>p99 ")
                .append(PlainWords.millis(w.p99Millis())).append("</td>");
        // health check
        sb.append("<td title=\"").append(escape(w.lastCheck())).append("\">").append(ago(w.lastCheckMillis(), nowMillis))
                .append("<span class=\"sub\">").append(escape(w.up() || w.lastCheckMillis() == 0 ? w.lastCheck()
                        : PlainWords.why(w.lastCheck()))).append("</span></td>");
        // source
        sb.append("<td><span class=\"sub\">").append(escape(w.source())).append("</span></td>");
        if (actions) {
            sb.append("<td>");
            String name = escape(w.name());
            if (!w.activation().equals("active")) {
                button(sb, "activate", name, "take new sessions again");
            }
            if (!w.activation().equals("disabled")) {
                button(sb, "disable", name, "drain: no new sessions, its own sessions stay");
            }
            if (!w.activation().equals("stopped")) {
                button(sb, "stop", name, "no requests at all: its sessions fail over");
            }
            sb.append("</td>");
        }
        sb.append("</tr>");
    }

    /** A button of the header's form ({@code form="admin"}): {@code action=ACTION:WORKER}. */
    private static void button(StringBuilder sb, String action, String escapedWorker, String title) {
        sb.append("<button form=\"admin\" name=\"action\" value=\"").append(action).append(':').append(escapedWorker)
                .append("\" title=\"").append(title).append("\">").append(action.equals("disable") ? "drain" : action)
                .append("</button>");
    }

    private static int windowMinutes(List<WorkerStatus> workers) {
        return workers.isEmpty() ? 5 : Math.max(1, workers.get(0).trend().windowMinutes());
    }
}
