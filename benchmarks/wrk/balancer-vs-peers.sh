#!/usr/bin/env bash
# wrk through jvmroute's balancer, HAProxy and nginx (Debian's packages) in front of the same two real
# Tomcat nodes, in one run, interleaved rounds; prints req/s and p50/p99 per proxy and the ratios.
# Everything listens on 127.0.0.x and stops when the script ends. Not part of the tests (needs quiet cores).
#
#   benchmarks/wrk/balancer-vs-peers.sh [ROUNDS] [SECONDS] [CONNECTIONS]
#
# COOKIE='JSESSIONID=<id>.jvm2' sends that cookie with every request, so every proxy routes by the session
# route (sticky) instead of round robin. ACCESS_LOG=1 gives all three proxies an access log (to a file in the work folder); by default none logs,
# so that the proxying itself is compared. WARMUP=seconds per target before measuring (default 12).
# Besides req/s and latency it prints each proxy's CPU per request (user + system, read from /proc), the
# figure that decides throughput when, as here, clients, proxy and Tomcat share two cores.
set -euo pipefail
ROUNDS=${1:-3}
DURATION=${2:-10}
CONNECTIONS=${3:-32}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/jvmroute-bench.XXXXXX)
NODE_PORT=18080
PATH_UNDER_TEST=/demo/whoami.jsp
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT

need() { command -v "$1" >/dev/null 2>&1; }
if ! need wrk || ! need haproxy || ! need nginx; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk haproxy nginx-light >/dev/null
fi

cd "$ROOT"
./mvnw -B -q -DskipTests package -pl integration-tests,balancer -am
TOMCAT_HOME=$(ls -d integration-tests/target/tomcat-dist/apache-tomcat-11.* | head -1)
BALANCER_JAR=$(ls balancer/target/jvmroute-*.jar 2>/dev/null | grep -v -e sources -e original | head -1 || true)

# Two Tomcat nodes: jvm1 on 127.0.0.11, jvm2 on 127.0.0.12.
java -cp integration-tests/target/classes io.jvmroute.harness.NodesMain "$TOMCAT_HOME" \
    integration-tests/src/main/demo-webapp "$WORK/nodes" 2 "$NODE_PORT" > "$WORK/nodes.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 600); do [ "$(grep -c '^READY' "$WORK/nodes.log" || true)" -ge 2 ] && break; sleep 0.1; done
grep -c '^READY' "$WORK/nodes.log" | grep -q 2 || { cat "$WORK/nodes.log"; exit 1; }

cat > "$WORK/haproxy.cfg" <<CFG
global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    option http-keep-alive
    http-reuse always
$( [ "${ACCESS_LOG:-0}" = 1 ] && printf '    log stdout format raw local0\n    option httplog\n' )
frontend fe
    bind 127.0.0.2:18081
    default_backend tomcats
backend tomcats
    balance roundrobin
    use-server %[req.cook(JSESSIONID),field(2,.)] if { req.cook(JSESSIONID),field(2,.) -m found }
    server jvm1 127.0.0.11:$NODE_PORT
    server jvm2 127.0.0.12:$NODE_PORT
CFG
haproxy -f "$WORK/haproxy.cfg" -db > "$WORK/haproxy.log" 2>&1 &
PIDS+=($!)
HAPROXY_PID=$!

cat > "$WORK/nginx.conf" <<CFG
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
    access_log $( [ "${ACCESS_LOG:-0}" = 1 ] && echo "$WORK/nginx-access.log" || echo off );
    upstream tomcats { server 127.0.0.11:$NODE_PORT; server 127.0.0.12:$NODE_PORT; keepalive 64; }
    server {
        listen 127.0.0.3:18082;
        location / { proxy_pass http://tomcats; proxy_http_version 1.1; proxy_set_header Connection ""; }
    }
}
CFG
nginx -c "$WORK/nginx.conf" -g 'daemon off;' &
PIDS+=($!)
NGINX_PID=$!

TARGETS=("direct=http://127.0.0.11:$NODE_PORT" "haproxy=http://127.0.0.2:18081" "nginx=http://127.0.0.3:18082")
if [ -n "$BALANCER_JAR" ]; then
    LOGBACK=()
    if [ "${ACCESS_LOG:-0}" != 1 ]; then
        unzip -p "$BALANCER_JAR" logback.xml \
            | sed 's/name="io.jvmroute.balancer.access" level="INFO"/name="io.jvmroute.balancer.access" level="OFF"/' \
            > "$WORK/logback.xml"
        LOGBACK=(-Dlogback.configurationFile="$WORK/logback.xml")
    fi
    java -Xmx256m "${LOGBACK[@]}" -jar "$BALANCER_JAR" balancer --listen 127.0.0.4:18083 \
        --worker jvm1=127.0.0.11:$NODE_PORT --worker jvm2=127.0.0.12:$NODE_PORT > "$WORK/balancer.log" 2>&1 &
    PIDS+=($!)
    JVMROUTE_PID=$!
    TARGETS+=("jvmroute=http://127.0.0.4:18083")
else
    echo "no balancer/target/jvmroute-*.jar: measuring the peers only" >&2
fi

HEADER=()
[ -n "${COOKIE:-}" ] && HEADER=(-H "Cookie: $COOKIE")
for target in "${TARGETS[@]}"; do  # every proxy answers before anything is measured
    url=${target#*=}
    for _ in $(seq 1 300); do curl -fs -o /dev/null "$url$PATH_UNDER_TEST" && break; sleep 0.1; done
    # warm-up: pools filled and, for the JVMs (Tomcat, jvmroute), the hot paths compiled by C2 (2 s left the
    # balancer measured half-interpreted in its first round)
    wrk -t2 -c"$CONNECTIONS" -d"${WARMUP:-12}s" "${HEADER[@]}" "$url$PATH_UNDER_TEST" > /dev/null
done

# CPU ticks (user system) of a proxy: the process and its children (nginx's worker).
ticks() {
    for p in "$1" $(pgrep -P "$1"); do awk '{print $14, $15}' "/proc/$p/stat" 2>/dev/null; done | awk '{u+=$1; s+=$2} END {print u+0, s+0}'
}
pid_of() { case $1 in haproxy) echo "${HAPROXY_PID:-}";; nginx) echo "${NGINX_PID:-}";; jvmroute) echo "${JVMROUTE_PID:-}";; esac; }

for round in $(seq 1 "$ROUNDS"); do
    for target in "${TARGETS[@]}"; do
        name=${target%%=*}; url=${target#*=}; pid=$(pid_of "$name")
        before=$([ -n "$pid" ] && ticks "$pid" || echo "0 0")
        wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "${HEADER[@]}" "$url$PATH_UNDER_TEST" > "$WORK/$name.$round.txt"
        after=$([ -n "$pid" ] && ticks "$pid" || echo "0 0")
        echo "$before $after $(getconf CLK_TCK)" > "$WORK/$name.$round.cpu"
    done
done

python3 - "$WORK" "$ROUNDS" "${TARGETS[@]%%=*}" <<'PY'
import re, statistics, sys
work, rounds, names = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
results = {}
for name in names:
    rps, p50, p99, errors, cpu = [], [], [], 0, []
    for r in range(1, rounds + 1):
        out = open(f"{work}/{name}.{r}.txt").read()
        rps.append(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)))
        requests = int(re.search(r"(\d+) requests in", out).group(1))
        u0, s0, u1, s1, hz = map(int, open(f"{work}/{name}.{r}.cpu").read().split())
        cpu.append(((u1 - u0) + (s1 - s0)) / hz * 1e6 / max(requests, 1))
        p50.append(ms(re.search(r"\s50%\s+(\S+)", out).group(1)))
        p99.append(ms(re.search(r"\s99%\s+(\S+)", out).group(1)))
        m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        errors += int(m.group(1)) if m else 0
    results[name] = (statistics.median(rps), statistics.median(p50), statistics.median(p99), errors, statistics.median(cpu))
print(f"{'target':10} {'req/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'non-2xx':>7} {'proxy CPU us/req':>17}   medians of {rounds} rounds")
for name, (rps, p50, p99, errors, cpu) in results.items():
    print(f"{name:10} {rps:9.0f} {p50:7.2f} {p99:7.2f} {errors:7d} {cpu:17.1f}")
if "jvmroute" in results:
    j = results["jvmroute"]
    for peer in ("haproxy", "nginx", "direct"):
        p = results[peer]
        cpu = f", CPU per request {j[4] / p[4]:.2f}x" if p[4] > 0 else ""
        print(f"jvmroute / {peer}: req/s {j[0] / p[0]:.2f}x, p50 {j[1] / p[1]:.2f}x, p99 {j[2] / p[2]:.2f}x{cpu}")
PY
