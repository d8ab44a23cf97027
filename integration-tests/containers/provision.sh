#!/usr/bin/env bash
# Provisions what the deployment tier (integration-tests, package io.jvmroute.deploy) needs on a machine
# that has no Docker of its own and reaches no image registry: Debian's docker.io, a dockerd started in
# the background with its own data/exec roots, and a base image built with debootstrap and `docker import`ed.
# Every step is skipped when its result is already there, so a second run takes a second or two.
# The node, Apache + mod_jk and HAProxy images are built FROM that base by the tier itself (Docker's
# layer cache keeps them), so the same tier runs on a developer's own Docker with a public base image:
#   ./mvnw verify -pl integration-tests -am -Djvmroute.containers.base=debian:bookworm-slim
#
# Usage: integration-tests/containers/provision.sh        (as root; CI calls it from .ci/run)
# Environment: JVMROUTE_DOCKER_DIR (default /var/lib/jvmroute-docker): dockerd's data, exec root, pid, log.
set -euo pipefail

DOCKER_DIR=${JVMROUTE_DOCKER_DIR:-/var/lib/jvmroute-docker}
BASE_IMAGE=jvmroute/base:bookworm
# The base image's recipe: changing any of these changes the hash, and only then is the image rebuilt.
BASE_SUITE=bookworm
BASE_OPTIONS=(--variant=minbase --include=ca-certificates)
BASE_MIRROR=http://deb.debian.org/debian
RECIPE_HASH=$(printf '%s\n' "$BASE_SUITE" "${BASE_OPTIONS[@]}" "$BASE_MIRROR" import-v1 | sha256sum | cut -c1-12)

say() { printf 'provision: %s\n' "$*"; }
seconds() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(seconds)" 'BEGIN { printf "%.1f s", b - a }'; }

start=$(seconds)

install_packages() {
    local missing=()
    command -v dockerd >/dev/null || missing+=(docker.io)
    command -v iptables >/dev/null || missing+=(iptables)
    command -v debootstrap >/dev/null || missing+=(debootstrap)
    command -v nsenter >/dev/null || missing+=(util-linux)
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing ${missing[*]}"
    local t; t=$(seconds)
    # Other jobs on the machine may hold the dpkg lock for a while: wait for it rather than fail.
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
    say "packages installed in $(elapsed "$t")"
}

start_engine() {
    if docker info >/dev/null 2>&1; then
        say "a Docker engine already answers: using it"
        return 0
    fi
    install_packages
    mkdir -p "$DOCKER_DIR"
    if [ -f "$DOCKER_DIR/dockerd.pid" ] && kill -0 "$(cat "$DOCKER_DIR/dockerd.pid")" 2>/dev/null; then
        say "dockerd $(cat "$DOCKER_DIR/dockerd.pid") is running but does not answer yet"
    else
        rm -f "$DOCKER_DIR/dockerd.pid"
        local t; t=$(seconds)
        # setsid: the engine outlives this script and the build that called it, like a system service.
        setsid dockerd --data-root "$DOCKER_DIR/data" --exec-root "$DOCKER_DIR/exec" \
            -H unix:///var/run/docker.sock --pidfile "$DOCKER_DIR/dockerd.pid" \
            >"$DOCKER_DIR/dockerd.log" 2>&1 </dev/null &
        say "started dockerd (log: $DOCKER_DIR/dockerd.log)"
    fi
    for _ in $(seq 1 300); do
        docker info >/dev/null 2>&1 && { say "engine ready"; return 0; }
        sleep 0.1
    done
    say "dockerd did not answer within 30 s; its log ends with:"
    tail -20 "$DOCKER_DIR/dockerd.log" >&2
    exit 1
}

build_base_image() {
    local have
    have=$(docker image inspect -f '{{index .Config.Labels "io.jvmroute.recipe"}}' "$BASE_IMAGE" 2>/dev/null || true)
    if [ "$have" = "$RECIPE_HASH" ]; then
        say "base image $BASE_IMAGE is current (recipe $RECIPE_HASH)"
        return 0
    fi
    install_packages
    local t; t=$(seconds)
    local root; root=$(mktemp -d /var/tmp/jvmroute-base.XXXXXX)
    trap 'rm -rf "$root"' RETURN
    say "building $BASE_IMAGE: debootstrap ${BASE_OPTIONS[*]} $BASE_SUITE (recipe $RECIPE_HASH)"
    debootstrap "${BASE_OPTIONS[@]}" "$BASE_SUITE" "$root" "$BASE_MIRROR" >"$root.log" 2>&1 || {
        say "debootstrap failed:"; tail -20 "$root.log" >&2; exit 1; }
    rm -f "$root.log"
    tar -C "$root" -c . | docker import \
        -c "LABEL io.jvmroute.recipe=$RECIPE_HASH" -c 'ENV LANG=C.UTF-8' -c 'CMD ["/bin/bash"]' \
        - "$BASE_IMAGE" >/dev/null
    say "base image built in $(elapsed "$t")"
}

start_engine
build_base_image
say "done in $(elapsed "$start")"
