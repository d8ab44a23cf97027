#!/usr/bin/env bash
# Every benchmark in one run, then benchmarks/RESULTS.md from what they wrote (the tables and charts in
# benchmarks/results/). Holds /tmp/bench.lock while it measures, so that other benchmark runs on the machine wait.
#
#   benchmarks/run-all.sh                      # the full configuration (each script's defaults; ~1.5 h on 2 cores)
#   QUICK=1 benchmarks/run-all.sh              # every script once, briefly: checks them, figures mean nothing
#   ONLY="balancer failover" benchmarks/run-all.sh
#
# Each script takes its own settings from the environment (see its header); RESULTS.md records them as run.
set -euo pipefail
if [ -z "${BENCH_LOCKED:-}" ] && command -v flock >/dev/null; then
    export BENCH_LOCKED=1
    exec flock -o /tmp/bench.lock "$0" "$@"
fi
BENCH_NAME=run-all
source "$(dirname "$0")/lib/common.sh"
ONLY=${ONLY:-balancer failover replication jmh state-transfer}
mkdir -p "$RESULTS"
export RESULTS
started="$(date -u +%Y-%m-%dT%H:%M:%SZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
log "building once for every script"
(cd "$ROOT" && ./mvnw -B -q -Pbench -DskipTests package -pl integration-tests,balancer,benchmarks -am)
export SKIP_BUILD=1
: > "$RESULTS/commands.txt"
for b in $ONLY; do
    settings=$(env | grep -E '^(QUICK|ROUNDS|DURATION|WARMUP|WORKLOADS|CONNS|TARGETS|PATHS|MODES|RACE_ROUNDS|RACE_MODES|USERS|POLL_MS|BEFORE|AFTER|BALANCERS|SESSIONS|HEAP|TIMEOUT|JMH_ARGS|BENCHMARKS|ACCESS_LOG)=' | sort | tr '\n' ' ' || true)
    echo "${settings}benchmarks/$b.sh" >> "$RESULTS/commands.txt"
    log "=== $b ==="
    "$BENCH_DIR/$b.sh" || { log "$b failed; going on with the others"; echo "# (failed)" >> "$RESULTS/commands.txt"; }
done
python3 "$BENCH_DIR/lib/machine.py" "$RESULTS" "$started" > "$RESULTS/machine.md"
python3 "$BENCH_DIR/lib/assemble.py" "$BENCH_DIR" "$RESULTS"
log "done: $BENCH_DIR/RESULTS.md"
