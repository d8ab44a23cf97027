#!/usr/bin/env bash
# wrk through jvmroute's balancer speaking AJP13 to the nodes, the same balancer speaking HTTP to them, and
# Apache httpd + mod_jk (Debian's packages) speaking AJP13, in front of the same two real Tomcat nodes (each
# with an HTTP and an AJP/1.3 connector with a secret), in one run, interleaved rounds; prints req/s and
# p50/p99 per target and the ratios. Everything listens on 127.0.0.x and stops when the script ends. Not part
# of the tests (needs quiet cores). Structure and output as balancer-vs-peers.sh.
#
#   benchmarks/wrk/ajp-vs-http-vs-modjk.sh [ROUNDS] [SECONDS] [CONNECTIONS]
#
# COOKIE='JSESSIONID=<id>.jvm2' sends that cookie with every request (sticky routing on every target).
# WARMUP=seconds per target before measuring (default 12). No target writes an access log.
set -euo pipefail
ROUNDS=${1:-3}
DURATION=${2:-10}
CONNECTIONS=${3:-32}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/jvmroute-bench-ajp.XXXXXX)
chmod 755 "$WORK"
NODE_PORT=18080
AJP_PORT=18009
SECRET=bench-secret-$RANDOM$RANDOM
PATH_UNDER_TEST=/demo/whoami.jsp
. "$ROOT/benchmarks/wrk/rounds.sh" # PIDS (stopped on exit), need, then warm_up, measure_rounds, report
if ! need wrk || ! need apache2 || [ ! -f /usr/lib/apache2/modules/mod_jk.so ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk apache2 libapache2-mod-jk >/dev/null
fi

cd "$ROOT"
./mvnw -B -q -DskipTests package -pl integration-tests,balancer -am
TOMCAT_HOME=$(ls -d integration-tests/target/tomcat-dist/apache-tomcat-11.* | head -1)
BALANCER_JAR=$(ls balancer/target/jvmroute-*.jar | grep -v -e sources -e original | head -1)

# Two Tomcat nodes: jvm1 on 127.0.0.11, jvm2 on 127.0.0.12, HTTP on $NODE_PORT and AJP on $AJP_PORT.
java -cp integration-tests/target/classes io.jvmroute.harness.NodesMain "$TOMCAT_HOME" \
    integration-tests/src/main/demo-webapp "$WORK/nodes" 2 "$NODE_PORT" "$AJP_PORT" "$SECRET" > "$WORK/nodes.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 600); do [ "$(grep -c '^READY' "$WORK/nodes.log" || true)" -ge 2 ] && break; sleep 0.1; done
grep -c '^READY' "$WORK/nodes.log" | grep -q 2 || { cat "$WORK/nodes.log"; exit 1; }

# The classic mod_jk file, for Apache and (unchanged) for jvmroute over AJP13.
cat > "$WORK/workers-ajp.properties" <<CFG
worker.list=wlb,jk-status
worker.jvm1.type=ajp13
worker.jvm1.host=127.0.0.11
worker.jvm1.port=$AJP_PORT
worker.jvm1.secret=$SECRET
worker.jvm1.lbfactor=1
worker.jvm2.type=ajp13
worker.jvm2.host=127.0.0.12
worker.jvm2.port=$AJP_PORT
worker.jvm2.secret=$SECRET
worker.jvm2.lbfactor=1
worker.wlb.type=lb
worker.wlb.balance_workers=jvm1,jvm2
worker.wlb.sticky_session=1
worker.jk-status.type=status
worker.jk-status.read_only=TRUE
CFG
sed -e "s/type=ajp13/type=http/" -e "s/port=$AJP_PORT/port=$NODE_PORT/" "$WORK/workers-ajp.properties" > "$WORK/workers-http.properties"

# Apache httpd + mod_jk: event MPM, Debian's defaults otherwise, no access log.
cat > "$WORK/httpd.conf" <<CFG
ServerRoot /etc/apache2
ServerName 127.0.0.5
PidFile $WORK/httpd.pid
Listen 127.0.0.5:18084
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule jk_module /usr/lib/apache2/modules/mod_jk.so
User www-data
Group www-data
ErrorLog $WORK/httpd-error.log
LogLevel warn
JkWorkersFile $WORK/workers-ajp.properties
JkShmFile $WORK/jk.shm
JkLogFile $WORK/mod_jk.log
JkLogLevel error
JkMount /demo/* wlb
CFG
touch "$WORK/jk.shm" "$WORK/mod_jk.log"; chown www-data "$WORK/jk.shm" "$WORK/mod_jk.log" 2>/dev/null || true
apache2 -f "$WORK/httpd.conf" -DFOREGROUND > "$WORK/httpd.out" 2>&1 &
PIDS+=($!)
APACHE_PID=$!

LOGBACK="$WORK/logback.xml"
unzip -p "$BALANCER_JAR" logback.xml \
    | sed 's/name="io.jvmroute.balancer.access" level="INFO"/name="io.jvmroute.balancer.access" level="OFF"/' > "$LOGBACK"
java -Xmx256m -Dlogback.configurationFile="$LOGBACK" -jar "$BALANCER_JAR" balancer --listen 127.0.0.4:18083 \
    --admin-listen 127.0.0.4:18093 "$WORK/workers-ajp.properties" > "$WORK/balancer-ajp.log" 2>&1 &
PIDS+=($!)
AJP_PID=$!
java -Xmx256m -Dlogback.configurationFile="$LOGBACK" -jar "$BALANCER_JAR" balancer --listen 127.0.0.6:18085 \
    --admin-listen 127.0.0.6:18095 "$WORK/workers-http.properties" > "$WORK/balancer-http.log" 2>&1 &
PIDS+=($!)
HTTP_PID=$!

TARGETS=("direct=http://127.0.0.11:$NODE_PORT" "jvmroute-ajp=http://127.0.0.4:18083" "jvmroute-http=http://127.0.0.6:18085"
         "modjk=http://127.0.0.5:18084")

HEADER=()
[ -n "${COOKIE:-}" ] && HEADER=(-H "Cookie: $COOKIE")
pid_of() { case $1 in modjk) echo "${APACHE_PID:-}";; jvmroute-ajp) echo "$AJP_PID";; jvmroute-http) echo "$HTTP_PID";; esac; }
warm_up
measure_rounds
report jvmroute-ajp jvmroute-http modjk direct
