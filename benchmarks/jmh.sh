#!/usr/bin/env bash
# Benchmark 5: the hot paths, with JMH 1.37 (one JVM fork per benchmark unless said otherwise):
# route extraction from a Cookie header (RouteLookupBenchmark), the valve's cost per request through Tomcat's
# pipeline with and without it (ValvePipelineBenchmark), the compact delta codec against Java serialization
# (DeltaCodecBenchmark). With -prof gc: bytes allocated per operation. Writes results/jmh.md and results/jmh.json.
#
#   benchmarks/jmh.sh                # each benchmark's own settings (2 forks, 3 x 2 s warm-up, 5 x 2 s measured)
#   QUICK=1 benchmarks/jmh.sh        # 1 fork, 1 x 1 s warm-up, 2 x 1 s measured: checks the script
#   JMH_ARGS="-f 1 -wi 2 -i 3" benchmarks/jmh.sh
set -euo pipefail
BENCH_NAME=jmh
source "$(dirname "$0")/lib/common.sh"
if [ "$QUICK" = 1 ]; then : "${JMH_ARGS:=-f 1 -wi 1 -w 1s -i 2 -r 1s}"; fi
JMH_ARGS=${JMH_ARGS:-}
BENCHMARKS=${BENCHMARKS:-RouteLookupBenchmark ValvePipelineBenchmark DeltaCodecBenchmark}
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    log "building the JMH jar (./mvnw -Pbench package -pl benchmarks -am)"
    (cd "$ROOT" && ./mvnw -B -q -Pbench -DskipTests package -pl benchmarks -am)
fi
make_work
mkdir -p "$RESULTS"
pattern=$(echo "$BENCHMARKS" | tr ' ' '|')
log "running $BENCHMARKS ${JMH_ARGS:+with $JMH_ARGS} (JMH prints its own progress and ETA)"
# shellcheck disable=SC2086
java -jar "$BENCH_DIR/target/benchmarks.jar" "($pattern)" $JMH_ARGS -prof gc -rf json -rff "$WORK/jmh.json" 2> "$WORK/jmh-stderr.log" \
    | grep --line-buffered -E '^# (Run progress|Benchmark:|Parameters)|^Benchmark|^[a-z.]*[A-Z][A-Za-z]+Benchmark\.[A-Za-z]+ ' >&2
cp "$WORK/jmh.json" "$RESULTS/jmh.json"
settings=${JMH_ARGS:-the settings in each benchmark class}
python3 "$BENCH_DIR/lib/report.py" jmh "$RESULTS" "JMH 1.37, $settings, -prof gc"
log "done: $RESULTS/jmh.md"
