#!/usr/bin/env bash
# Benchmark 4: state transfer. Node 1 holds N sessions of ~2 KiB; node 2 starts next to it; the time until node 2
# holds them all (its JVM start included) and node 2's peak heap, for RouteCluster and stock DeltaManager (async,
# Tomcat's default). Both nodes embedded Tomcat 11 in JVMs of their own with the same heap. Writes
# results/state.md, results/state.jsonl and results/state.svg.
#
#   benchmarks/state-transfer.sh           # 0 (start alone) / 1 000 / 10 000 / 50 000 / 100 000 sessions, 3 rounds, 1 GB heaps
#   QUICK=1 benchmarks/state-transfer.sh   # 1 000 and 10 000, 1 round
#   SESSIONS=1000,10000,50000,100000 ROUNDS=3 HEAP=1g MODES=route,stock8 TIMEOUT=180 benchmarks/state-transfer.sh
set -euo pipefail
BENCH_NAME=state-transfer
source "$(dirname "$0")/lib/common.sh"
if [ "$QUICK" = 1 ]; then : "${ROUNDS:=1}" "${SESSIONS:=1000,10000}"; fi
ROUNDS=${ROUNDS:-3}; SESSIONS=${SESSIONS:-0,1000,10000,50000,100000}; HEAP=${HEAP:-1g}; MODES=${MODES:-route,stock8}
TIMEOUT=${TIMEOUT:-180}
need_apt gnuplot:gnuplot-nox
make_work
RAW=$WORK/raw.jsonl
runs=$(( ROUNDS * $(echo "$SESSIONS" | tr ',' '\n' | grep -c .) * $(echo "$MODES" | tr ',' '\n' | grep -c .) ))
log "$runs runs: sessions [$SESSIONS] x modes [$MODES] x $ROUNDS rounds, heaps $HEAP, at most ${TIMEOUT}s each"
run_java_bench "$runs" 60 -Dtest=StateTransferBenchmark -Dbench.rounds="$ROUNDS" -Dbench.sessions="$SESSIONS" \
    -Dbench.modes="$MODES" -Dbench.heap="$HEAP" -Dbench.transferTimeout="$TIMEOUT" -Dbench.out="$RAW"
mkdir -p "$RESULTS"
cp "$RAW" "$RESULTS/state.jsonl"
python3 "$BENCH_DIR/lib/report.py" state "$RESULTS" "rounds=$ROUNDS heap=$HEAP (both nodes) timeout=${TIMEOUT}s"
log "done: $RESULTS/state.md"
