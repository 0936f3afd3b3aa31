#!/usr/bin/env bash
# One command runs the main job on an embedded local stack:
#   scripts/demo.sh [IMAGES_DIR] [--out DIR] [--web-port PORT] [--timeout SECONDS] [--registry]
#                   [--verbose]
#                   [job options]
# Builds what it needs, starts a real in-process KRaft Kafka broker and a local Flink cluster
# (MiniCluster, 2 TaskManagers x 2 slots, web UI), runs the edge job, pushes the sample images
# (or IMAGES_DIR), reads the results into ./out (maps, stats, index.html), prints a summary
# table and exits, leaving no process behind (everything runs inside this one JVM).
#
# The console shows the demo's progress, summary and errors only. What Flink and Kafka log goes
# to .local/logs/demo.log (under $EDGESTREAM_LOCAL_DIR when set; the path is printed once).
# --verbose also prints the job's whole configuration and Flink's and Kafka's warnings.
# --registry also starts a schema registry (an Apicurio Registry process on a free loopback port,
# needs a Java 21+: EDGESTREAM_REGISTRY_JAVA_HOME, java on PATH, or the newest under /usr/lib/jvm)
# and runs producer, job (wire.format=registry) and consumer in the registry framing; the registry
# is stopped by its PID at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/java.sh
source "$root/scripts/lib/java.sh"

command -v java >/dev/null || { echo "demo.sh: java (17+) is required" >&2; exit 1; }
command -v mvn >/dev/null || { echo "demo.sh: Maven (3.8+) is required" >&2; exit 1; }

console=OFF
for a in "$@"; do
  [[ "$a" == --verbose ]] && console=WARN
done
logs="${EDGESTREAM_LOCAL_DIR:-$root/.local}/logs"
mkdir -p "$logs"
demo_log="$logs/demo.log"

cp_file="$root/demo/target/demo.classpath"
# The build is skipped when demo/target/demo.classpath is newer than every pom and main source of
# the modules the demo runs (it is written last, by the same reactor build as their jars).
stale() {
  [[ ! -f "$cp_file" ]] || [[ -n "$(find "$root/pom.xml" "$root/schemas" "$root/imaging" \
    "$root/flink-job" "$root/clients" "$root/testing" "$root/demo" -path '*/target' -prune -o \
    \( -name pom.xml -o -path '*/src/main/*' \) -type f -newer "$cp_file" -print -quit)" ]]
}
if stale; then
  echo "== building (first run downloads dependencies) ..." >&2
  build_log="$logs/demo-build.log"
  # One reactor build writes demo/target/demo.classpath next to the modules' jars: nothing is
  # installed into the local Maven repository.
  if ! mvn -B -q -ntp package -DskipTests -Dspotless.check.skip -pl demo -am >"$build_log" 2>&1; then
    cat "$build_log" >&2
    echo "demo.sh: the build failed (Maven log above, also in $build_log)" >&2
    exit 1
  fi
fi

# log.file: Flink's web UI shows this file as the JobManager log.
# shellcheck disable=SC2086
edgestream_run_vector_java ${JAVA_OPTS:--Xmx2g} \
  -Dlog4j2.configurationFile="$root/demo/src/main/resources/demo-log4j2.properties" \
  -Dedgestream.demo.log="$demo_log" -Dedgestream.demo.console="$console" -Dlog.file="$demo_log" \
  -cp "$root/demo/target/classes:$(cat "$cp_file")" \
  io.edgestream.demo.LocalDemo "$@"
