#!/usr/bin/env bash
# One command runs the main job on an embedded local stack:
#   scripts/demo.sh [IMAGES_DIR] [--out DIR] [--web-port PORT] [--timeout SECONDS] [--registry]
#                   [job options]
# Builds what it needs, starts a real in-process KRaft Kafka broker and a local Flink cluster
# (MiniCluster, 2 TaskManagers x 2 slots, web UI), runs the edge job, pushes the sample images
# (or IMAGES_DIR), reads the results into ./out (maps, stats, index.html), prints a summary
# table and exits, leaving no process behind (everything runs inside this one JVM).
# --registry also starts a schema registry (an Apicurio Registry process on a free loopback port,
# needs a Java 21+: EDGESTREAM_REGISTRY_JAVA_HOME, java on PATH, or the newest under /usr/lib/jvm)
# and runs producer, job (wire.format=registry) and consumer in the registry framing; the registry
# is stopped by its PID at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

command -v java >/dev/null || { echo "demo.sh: java (17+) is required" >&2; exit 1; }
command -v mvn >/dev/null || { echo "demo.sh: Maven (3.8+) is required" >&2; exit 1; }

cp_file="$root/demo/target/demo.classpath"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
echo "== building (first run downloads dependencies) ..." >&2
# One reactor build writes demo/target/demo.classpath next to the modules' jars: nothing is
# installed into the local Maven repository.
if ! mvn -B -q -ntp package -DskipTests -Dspotless.check.skip -pl demo -am >"$log" 2>&1; then
  cat "$log" >&2
  echo "demo.sh: the build failed (Maven log above)" >&2
  exit 1
fi

# shellcheck disable=SC2086
exec java ${JAVA_OPTS:--Xmx2g} --add-modules jdk.incubator.vector \
  -Dlog4j2.configurationFile="$root/demo/src/main/resources/demo-log4j2.properties" \
  -cp "$root/demo/target/classes:$(cat "$cp_file")" \
  io.edgestream.demo.LocalDemo "$@"
