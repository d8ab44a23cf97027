# Shared by the wrk scripts (sourced first): the processes they start (PIDS) stop when they end; then warm every
# target up, measure interleaved rounds, report medians. warm_up, measure_rounds and report expect ROUNDS, DURATION, CONNECTIONS, WORK, PATH_UNDER_TEST, TARGETS ("name=url" ...), HEADER (wrk flags,
# may be empty) and a function pid_of NAME that prints the proxy's pid (empty for none).

PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT

need() { command -v "$1" >/dev/null 2>&1; }

# CPU ticks (user system) of a proxy: the process and its children (nginx's and Apache's workers).
ticks() {
    for p in "$1" $(pgrep -P "$1"); do awk '{print $14, $15}' "/proc/$p/stat" 2>/dev/null; done | awk '{u+=$1; s+=$2} END {print u+0, s+0}'
}

warm_up() {
    for target in "${TARGETS[@]}"; do  # every target answers before anything is measured
        url=${target#*=}
        for _ in $(seq 1 300); do curl -fs -o /dev/null "$url$PATH_UNDER_TEST" && break; sleep 0.1; done
        # warm-up: pools filled and, for the JVMs (Tomcat, jvmroute), the hot paths compiled by C2 (2 s left the
        # balancer measured half-interpreted in its first round)
        wrk -t2 -c"$CONNECTIONS" -d"${WARMUP:-12}s" "${HEADER[@]}" "$url$PATH_UNDER_TEST" > /dev/null
    done
}

measure_rounds() {
    for round in $(seq 1 "$ROUNDS"); do
        for target in "${TARGETS[@]}"; do
            name=${target%%=*}; url=${target#*=}; pid=$(pid_of "$name")
            before=$([ -n "$pid" ] && ticks "$pid" || echo "0 0")
            wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "${HEADER[@]}" "$url$PATH_UNDER_TEST" > "$WORK/$name.$round.txt"
            after=$([ -n "$pid" ] && ticks "$pid" || echo "0 0")
            echo "$before $after $(getconf CLK_TCK)" > "$WORK/$name.$round.cpu"
        done
    done
}

# report SUBJECT PEER... : the medians of every target, then SUBJECT against each PEER that was measured.
report() {
    python3 "$(dirname "${BASH_SOURCE[0]}")/report.py" "$WORK" "$ROUNDS" "$1" "${*:2}" "${TARGETS[@]%%=*}"
}
