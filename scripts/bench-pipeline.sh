#!/usr/bin/env bash
# The pipeline benchmark (issue 13): the edge job on its own local stack (a Kafka broker and a
# Flink session cluster, started and stopped by the run), side by side with a byte-matched copy
# job, the Kafka ceiling for the same records and a plain Python service, for RAW GRAY8, RAW RGB8
# and JPEG input; --latency and --scaling are its other modes, --all runs the three. Writes
# results.jsonl and report.md to target/bench-pipeline/ (--out). Method: benchmarks/README.md;
# every option: --help.
#
# Usage: scripts/bench-pipeline.sh [--quick] [--latency | --scaling | --all] [options]   (--help lists them)
#
# This script only builds and starts the driver (io.edgestream.bench.pipeline.PipelineBench in
# benchmarks/target/bench-pipeline.jar); the driver does the rest and stops every process it
# started, also after a failure. The Python service needs Debian's python3-confluent-kafka,
# python3-numpy, python3-opencv and python3-avro for /usr/bin/python3: installed with apt-get when
# missing and the python run is asked for.
set -euo pipefail
# shellcheck source=lib/stack.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"
cd "$STACK_ROOT"

stack_require_java
stack_require_http_tools
python="/usr/bin/python3"
wants_python=true
prev=""
for a in "$@"; do
    case "$a" in
    --latency | --scaling) wants_python=false ;;
    esac
    [[ "$prev" == --runs && "$a" != *python* ]] && wants_python=false
    [[ "$prev" == --python ]] && python="$a"
    prev="$a"
done
if [[ "$wants_python" == true ]] && ! "$python" -c 'import confluent_kafka, cv2, numpy, avro' 2>/dev/null; then
    [[ "$python" == /usr/bin/python3 ]] || stack_die "$python cannot import confluent_kafka, cv2, numpy and avro (the Python service's libraries)"
    echo "bench-pipeline: installing the Python service's libraries (Debian python3-confluent-kafka python3-opencv python3-numpy python3-avro)" >&2
    export DEBIAN_FRONTEND=noninteractive
    pkgs=(python3-confluent-kafka python3-opencv python3-numpy python3-avro)
    apt-get install -y -q "${pkgs[@]}" >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null && apt-get install -y -q "${pkgs[@]}" >/dev/null; } ||
        stack_die "could not install ${pkgs[*]}; install them, or leave the Python service out (--runs edge,copy,ceiling,ceiling-per-map)"
fi

echo "bench-pipeline: building the benchmark jars (mvn -pl benchmarks -am package)" >&2
mvn -B -ntp -q -pl benchmarks -am package -DskipTests -Dspotless.check.skip
# A private copy: a build in this working tree during the run must not change the running driver.
driver="$STACK_LOCAL/bench-pipeline.jar"
mkdir -p "$STACK_LOCAL"
cp benchmarks/target/bench-pipeline.jar "$driver"
exec java -Xmx1g -jar "$driver" "$@"
