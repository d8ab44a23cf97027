#!/usr/bin/env bash
# Benchmark 1: the balancer against the peers. wrk through each target in front of the same two Tomcat nodes
# (127.0.0.11/.12), interleaved rounds; req/s, p50/p99/p99.9, each proxy's CPU seconds per 100 000 requests and
# its resident memory. Writes results/balancer.md, results/balancer.tsv and the charts results/balancer-*.svg.
#
#   benchmarks/balancer.sh                 # 3 rounds x 10 s per cell, every workload, 32 and 256 connections
#   QUICK=1 benchmarks/balancer.sh         # 1 round x 2 s: checks the script, figures mean nothing
#   ROUNDS=3 DURATION=10 WARMUP=3 WORKLOADS="get sticky post download" CONNS="32 256" \
#   TARGETS="direct jvmroute jvmroute-ajp haproxy nginx modjk" benchmarks/balancer.sh
#   (jvmroute-ajp: the balancer speaking AJP13 to the nodes from mod_jk's workers.properties; jvmroute-pool: bigger pools)
#
# Run it under `flock -o /tmp/bench.lock` on a shared machine. Needs root or sudo for apt when a tool is missing.
set -euo pipefail
BENCH_NAME=balancer
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/proxies.sh"
if [ "$QUICK" = 1 ]; then : "${ROUNDS:=1}" "${DURATION:=2}" "${WARMUP:=1}"; fi
ROUNDS=${ROUNDS:-3}; DURATION=${DURATION:-10}; WARMUP=${WARMUP:-3}
WORKLOADS=${WORKLOADS:-get sticky post download}
CONNS=${CONNS:-32 256}
TARGETS=${TARGETS:-direct jvmroute jvmroute-ajp haproxy nginx modjk}

need_proxies
need_apt gnuplot:gnuplot-nox
build_once
make_work
make_webapp
log "starting 2 Tomcat $TOMCAT_VERSION nodes"
start_nodes 2 --ajp "$AJP_SECRET"
for t in $TARGETS; do start_target "$t"; done
for t in $TARGETS; do await_ok "${PROXY_URL[$t]}/demo/tiny.jsp"; done

# One logged-in session on jvm1; workload (b) sends its cookie with every request, so every sticky proxy sends
# them all to jvm1 (nginx, without sticky routing, still round-robins).
COOKIE=$(curl -fs -D - -o /dev/null -d user=bench "http://${NODE_ADDR[jvm1]}/demo/login.jsp" \
    | tr -d '\r' | sed -n 's/^Set-Cookie: \(JSESSIONID=[^;]*\).*/\1/Ip' | head -1)
[[ $COOKIE == *.jvm1 ]] || die "login on jvm1 gave no session cookie with its route: '$COOKIE'"

workload() { # sets PATH_OF, BODY, CK for a workload name
    BODY=0; CK=""
    case $1 in
        get) PATH_OF=/demo/tiny.jsp ;;
        sticky) PATH_OF=/demo/session.jsp; CK=$COOKIE ;;
        post) PATH_OF=/demo/upload.jsp; BODY=16384 ;;
        download) PATH_OF=/demo/1m.bin ;;
        *) die "unknown workload $1 (expected: get sticky post download)" ;;
    esac
}
run_wrk() { # url seconds connections -> RESULT json line
    WRK_BODY=$BODY WRK_COOKIE=$CK wrk -t2 -c"$3" -d"${2}s" --timeout 10s -s "$BENCH_DIR/lib/wrk-report.lua" "$1" \
        | sed -n 's/^RESULT //p'
}

set -- $TARGETS; n_targets=$#
set -- $WORKLOADS; n_work=$#
set -- $CONNS; n_conns=$#
cells=$((ROUNDS * n_work * n_conns * n_targets)); done_cells=0
log "warm-up: ${WARMUP}s per target and workload (JIT, connection pools)"
for t in $TARGETS; do for w in $WORKLOADS; do
    workload "$w"; run_wrk "${PROXY_URL[$t]}$PATH_OF" "$WARMUP" 32 > /dev/null
done; done

RAW=$WORK/cells.jsonl
hz=$(getconf CLK_TCK)
for round in $(seq 1 "$ROUNDS"); do
    for w in $WORKLOADS; do
        workload "$w"
        for c in $CONNS; do
            for t in $TARGETS; do
                log "round $round/$ROUNDS $w c=$c -> $t ($(time_left $done_cells $cells $((DURATION + 1))))"
                pid=${PROXY_PID[$t]}
                before=$([ -n "$pid" ] && cpu_ticks "$pid" || echo 0)
                result=$(run_wrk "${PROXY_URL[$t]}$PATH_OF" "$DURATION" "$c")
                [ -n "$result" ] || die "wrk gave no result for $t $w"
                after=$([ -n "$pid" ] && cpu_ticks "$pid" || echo 0)
                rss=$([ -n "$pid" ] && rss_kib "$pid" || echo 0)
                printf '{"round": %d, "workload": "%s", "conns": %d, "target": "%s", "cpu_s": %s, "rss_kib": %d, "wrk": %s}\n' \
                    "$round" "$w" "$c" "$t" "$(awk -v a="$before" -v b="$after" -v hz="$hz" 'BEGIN {print (b - a) / hz}')" \
                    "$rss" "$result" >> "$RAW"
                done_cells=$((done_cells + 1))
            done
        done
    done
done
mkdir -p "$RESULTS"
cp "$RAW" "$RESULTS/balancer.jsonl"
python3 "$BENCH_DIR/lib/report.py" balancer "$RESULTS" \
    "rounds=$ROUNDS duration=${DURATION}s warmup=${WARMUP}s workloads=[$WORKLOADS] connections=[$CONNS]"
log "done: $RESULTS/balancer.md"
