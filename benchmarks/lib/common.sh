# Shared by the benchmark scripts (sourced, not run): installing what they need, building, starting the Tomcat
# nodes and the proxies on 127.0.0.x, measuring a process's CPU and memory, progress lines. Everything a script
# starts is stopped when it exits.
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
RESULTS=${RESULTS:-$BENCH_DIR/results}
QUICK=${QUICK:-0}
BENCH_NAME=${BENCH_NAME:-bench}
STARTED_PIDS=()

log() { printf '[%s %s] %s\n' "$(date -u +%H:%M:%S)" "$BENCH_NAME" "$*" >&2; }
die() { log "error: $*"; exit 1; }

cleanup_started() {
    local pid
    for pid in "${STARTED_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${STARTED_PIDS[@]}"; do
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    STARTED_PIDS=()
}

# Stops one process this script started (TERM, then KILL after 10 s) and forgets it.
stop_started() {
    local pid=$1 kept=() p
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    for p in "${STARTED_PIDS[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
    STARTED_PIDS=("${kept[@]}")
}

# A folder for this run's files (configs, logs, raw results), removed at exit unless KEEP_WORK=1.
make_work() {
    WORK=$(mktemp -d "/tmp/jvmroute-$BENCH_NAME.XXXXXX")
    chmod 755 "$WORK" # Apache's and nginx's workers run as www-data / nobody
    # Kept when the script fails (the raw results so far, the logs) or when KEEP_WORK=1.
    trap 'rc=$?; cleanup_started; if [ $rc = 0 ] && [ "${KEEP_WORK:-0}" != 1 ]; then rm -rf "$WORK"; else log "kept $WORK"; fi' EXIT
    trap 'exit 130' INT TERM
}

# need_apt COMMAND_OR_FILE:PACKAGE... installs the packages whose command (or file) is missing. Services the
# packages would start are not started (policy-rc.d): nothing listens beyond what a script starts itself.
need_apt() {
    local missing=() pair
    for pair in "$@"; do
        local what=${pair%%:*} pkg=${pair#*:}
        if [[ $what == /* ]]; then [ -e "$what" ] || missing+=("$pkg"); else command -v "$what" >/dev/null 2>&1 || missing+=("$pkg"); fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]} (apt)"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    local policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null && $sudo chmod 755 /usr/sbin/policy-rc.d
        policy=1
    fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    [ -n "$policy" ] && $sudo rm -f /usr/sbin/policy-rc.d
    return 0
}

# Builds the balancer and the test harness (Tomcat 11 comes from Maven Central through the build) unless
# SKIP_BUILD=1, and sets TOMCAT_HOME, DROPIN, NODES_CP, BALANCER_JAR.
build_once() {
    if [ "${SKIP_BUILD:-0}" != 1 ]; then
        log "building balancer and harness (./mvnw package -pl integration-tests,balancer -am)"
        (cd "$ROOT" && ./mvnw -B -q -DskipTests package -pl integration-tests,balancer -am)
    fi
    local it=$ROOT/integration-tests/target
    TOMCAT_HOME=$(ls -d "$it"/tomcat-dist/apache-tomcat-11.* | head -1)
    DROPIN=$(ls "$it"/dropin/jvmroute-tomcat-*.jar | head -1)
    NODES_CP="$it/classes:$(cat "$it/demo-classpath.txt")"
    BALANCER_JAR=$(ls "$ROOT"/balancer/target/jvmroute-*.jar | grep -v -e sources -e original | head -1)
    TOMCAT_VERSION=$(basename "$TOMCAT_HOME" | sed 's/apache-tomcat-//')
}

# The webapp every node serves at /demo: the demo's pages (login, whoami) and the benchmark's (tiny, session,
# upload, a 1 MiB file).
make_webapp() {
    cp -r "$ROOT/integration-tests/src/main/demo-webapp" "$WORK/webapp"
    cp "$BENCH_DIR"/webapp/*.jsp "$WORK/webapp/"
    head -c 1048576 /dev/urandom > "$WORK/webapp/1m.bin"
}

free_port() {
    python3 -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1], 0)); print(s.getsockname()[1]); s.close()' "$1"
}

# start_nodes COUNT [NodesMain options...]: Tomcat nodes jvm1.. on 127.0.0.11.. with C2 and a 512 MB heap. Sets
# NODE_ADDR[route] (host:port), NODE_PID[route], AJP_PORT, NODES_PID. `--ajp "$AJP_SECRET"` adds an AJP/1.3
# connector with that secret on each node (mod_jk and jvmroute's ajp13 workers send it).
declare -A NODE_ADDR NODE_PID
AJP_SECRET=bench-secret-$RANDOM$RANDOM
start_nodes() {
    local count=$1; shift
    : > "$WORK/nodes.log" # exists before the first look at it
    java -Xmx128m -cp "$NODES_CP" io.jvmroute.harness.NodesMain "$TOMCAT_HOME" "$WORK/webapp" "$WORK/nodes" "$count" \
        --heap 512 --jvm -XX:TieredStopAtLevel=4 "$@" > "$WORK/nodes.log" 2>&1 &
    NODES_PID=$!
    STARTED_PIDS+=("$NODES_PID")
    local deadline=$((SECONDS + 240))
    while [ "$(grep -c '^READY' "$WORK/nodes.log")" -lt "$count" ]; do
        kill -0 "$NODES_PID" 2>/dev/null || { cat "$WORK/nodes.log" >&2; die "nodes exited while starting"; }
        [ $SECONDS -lt $deadline ] || { cat "$WORK/nodes.log" >&2; die "nodes not ready within 240 s"; }
        sleep 0.2
    done
    local route addr pid ajp
    while read -r _ route addr pid ajp; do
        NODE_ADDR[$route]=$addr; NODE_PID[$route]=${pid#pid=}; AJP_PORT=${ajp#ajp=}
    done < <(grep '^READY' "$WORK/nodes.log")
}

stop_nodes() {
    kill "$NODES_PID" 2>/dev/null || true
    for _ in $(seq 1 600); do kill -0 "$NODES_PID" 2>/dev/null || break; sleep 0.1; done
    stop_started "$NODES_PID"
    NODE_ADDR=(); NODE_PID=()
}

# Waits until URL answers 200 (bounded).
await_ok() {
    local url=$1 cookie=${2:-}
    for _ in $(seq 1 300); do
        curl -fs -o /dev/null ${cookie:+-H "Cookie: $cookie"} "$url" && return 0
        sleep 0.1
    done
    die "$url does not answer"
}

# CPU ticks (user + system) of a process and its children (nginx's and Apache's workers).
cpu_ticks() {
    local p
    for p in "$1" $(pgrep -P "$1"); do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null; done | awk '{t += $1} END {print t + 0}'
}
# Resident memory in KiB of a process and its children.
rss_kib() {
    local p
    for p in "$1" $(pgrep -P "$1"); do awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null; done | awk '{t += $1} END {print t + 0}'
}

# "N s left" for progress lines, from the cells done, the cells in all, and the seconds one cell takes.
time_left() { echo "$(( ($2 - $1) * $3 ))s left"; }

# run_java_bench RUNS SECONDS_PER_RUN MAVEN_ARGS...: runs benchmark test classes of tribes-replication (behind
# -Dbench) and shows their progress lines with a count and an estimate of the time left.
run_java_bench() {
    local runs=$1 per_run=$2; shift 2
    local k=0 mlog
    mlog=$(mktemp "$WORK/maven.XXXX.log")
    (cd "$ROOT" && ./mvnw -B -pl tribes-replication -am test -Dsurefire.failIfNoSpecifiedTests=false -Dbench=true "$@") \
        > "$mlog" 2>&1 &
    local mvn=$!
    STARTED_PIDS+=("$mvn")
    tail -n +1 -f --pid="$mvn" "$mlog" | while IFS= read -r line; do
        case $line in
            "BENCH progress: "*) k=$((k + 1)); log "${line#BENCH progress: } (run $k/$runs, $(time_left $((k - 1)) "$runs" "$per_run"))" ;;
            "BENCH {"*) log "  ${line#BENCH }" ;;
        esac
    done
    wait "$mvn" || { tail -60 "$mlog" >&2; die "maven run failed (log above)"; }
}
