#!/usr/bin/env bash
# The README's "run the main job": builds what it needs (only a JDK 17+ is required), then starts on this
# machine two Tomcat nodes (three with --nodes 3) as separate processes with the drop-in jar, the demo
# webapp, replication and the valve, and the balancer in front. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")"
echo "Building (first time: a few minutes)…"
./mvnw -B -q -DskipTests package -pl integration-tests -am
IT=integration-tests/target
TOMCAT_HOME=$(ls -d "$IT"/tomcat-dist/apache-tomcat-11.* | head -1)
DROPIN=$(ls "$IT"/dropin/jvmroute-tomcat-*.jar | head -1)
exec java -Xmx256m \
    -Djvmroute.tomcat.home="$TOMCAT_HOME" \
    -Djvmroute.demo.webapp=integration-tests/src/main/demo-webapp \
    -Djvmroute.dropin.jar="$DROPIN" \
    -Djvmroute.work.dir="$IT/demo-work" \
    -cp "$IT/classes:$(cat "$IT/demo-classpath.txt")" \
    io.jvmroute.demo.Demo "$@"
