#!/usr/bin/env bash
# Runs every test of jvmroute: the whole build against Tomcat 11.0.21, then the modules that run inside or
# against Tomcat again against Tomcat 10.1.49 (both versions are supported). Needs only a JDK 17+;
# ./mvnw fetches Maven, the Tomcat distributions come from Maven Central.
set -euo pipefail
cd "$(dirname "$0")"
TOMCAT_SIDE=valve,tribes-replication,integration-tests
./mvnw -B verify "$@"
./mvnw -B verify -Ptomcat10 -pl "$TOMCAT_SIDE" -am "$@"
