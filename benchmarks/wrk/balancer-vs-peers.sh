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
. "$ROOT/benchmarks/wrk/rounds.sh" # PIDS (stopped on exit), need, then warm_up, measure_rounds, report
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
pid_of() { case $1 in haproxy) echo "${HAPROXY_PID:-}";; nginx) echo "${NGINX_PID:-}";; jvmroute) echo "${JVMROUTE_PID:-}";; esac; }
warm_up
measure_rounds
report jvmroute haproxy nginx direct
