#!/usr/bin/env bash
# First wrk comparison of the jvmroute balancer with HAProxy and nginx (Debian's packages), same run,
# same two backends. Everything listens on 127.0.0.x and is stopped on exit.
#
#   balancer/bench/bench.sh              # build the jar first: ./mvnw -B -pl balancer -am package -DskipTests
#   DURATION=10s ROUNDS=3 CONNECTIONS=32 balancer/bench/bench.sh
#
# Backends: two nginx servers answering a small static body on 127.0.0.11:8081 and 127.0.0.12:8081 (fast,
# so the proxies' own cost shows). Proxies on port 8080: jvmroute 127.0.0.2, HAProxy 127.0.0.3, nginx
# 127.0.0.4 (upstream keepalive). Sessionless GET; rounds are interleaved; prints req/s and p50/p99 per
# proxy and the ratios to the direct run.
set -euo pipefail

DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-1}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
HERE=$(cd "$(dirname "$0")" && pwd)
JAR=${JAR:-$(ls "$HERE"/../target/balancer-*-all.jar 2>/dev/null | head -1)}
WORK=$(mktemp -d /tmp/jvmroute-bench.XXXXXX)
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

need() {
  if ! command -v "$1" >/dev/null; then
    echo "installing $2 (Debian package)"
    if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq "$2" >/dev/null
    else sudo apt-get update -qq && sudo apt-get install -y -qq "$2" >/dev/null; fi
  fi
}
need wrk wrk
need haproxy haproxy
need nginx nginx
[ -f "$JAR" ] || { echo "no balancer jar: run ./mvnw -B -pl balancer -am package -DskipTests" >&2; exit 1; }

mkdir -p "$WORK"/{b1,b2,nx}
backend_conf() { # $1 name, $2 address
  cat <<CONF
worker_processes 1; pid $WORK/$1/pid; error_log $WORK/$1/error.log; daemon off;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 100000;
  server { listen $2:8081; location / { default_type text/plain; return 200 "$1 says hello\n"; } } }
CONF
}
backend_conf b1 127.0.0.11 > "$WORK/b1/nginx.conf"
backend_conf b2 127.0.0.12 > "$WORK/b2/nginx.conf"
nginx -c "$WORK/b1/nginx.conf" -p "$WORK/b1" & PIDS+=($!)
nginx -c "$WORK/b2/nginx.conf" -p "$WORK/b2" & PIDS+=($!)

cat > "$WORK/workers.properties" <<CONF
worker.list=wlb
worker.wlb.type=lb
worker.wlb.balance_workers=jvm1,jvm2
worker.jvm1.type=http
worker.jvm1.host=127.0.0.11
worker.jvm1.port=8081
worker.jvm2.type=http
worker.jvm2.host=127.0.0.12
worker.jvm2.port=8081
balancer.listen=127.0.0.2:8080
balancer.admin.listen=127.0.0.2:8082
CONF
cat > "$WORK/logback.xml" <<CONF
<configuration><appender name="F" class="ch.qos.logback.core.FileAppender"><file>$WORK/jvmroute-app.log</file>
<encoder><pattern>%msg%n</pattern></encoder></appender>
<logger name="io.jvmroute.balancer.access" level="OFF"/><root level="INFO"><appender-ref ref="F"/></root></configuration>
CONF

java -Dlogback.configurationFile="$WORK/logback.xml" -jar "$JAR" balancer "$WORK/workers.properties" --threads 1 \
  > "$WORK/jvmroute.log" 2>&1 & PIDS+=($!)
cat > "$WORK/haproxy.cfg" <<CONF
global
  maxconn 4096
  nbthread 1
defaults
  mode http
  timeout connect 1s
  timeout client 60s
  timeout server 60s
  option http-keep-alive
frontend fe
  bind 127.0.0.3:8080
  default_backend be
backend be
  balance roundrobin
  cookie JSESSIONID prefix nocache
  http-reuse safe
  server jvm1 127.0.0.11:8081 check inter 1s
  server jvm2 127.0.0.12:8081 check inter 1s
CONF
haproxy -f "$WORK/haproxy.cfg" -db > "$WORK/haproxy.log" 2>&1 & PIDS+=($!)

cat > "$WORK/nx/nginx.conf" <<CONF
worker_processes 1; pid $WORK/nx/pid; error_log $WORK/nx/error.log; daemon off;
events { worker_connections 4096; }
http { access_log off;
  upstream tomcats { server 127.0.0.11:8081; server 127.0.0.12:8081; keepalive 64; }
  server { listen 127.0.0.4:8080;
    location / { proxy_pass http://tomcats; proxy_http_version 1.1; proxy_set_header Connection ""; } } }
CONF
nginx -c "$WORK/nx/nginx.conf" -p "$WORK/nx" & PIDS+=($!)

for url in http://127.0.0.11:8081/ http://127.0.0.2:8080/ http://127.0.0.3:8080/ http://127.0.0.4:8080/; do
  for _ in $(seq 1 100); do curl -fs -o /dev/null "$url" && break; sleep 0.1; done
  curl -fs -o /dev/null "$url" || { echo "not answering: $url" >&2; exit 1; }
done
# warm the JIT before measuring
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s http://127.0.0.2:8080/ > /dev/null

declare -A RPS P50 P99
run() { # $1 label, $2 url
  local out; out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$2")
  RPS[$1]+="$(echo "$out" | awk '/Requests\/sec/ {print $2}') "
  P50[$1]+="$(echo "$out" | awk '$1=="50%" {print $2}') "
  P99[$1]+="$(echo "$out" | awk '$1=="99%" {print $2}') "
}
for round in $(seq 1 "$ROUNDS"); do
  run direct  http://127.0.0.11:8081/
  run jvmroute http://127.0.0.2:8080/
  run haproxy http://127.0.0.3:8080/
  run nginx   http://127.0.0.4:8080/
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; printf "%.2f", v}'; }
direct=$(echo "${RPS[direct]}" | median)
printf "%-9s %10s %8s %9s %9s\n" proxy req/s ratio p50_ms p99_ms
for p in direct jvmroute haproxy nginx; do
  r=$(echo "${RPS[$p]}" | median)
  p50=$(for v in ${P50[$p]}; do echo "$v" | to_ms; echo; done | median)
  p99=$(for v in ${P99[$p]}; do echo "$v" | to_ms; echo; done | median)
  printf "%-9s %10s %8.2f %9s %9s\n" "$p" "$r" "$(echo "$r $direct" | awk '{print $1/$2}')" "$p50" "$p99"
done
