#!/usr/bin/env bash
# Runs every test of jvmroute: the whole build against Tomcat 11.0.21, then the Tomcat-side modules again
# against Tomcat 10.1.49 (the versions jvmroute supports). Needs only a JDK 17+; ./mvnw fetches Maven.
set -euo pipefail
cd "$(dirname "$0")"
./mvnw -B verify "$@"
