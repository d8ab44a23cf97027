#!/usr/bin/env python3
"""Turns a benchmark's raw results (JSON lines the scripts wrote) into its Markdown tables and gnuplot charts.

    report.py balancer|replication|failover|state RESULTS_DIR "configuration text"

Every figure in results/*.md comes from here; nothing is typed by hand. Medians with min-max over rounds.
"""
import json
import os
import statistics
import subprocess
import sys

LIB = os.path.dirname(os.path.abspath(__file__))


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def med(values):
    return statistics.median(values) if values else float("nan")


def span(values, fmt):
    """'median (min–max)' of a list, formatted."""
    if not values:
        return "–"
    if len(values) == 1:
        return fmt.format(values[0])
    return f"{fmt.format(med(values))} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def ratio(a, b):
    return f"{a / b:.2f}×" if b else "–"


def gnuplot(script, **variables):
    args = ["gnuplot"]
    for name, value in variables.items():  # gnuplot double-quoted strings: the values may hold single quotes
        escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
        args += ["-e", f'{name}="{escaped}"']
    subprocess.run(args + [os.path.join(LIB, script)], check=True)


TARGET_NAMES = {"direct": "direct to one node", "jvmroute": "jvmroute", "haproxy": "HAProxy", "nginx": "nginx",
                "modjk": "Apache httpd + mod_jk", "jvmroute-ajp": "jvmroute (AJP)",
                "jvmroute-pool": "jvmroute, pool.max_connections=1024, pool.max_idle=512"}
WORKLOAD_NAMES = {"get": "(a) sessionless GET, tiny JSP", "sticky": "(b) sticky GET with a session cookie",
                  "post": "(c) POST, 16 KiB body", "download": "(d) 1 MiB download"}
PEERS = ["haproxy", "nginx", "modjk", "direct"]


def balancer(results, config):
    cells = load(os.path.join(results, "balancer.jsonl"))
    order_w = list(dict.fromkeys(c["workload"] for c in cells))
    order_c = list(dict.fromkeys(c["conns"] for c in cells))
    order_t = list(dict.fromkeys(c["target"] for c in cells))
    rounds = max(c["round"] for c in cells)
    stats = {}
    for c in cells:
        w = c["wrk"]
        secs = w["duration_us"] / 1e6
        s = stats.setdefault((c["workload"], c["conns"], c["target"]), {k: [] for k in
                             ("rps", "p50", "p99", "p999", "cpu", "rss", "errors")})
        s["rps"].append(w["requests"] / secs)
        s["p50"].append(w["p50_us"] / 1000)
        s["p99"].append(w["p99_us"] / 1000)
        s["p999"].append(w["p999_us"] / 1000)
        s["errors"].append(w["socket_errors"] + w["non2xx"])
        if c["target"] != "direct":
            s["cpu"].append(c["cpu_s"] * 100000 / max(w["requests"], 1))
            s["rss"].append(c["rss_kib"] / 1024)
    out = [f"Configuration: {config}; medians of {rounds} interleaved round(s), min–max in brackets. "
           "Latencies in ms. CPU: the proxy's user + system seconds per 100 000 requests (with its worker "
           "processes); RSS: its resident memory after the cell, MiB. Errors: socket errors + non-2xx over all rounds.\n"]
    ratios = []
    for wl in order_w:
        for conns in order_c:
            out.append(f"\n#### {WORKLOAD_NAMES.get(wl, wl)}, {conns} connections\n")
            out.append("| target | req/s | p50 | p99 | p99.9 | CPU s / 100k req | RSS MiB | errors |")
            out.append("|---|---|---|---|---|---|---|---|")
            for t in order_t:
                s = stats.get((wl, conns, t))
                if not s:
                    continue
                name = f"**{TARGET_NAMES.get(t, t)}**" if t.startswith("jvmroute") else TARGET_NAMES.get(t, t)
                out.append(f"| {name} | {span(s['rps'], '{:,.0f}')} | {span(s['p50'], '{:.2f}')} | "
                           f"{span(s['p99'], '{:.2f}')} | {span(s['p999'], '{:.2f}')} | {span(s['cpu'], '{:.2f}')} | "
                           f"{span(s['rss'], '{:.0f}')} | {sum(s['errors'])} |")
            j = stats.get((wl, conns, "jvmroute"))
            if j:
                for peer in PEERS:
                    p = stats.get((wl, conns, peer))
                    if p:
                        ratios.append((wl, conns, peer, med(j["rps"]) / med(p["rps"]), med(j["p99"]) / med(p["p99"]),
                                       med(j["cpu"]) / med(p["cpu"]) if p["cpu"] else None))
    if ratios:
        out.append("\n#### jvmroute against each peer (medians; req/s above 1 and p99 and CPU below 1 favour jvmroute)\n")
        out.append("| workload | connections | against | req/s | p99 | CPU per request |")
        out.append("|---|---|---|---|---|---|")
        for wl, conns, peer, r_rps, r_p99, r_cpu in ratios:
            out.append(f"| {wl} | {conns} | {TARGET_NAMES.get(peer, peer)} | {r_rps:.2f}× | {r_p99:.2f}× | "
                       + (f"{r_cpu:.2f}× |" if r_cpu else "– |"))
    # Charts: one cluster per workload and connection count, one bar per target.
    def table(metric, fmt, name):
        path = os.path.join(results, name)
        with open(path, "w") as f:
            f.write("cell " + " ".join(order_t) + "\n")
            for wl in order_w:
                for conns in order_c:
                    f.write(f"{wl}/{conns} " + " ".join(fmt.format(med(stats[(wl, conns, t)][metric]))
                                                        if (wl, conns, t) in stats else "NaN" for t in order_t) + "\n")
        return path

    dat = table("rps", "{:.0f}", "balancer.dat")
    lat = table("p99", "{:.3f}", "balancer-p99.dat")
    ntargets = len(order_t)
    gnuplot("bars.gp", data=dat, out=os.path.join(results, "balancer-rps.svg"), n=ntargets,
            ylabel="requests per second (median)", title="Balancer: req/s per workload/connections", logscale="0")
    gnuplot("bars.gp", data=lat, out=os.path.join(results, "balancer-p99.svg"), n=ntargets,
            ylabel="p99 latency, ms (median, log scale)", title="Balancer: p99 latency per workload/connections",
            logscale="1")
    out.append("\n![req/s](results/balancer-rps.svg)\n\n![p99](results/balancer-p99.svg)\n")
    write(results, "balancer", out)


MODE_NAMES = {"none": "no cluster", "stock8": "DeltaManager async (channelSendOptions=8, Tomcat's default)",
              "stock6": "DeltaManager sync (channelSendOptions=6)", "route": "RouteCluster, all sessions",
              "routelogin": "RouteCluster, logins only", "routetls": "RouteCluster, all sessions, mutual TLS",
              "routetlslogin": "RouteCluster, logins only, mutual TLS"}


def replication(results, config):
    rows = load(os.path.join(results, "replication.jsonl"))
    runs = [r for r in rows if r["bench"] == "replication"]
    races = [r for r in rows if r["bench"] == "race"]
    out = [f"Configuration: {config}. Medians of the rounds, min–max in brackets; CPU: µs per request of node 1 "
           "(serving) + node 2 (the peer), read from the OS; lost logins: summed over the race rounds.\n"]
    lost = {}
    for r in races:
        lost.setdefault(r["mode"], []).append(r["lost"])
    chart = []
    for path in dict.fromkeys(r["path"] for r in runs):
        by_mode = {}
        for r in (r for r in runs if r["path"] == path):
            by_mode.setdefault(r["mode"], []).append(r)
        base = med([r["rps"] for r in by_mode.get("none", [])]) if "none" in by_mode else None
        out.append(f"\n#### `{path}`\n")
        out.append("| mode | req/s | × no cluster | p99 ms | CPU µs/req node 1 + node 2 | logins lost of 200 per race |")
        out.append("|---|---|---|---|---|---|")
        for mode, rs in by_mode.items():
            rps = [r["rps"] for r in rs]
            rel = f"{med(rps) / base:.2f}" if base else "–"
            race = lost.get(mode)
            race_text = "n/a (nothing replicated)" if mode == "none" else (
                f"{sum(race)} in {len(race)} race(s) (per race {min(race)}–{max(race)})" if race else "–")
            out.append(f"| {MODE_NAMES.get(mode, mode)} | {span(rps, '{:,.0f}')} | {rel} | "
                       f"{span([r['p99_ms'] for r in rs], '{:.2f}')} | {med([r['cpu1_us'] for r in rs]):.1f} + "
                       f"{med([r['cpu2_us'] for r in rs]):.1f} | {race_text} |")
            chart.append((f"{path} {mode}", med(rps), min(rps), max(rps)))
    dat = os.path.join(results, "replication.dat")
    with open(dat, "w") as f:
        for label, m, lo, hi in chart:
            f.write(f'"{label}" {m:.0f} {lo:.0f} {hi:.0f}\n')
    gnuplot("errorbars.gp", data=dat, out=os.path.join(results, "replication.svg"),
            ylabel="requests per second (median, min–max)", title="Replication cost: session-writing requests per mode")
    out.append("\n![replication](results/replication.svg)\n")
    write(results, "replication", out)


def state(results, config):
    rows = load(os.path.join(results, "state.jsonl"))
    out = [f"Configuration: {config}. Time: from launching the joining node's JVM until it holds every session "
           "(JVM and Tomcat start included: the 0-session row is that start alone); medians of the rounds, min–max in brackets. Peak heap: the joining "
           "node's heap pools' peak use, MiB.\n",
           "| sessions | manager | time s | peak heap MiB | complete |", "|---|---|---|---|---|"]
    groups = {}
    for r in rows:
        groups.setdefault((r["sessions"], r["mode"]), []).append(r)
    series = {}
    for (n, mode), rs in sorted(groups.items()):
        complete = sum(1 for r in rs if r["complete"])
        held = ", ".join(str(r["held"]) for r in rs if not r["complete"])
        out.append(f"| {n:,} | {MODE_NAMES.get(mode, mode)} | {span([r['time_ms'] / 1000 for r in rs], '{:.1f}')} | "
                   f"{span([float(r['peak_heap_mib']) for r in rs], '{:.0f}')} | {complete} of {len(rs)}"
                   + (f" (held: {held})" if held else "") + " |")
        series.setdefault(mode, []).append((n, med([r["time_ms"] / 1000 for r in rs]), complete == len(rs)))
    files = []
    for mode, points in series.items():
        dat = os.path.join(results, f"state-{mode}.dat")
        with open(dat, "w") as f:
            for n, t, ok in points:
                f.write(f"{n} {t:.2f} {1 if ok else 0}\n")
        files.append((dat, MODE_NAMES.get(mode, mode)))
    plot = ", ".join(f'"{d}" using 1:2 with linespoints lw 2 pt 7 title "{t}"' for d, t in files)
    gnuplot("lines.gp", out=os.path.join(results, "state.svg"), plot=plot, xlabel="sessions of ~2 KiB",
            ylabel="seconds until the joining node holds them all (median)", title="State transfer to a restarted node")
    out.append("\n![state transfer](results/state.svg)\n")
    write(results, "state", out)


HEALTH = {"jvmroute": "defaults: GET every 1 s, out after 2 failures (timeout 500 ms); a refused or reset connection "
                        "is retried on another node at once",
          "haproxy": "`check inter 2s fall 3 rise 2`, `option httpchk`, `option redispatch`, `retries 3`",
          "modjk": "mod_jk defaults: no ping_mode; a refused connection puts the worker in error and the request "
                   "goes to another (retries 2, recover_time 60 s)"}


def failover(results, config):
    rows = load(os.path.join(results, "failover.jsonl"))
    users = [r for r in rows if r["bench"] == "failover"]
    out = [f"Configuration: {config}. Gap: per user of the killed node, the last success before the kill to the "
           "first success after it (ms; median, min–max over those users in all rounds). Failed: requests not "
           "answered as the logged-in user (errors, non-200, logged out), all users, all rounds.\n",
           "| balancer | health checks | users of the killed node | gap ms | failed requests | of requests |",
           "|---|---|---|---|---|---|"]
    order = list(dict.fromkeys(r["balancer"] for r in users))
    for b in order:
        rs = [r for r in users if r["balancer"] == b]
        gaps = [r["gap_ms"] for r in rs if r["affected"] and r["gap_ms"] >= 0]
        never = sum(1 for r in rs if r["affected"] and r["gap_ms"] < 0)
        rounds = len({r["round"] for r in rs})
        out.append(f"| {TARGET_NAMES.get(b, b)} | {HEALTH.get(b, '')} | {sum(1 for r in rs if r['affected'])} in "
                   f"{rounds} round(s){f', {never} never served again' if never else ''} | {span(gaps, '{:.0f}')} | "
                   f"{sum(r['failed'] for r in rs)} | {sum(r['requests'] for r in rs)} |")
    # Timeline of round 1: per balancer, the slowest answer to the killed node's users in each 50 ms slot.
    files = []
    for b in order:
        slots = {}
        failed = []
        for r in rows:
            if r["bench"] == "timeline" and r["balancer"] == b and r["round"] == 1 and -1000 <= r["t_ms"] <= 3000:
                slot = int(r["t_ms"] // 50) * 50
                slots[slot] = max(slots.get(slot, 0), r["latency_ms"])
                if not r["ok"]:
                    failed.append((r["t_ms"], r["latency_ms"]))
        dat = os.path.join(results, f"failover-{b}.dat")
        with open(dat, "w") as f:
            for slot in sorted(slots):
                f.write(f"{slot} {max(slots[slot], 0.1):.2f}\n")
        files.append((dat, TARGET_NAMES.get(b, b), "linespoints lw 2 pt 7 ps 0.5"))
        if failed:
            fdat = os.path.join(results, f"failover-{b}-failed.dat")
            with open(fdat, "w") as f:
                for t, lat in failed:
                    f.write(f"{t:.1f} {max(lat, 0.1):.2f}\n")
            files.append((fdat, f"{TARGET_NAMES.get(b, b)}: failed request", "points pt 2 ps 1.2"))
    plot = ", ".join(f'"{d}" using 1:2 with {style} title "{t}"' for d, t, style in files)
    gnuplot("timeline.gp", out=os.path.join(results, "failover.svg"), plot=plot,
            title="Failover: slowest answer per 50 ms to the users of the killed node (round 1; kill -9 at 0)")
    out.append("\n![failover timeline](results/failover.svg)\n")
    write(results, "failover", out)


def jmh(results, config):
    with open(os.path.join(results, "jmh.json")) as f:
        runs = json.load(f)
    out = [f"Configuration: {config}. Score: mean time per operation with its 99.9 % confidence interval; "
           "allocation: bytes per operation (gc profiler).\n",
           "| benchmark | parameters | ns/op | ± | bytes allocated/op |", "|---|---|---|---|---|"]
    scores, errors, allocs = {}, {}, {}
    for r in runs:
        name = ".".join(r["benchmark"].split(".")[-2:])
        params = ", ".join(f"{k}={v}" for k, v in (r.get("params") or {}).items())
        m = r["primaryMetric"]
        alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
        try:
            err = float(m.get("scoreError"))
        except (TypeError, ValueError):
            err = None
        out.append(f"| `{name}` | {params or '–'} | {m['score']:,.1f} | "
                   f"{'–' if err is None or err != err else f'{err:,.1f}'} | "
                   f"{'–' if alloc is None else f'{alloc:,.0f}'} |")
        scores[(name, params)] = m["score"]
        errors[(name, params)] = err or 0.0
        allocs[(name, params)] = alloc
    notes = []
    def get(name, params=""):
        return scores.get((name, params))
    a, b = get("RouteLookupBenchmark.findRoute"), get("RouteLookupBenchmark.naiveSplit")
    if a and b:
        notes.append(f"- Route from a Cookie header: {a:,.1f} ns, {b / a:.1f}× faster than the usual split-and-substring code.")
    a, b = get("ValvePipelineBenchmark.loggedInRequest", "valve=true"), get("ValvePipelineBenchmark.loggedInRequest", "valve=false")
    if a and b:
        ka, kb = ("ValvePipelineBenchmark.loggedInRequest", "valve=true"), ("ValvePipelineBenchmark.loggedInRequest", "valve=false")
        within = a - b < errors[ka] + errors[kb]
        extra = "" if allocs.get(ka) is None or allocs.get(kb) is None else \
            f"; it allocates {allocs[ka] - allocs[kb]:,.0f} more bytes per request"
        notes.append(f"- The valve adds {a - b:,.1f} ns to a logged-in request's trip through Tomcat's pipeline "
                     f"({b:,.1f} → {a:,.1f} ns, {a / b:.2f}×"
                     + ("; the confidence intervals overlap, so the difference is within this run's noise" if within else "")
                     + f"){extra}.")
    for op in ("Write", "Read"):
        a, b = get(f"DeltaCodecBenchmark.compact{op}"), get(f"DeltaCodecBenchmark.stock{op}")
        if a and b:
            notes.append(f"- {op.lower()} a delta: compact {a:,.1f} ns against Java serialization {b:,.1f} ns ({b / a:.1f}× faster).")
    if notes:
        out.append("\n" + "\n".join(notes))
    write(results, "jmh", out)


def write(results, name, lines):
    with open(os.path.join(results, f"{name}.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    kind, results_dir, configuration = sys.argv[1], sys.argv[2], sys.argv[3]
    globals()[kind](results_dir, configuration)
