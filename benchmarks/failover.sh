#!/usr/bin/env bash
# Benchmark 3: failover. Two Tomcat nodes replicating logins (RouteCluster over mutual TLS, the valve, as
# `jvmroute gen` writes them; HTTP and AJP connectors) behind one balancer at a time: 20 users log in and poll
# every 50 ms; after BEFORE seconds the node most of them stick to is killed with SIGKILL; per user the gap (last
# success before the kill -> first success after) and the failed requests. jvmroute's balancer, HAProxy and Apache
# httpd + mod_jk, each with the health-check settings lib/proxies.sh states; a fresh cluster for every balancer and
# round. Writes results/failover.md, results/failover.jsonl and the timeline chart results/failover.svg.
#
#   benchmarks/failover.sh            # 3 rounds, 3 s before and 5 s after the kill
#   QUICK=1 benchmarks/failover.sh    # 1 round
#   ROUNDS=3 USERS=20 POLL_MS=50 BEFORE=3 AFTER=5 BALANCERS="jvmroute haproxy modjk" benchmarks/failover.sh
set -euo pipefail
BENCH_NAME=failover
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/proxies.sh"
if [ "$QUICK" = 1 ]; then : "${ROUNDS:=1}"; fi
ROUNDS=${ROUNDS:-3}; USERS=${USERS:-20}; POLL_MS=${POLL_MS:-50}; BEFORE=${BEFORE:-3}; AFTER=${AFTER:-5}
BALANCERS=${BALANCERS:-jvmroute haproxy modjk}
need_proxies
need_apt gnuplot:gnuplot-nox
build_once
if [ "${SKIP_BUILD:-0}" != 1 ]; then (cd "$ROOT" && ./mvnw -B -q -Pbench -DskipTests package -pl benchmarks -am); fi
PROBE_CP=$BENCH_DIR/target/classes
make_work
make_webapp
RAW=$WORK/raw.jsonl
set -- $BALANCERS; total=$((ROUNDS * $#)); k=0
for round in $(seq 1 "$ROUNDS"); do
    for b in $BALANCERS; do
        log "round $round/$ROUNDS $b: starting 2 replicating nodes ($(time_left $k $total $((BEFORE + AFTER + 40))))"
        start_nodes 2 --replicated "$DROPIN" --ajp "$AJP_SECRET"
        start_target "$b"
        await_ok "${PROXY_URL[$b]}/demo/whoami.jsp"
        log "round $round/$ROUNDS $b: $USERS users polling every ${POLL_MS} ms, kill -9 after ${BEFORE}s, ${AFTER}s after"
        java -cp "$PROBE_CP" io.jvmroute.bench.failover.FailoverProbe "${PROXY_URL[$b]}" \
            "jvm1=${NODE_PID[jvm1]},jvm2=${NODE_PID[jvm2]}" "$USERS" "$POLL_MS" "$BEFORE" "$AFTER" "$RAW" "$b" "$round" \
            | while IFS= read -r line; do log "  $line"; done
        stop_started "${PROXY_PID[$b]}"
        stop_nodes
        k=$((k + 1))
    done
done
mkdir -p "$RESULTS"
cp "$RAW" "$RESULTS/failover.jsonl"
python3 "$BENCH_DIR/lib/report.py" failover "$RESULTS" \
    "rounds=$ROUNDS users=$USERS poll=${POLL_MS}ms kill after ${BEFORE}s, ${AFTER}s after"
log "done: $RESULTS/failover.md"
