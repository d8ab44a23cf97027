#!/usr/bin/env bash
# Runs every test of jvmroute: the whole build against Tomcat 11.0.21, then the modules that run inside or
# against Tomcat again against Tomcat 10.1.49 (both versions are supported). Needs a JDK 17+ and, for the
# deployment tier (real Tomcat distributions in containers behind jvmroute, Apache + mod_jk and HAProxy), a
# Docker engine: integration-tests/containers/provision.sh sets one up (CI's .ci/run calls it).
# JVMROUTE_SKIP_CONTAINERS=1 leaves that tier out (and the summary says so).
set -euo pipefail
cd "$(dirname "$0")"
TOMCAT_SIDE=valve,tribes-replication,integration-tests

tier=()
if [ "${JVMROUTE_SKIP_CONTAINERS:-0}" = 1 ]; then
    tier=(-DskipContainers)
elif ! docker info >/dev/null 2>&1; then
    echo "test.sh: no Docker engine for the deployment tier: run 'sudo integration-tests/containers/provision.sh' (installs docker.io, starts dockerd), or start your own Docker (then add -Djvmroute.containers.base=debian:bookworm-slim), or set JVMROUTE_SKIP_CONTAINERS=1 to skip the tier" >&2
    exit 1
fi

summary() {
    if [ ${#tier[@]} -gt 0 ]; then
        echo "THE DEPLOYMENT SCENARIOS WERE NOT RUN (JVMROUTE_SKIP_CONTAINERS=1): nothing here shows jvmroute on separate hosts, behind Apache + mod_jk or HAProxy, or under real faults"
    else
        integration-tests/containers/matrix.sh
    fi
}
rm -f integration-tests/target/deploy-summary-*.tsv
trap summary EXIT

./mvnw -B verify "${tier[@]}" "$@"
./mvnw -B verify -Ptomcat10 -pl "$TOMCAT_SIDE" -am "${tier[@]}" "$@"
