#!/usr/bin/env bash
# Where jvmroute's balancer spends its CPU on one workload: the balancer in front of the same two Tomcat nodes as
# balancer.sh, under wrk, with Java Flight Recorder on (profile settings); then the hottest methods (own time) and
# the share of samples per code area, and the process's user and kernel CPU per request. Writes
# results/profile-<workload>-<connections>.md. Used to explain, in RESULTS.md, where jvmroute loses.
#
#   WORKLOAD=get CONNS=256 DURATION=20 benchmarks/profile-balancer.sh
set -euo pipefail
BENCH_NAME=profile
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/proxies.sh"
WORKLOAD=${WORKLOAD:-get}; CONNS=${CONNS:-256}; DURATION=${DURATION:-20}
[ "$QUICK" = 1 ] && DURATION=3
need_proxies
build_once
make_work
make_webapp
start_nodes 2 --ajp "$AJP_SECRET"
JVMROUTE_JVM_OPTS="-XX:StartFlightRecording=name=bench,settings=profile" start_jvmroute
await_ok "${PROXY_URL[jvmroute]}/demo/tiny.jsp"
case $WORKLOAD in
    get) path=/demo/tiny.jsp; body=0 ;;
    post) path=/demo/upload.jsp; body=16384 ;;
    download) path=/demo/1m.bin; body=0 ;;
    *) die "WORKLOAD: get, post or download" ;;
esac
log "warm-up 10 s, then ${DURATION}s of $WORKLOAD at $CONNS connections with JFR on"
WRK_BODY=$body wrk -t2 -c"$CONNS" -d10s -s "$BENCH_DIR/lib/wrk-report.lua" "${PROXY_URL[jvmroute]}$path" > /dev/null
pid=${PROXY_PID[jvmroute]}
read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$pid/stat")
jcmd "$pid" JFR.start name=measured settings=profile > /dev/null
result=$(WRK_BODY=$body wrk -t2 -c"$CONNS" -d"${DURATION}s" -s "$BENCH_DIR/lib/wrk-report.lua" "${PROXY_URL[jvmroute]}$path" | sed -n 's/^RESULT //p')
jcmd "$pid" JFR.dump name=measured filename="$WORK/measured.jfr" > /dev/null
read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$pid/stat")
jfr print --json --events jdk.ExecutionSample "$WORK/measured.jfr" > "$WORK/samples.json"
mkdir -p "$RESULTS"
python3 "$BENCH_DIR/lib/profile_report.py" "$WORK/samples.json" "$result" "$((u1 - u0))" "$((s1 - s0))" "$(getconf CLK_TCK)" \
    "$WORKLOAD" "$CONNS" "$DURATION" > "$RESULTS/profile-$WORKLOAD-$CONNS.md"
log "done: $RESULTS/profile-$WORKLOAD-$CONNS.md"
