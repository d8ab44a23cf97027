#!/usr/bin/env bash
# Benchmark 2: what replication costs. wrk on a session-writing servlet direct to node 1 of 2 (each node its own
# JVM, 512 MB, 127.0.0.11/12): no cluster, stock DeltaManager async (channelSendOptions=8, Tomcat's default) and
# sync (6), RouteCluster replicating all sessions or logins only, plaintext and mutual TLS; and per mode the logins
# lost when the node dies right after answering 200 of them. Rounds interleaved. Writes results/replication.md,
# results/replication.jsonl and results/replication.svg.
#
#   benchmarks/replication.sh          # 3 rounds, 10 s per run, /touch, every mode
#   QUICK=1 benchmarks/replication.sh  # 1 round, 2 s: checks the script
#   ROUNDS=3 DURATION=10 PATHS="touch login" MODES=none,stock8,... RACE_ROUNDS=3 benchmarks/replication.sh
set -euo pipefail
BENCH_NAME=replication
source "$(dirname "$0")/lib/common.sh"
if [ "$QUICK" = 1 ]; then : "${ROUNDS:=1}" "${DURATION:=2}" "${RACE_ROUNDS:=1}"; fi
ROUNDS=${ROUNDS:-3}; DURATION=${DURATION:-10}; RACE_ROUNDS=${RACE_ROUNDS:-$ROUNDS}
PATHS=${PATHS-touch}
MODES=${MODES:-none,stock8,stock6,route,routelogin,routetls,routetlslogin}
RACE_MODES=${RACE_MODES:-$(echo "$MODES" | sed 's/\(^\|,\)none\(,\|$\)/\1/; s/^,//')}
need_apt wrk:wrk gnuplot:gnuplot-nox
make_work
RAW=$WORK/raw.jsonl
tests=()
for p in $PATHS; do
    case $p in
        touch) tests+=(ReplicationBenchmark#sessionWritingRequestsPerSecond) ;;
        login) tests+=(ReplicationBenchmark#loginRequestsPerSecond) ;;
        *) die "unknown path $p (expected: touch login)" ;;
    esac
done
n_modes=$(echo "$MODES" | tr ',' '\n' | grep -c .)
n_race=$(echo "$RACE_MODES" | tr ',' '\n' | grep -c .)
if [ ${#tests[@]} -gt 0 ]; then # PATHS="" measures the login race alone
    log "throughput: ${#tests[@]} path(s) x $n_modes modes x $ROUNDS rounds, ${DURATION}s each"
    run_java_bench $(( ${#tests[@]} * n_modes * ROUNDS )) $((DURATION + 20)) -Dtest="$(IFS=+; echo "${tests[*]}" | sed 's/+ReplicationBenchmark#/+/g')" \
        -Dbench.seconds="$DURATION" -Dbench.rounds="$ROUNDS" -Dbench.modes="$MODES" -Dbench.out="$RAW"
fi
if [ "$RACE_ROUNDS" -gt 0 ]; then # RACE_ROUNDS=0 skips the race
    log "login race: $n_race modes x $RACE_ROUNDS rounds"
    run_java_bench $(( n_race * RACE_ROUNDS )) 25 -Dtest=LoginRaceBenchmark -Dbench.rounds="$RACE_ROUNDS" \
        -Dbench.modes="$RACE_MODES" -Dbench.out="$RAW"
fi
mkdir -p "$RESULTS"
cp "$RAW" "$RESULTS/replication.jsonl"
python3 "$BENCH_DIR/lib/report.py" replication "$RESULTS" \
    "rounds=$ROUNDS duration=${DURATION}s paths=[$PATHS] race rounds=$RACE_ROUNDS, wrk -t2 -c32 direct to node 1"
log "done: $RESULTS/replication.md"
