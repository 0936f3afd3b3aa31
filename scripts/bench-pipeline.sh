#!/usr/bin/env bash
# The whole pipeline on the real local stack (its own Kafka broker and Flink cluster: 2
# TaskManagers x 1 slot, parallelism 2, exactly once), three jobs side by side in one run:
#   conv  the edge job with two filters (default sobel,laplacian)
#   pass  the same job with the filters switched off: two 1x1 identity kernels
#         ('id_a=1|id_b=1'), so it still decodes, tiles, emits the same number of map tiles and
#         statistics records, but does no real convolution work
#   copy  io.edgestream.bench.pipeline.CopyJob: the same Kafka source, an exactly-once KafkaSink,
#         each input record copied unchanged (Kafka's own limit through Flink)
# on a fixed set of 1000x1000 images: RAW GRAY8, RAW RGB8 (synthetic camera frames) and JPEG RGB
# (files generated once, deterministic).
#
# Throughput: the input topic is pre-loaded with all images; the job starts from the earliest
#   offset; the clock runs from "all tasks RUNNING" to the moment the last output is visible to
#   a read_committed consumer (images/s, MP/s, MB/s of input values).
# Latency: a fresh topic, the job running, then the synthetic camera (RAW, --latency-format) at
#   half of that job's measured rate for --latency-seconds; per image: the time its last
#   output record became visible to a read_committed consumer minus the capture time
#   ("visible", includes waiting for the checkpoint that commits the output), and for the edge
#   job also EdgeStats completedTimeMs - captureTimeMs ("processing", before the commit). The
#   first 15% of images (at least 5) are warm-up and not counted.
#
# Usage: scripts/bench-pipeline.sh [--quick] [--images N] [--filters F] [--map-encoding E] [--size WxH] [--job-args ARGS] [--checkpoint-ms MS]
#          [--formats gray8,rgb8,jpeg] [--runs conv,pass,copy] [--latency-format gray8|rgb8]
#          [--latency-seconds S] [--java-home DIR] [--tm-memory SIZE] [--scaling]
#
#   --quick            smoke run: 12 images per format, 8 s of latency
#   --images N         images per format (default 200)
#   --filters F        the conv run's filters (default sobel,laplacian)
#   --map-encoding E   the edge job's map.encoding, FLOAT32 (default) or FLOAT16
#   --size WxH         size of the RAW frames (default 1000x1000; the JPEG set is 1000x1000 only)
#   --job-args "ARGS"  extra options for every job (conv, pass and copy), e.g.
#                      "--kafka.linger.ms 20" (split on spaces)
#   --checkpoint-ms    checkpoint interval of every job (default 1000; a floor on latency)
#   --java-home DIR    JDK of the Flink processes (default: BENCH_JAVA_HOME, else Temurin 25 at
#                      /usr/lib/jvm/temurin-25-jdk-amd64 if present, else java on PATH). The
#                      Vector API runs 4-5x faster on JDK 25 than on 17 here.
#   --tm-memory SIZE   TaskManager process size (default 2048m)
#   --scaling          instead: cost per pixel from 256x256 to 4000x4000 (one warm conv job,
#                      blocks of one size), an 8192x8192 JPEG with 1 GB TaskManagers, and
#                      parallelism 1 vs 2 on 4000x4000 (benchmarks/scripts/scaling.sh)
#
# Environment: BENCH_KAFKA_PORT (29092), BENCH_FLINK_REST_PORT (28081), BENCH_FLINK_RPC_PORT
#   (26123), BENCH_JAVA_HOME, BENCH_JAVA_OPTS (extra JVM options for the Flink processes,
#   e.g. -XX:StartFlightRecording=filename=/tmp/jfr/,settings=profile).
#   State and logs: .local/bench (removed at the start of each run);
#   generated JPEGs: .local/bench-images (kept). Every process the script starts is stopped on
#   exit (trap), also after a failure or Ctrl-C.
# The TaskManagers get --add-modules jdk.incubator.vector through JDK_JAVA_OPTIONS (the Vector
# API fast path; without it the job silently uses the scalar fallback).
set -euo pipefail
# shellcheck source=lib/stack.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"

images=200
quick=false
filters="sobel,laplacian"
map_encoding=FLOAT32
size=1000x1000
job_args=""
checkpoint_ms=1000
formats="gray8,rgb8,jpeg"
runs="conv,pass,copy"
latency_format=rgb8
latency_seconds=30
java_home="${BENCH_JAVA_HOME:-}"
tm_memory=2048m
scaling=false
while [[ $# -gt 0 ]]; do
    case "$1" in
    --quick) quick=true; shift ;;
    --images) images="$2"; shift 2 ;;
    --filters) filters="$2"; shift 2 ;;
    --map-encoding) map_encoding="$2"; shift 2 ;;
    --size) size="$2"; shift 2 ;;
    --job-args) job_args="$2"; shift 2 ;;
    --checkpoint-ms) checkpoint_ms="$2"; shift 2 ;;
    --formats) formats="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --latency-format) latency_format="$2"; shift 2 ;;
    --latency-seconds) latency_seconds="$2"; shift 2 ;;
    --java-home) java_home="$2"; shift 2 ;;
    --tm-memory) tm_memory="$2"; shift 2 ;;
    --scaling) scaling=true; shift ;;
    -h | --help)
        sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
        exit 0
        ;;
    *) stack_die "unknown option '$1' (see: $0 --help)" ;;
    esac
done
if [[ "$quick" == true ]]; then
    images=12
    latency_seconds=8
fi
[[ "$images" =~ ^[1-9][0-9]*$ && "$images" -ge 2 ]] || stack_die "--images must be 2 or more, got '$images'"
[[ "$checkpoint_ms" =~ ^[1-9][0-9]*$ ]] || stack_die "--checkpoint-ms must be a positive number"
[[ "$size" =~ ^[1-9][0-9]*x[1-9][0-9]*$ ]] || stack_die "--size must be WxH, e.g. 1000x1000, got '$size'"
[[ "$latency_format" == gray8 || "$latency_format" == rgb8 ]] || stack_die "--latency-format must be gray8 or rgb8"
if [[ -z "$java_home" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
    java_home=/usr/lib/jvm/temurin-25-jdk-amd64
fi
if [[ -n "$java_home" && ! -x "$java_home/bin/java" ]]; then
    stack_die "--java-home $java_home has no bin/java"
fi

scripts="$STACK_ROOT/scripts"
bench_dir="$STACK_ROOT/.local/bench"
images_dir="$STACK_ROOT/.local/bench-images"
export EDGESTREAM_LOCAL_DIR="$bench_dir"
export EDGESTREAM_LIB_DIR="$STACK_ROOT/.local/lib"
export KAFKA_PORT="${BENCH_KAFKA_PORT:-29092}"
export FLINK_REST_PORT="${BENCH_FLINK_REST_PORT:-28081}"
export FLINK_RPC_PORT="${BENCH_FLINK_RPC_PORT:-26123}"
bootstrap="127.0.0.1:$KAFKA_PORT"
rest="http://localhost:$FLINK_REST_PORT"
clients_jar="$STACK_ROOT/clients/target/edgestream-clients.jar"
results="$bench_dir/results.jsonl"
width="${size%x*}"
height="${size#*x}"
parallelism=2
partitions=2

step() { printf '\n=== %s\n' "$*" >&2; }
log() { printf '%s\n' "$*" >&2; }

started_pids=()
cleanup() {
    local rc=$?
    local pid
    for pid in "${started_pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    step "stopping the bench stack"
    "$scripts/flink-local.sh" stop >&2 || rc=1
    "$scripts/kafka-local.sh" stop >&2 || rc=1
    if pgrep -f "$bench_dir/(kafka-conf|flink-conf)" >/dev/null; then
        pgrep -fa "$bench_dir/(kafka-conf|flink-conf)" >&2
        stack_warn "processes of the bench stack are still running (listed above)"
        rc=1
    fi
    [[ $rc -eq 0 ]] || printf 'bench-pipeline: FAILED (exit %s); logs in %s/logs\n' "$rc" "$bench_dir" >&2
    exit "$rc"
}

stack_require_java
stack_require_http_tools
"$scripts/flink-local.sh" stop >/dev/null 2>&1 || true
"$scripts/kafka-local.sh" stop >/dev/null 2>&1 || true
rm -rf "$bench_dir"
mkdir -p "$bench_dir/classes" "$images_dir"
trap cleanup EXIT

step "building the benchmark jars (job jar with the copy job, clients jar, bench helper)"
(cd "$STACK_ROOT" && mvn -B -ntp -q -pl benchmarks -am package -DskipTests -Dspotless.check.skip)
# Private copies: other builds in this working tree may rewrite target/ while the bench runs.
mkdir -p "$bench_dir/jars"
cp "$STACK_ROOT/benchmarks/target/bench-pipeline-job.jar" "$bench_dir/jars/bench-pipeline-job.jar"
cp "$clients_jar" "$bench_dir/jars/edgestream-clients.jar"
cp -r "$STACK_ROOT/benchmarks/target/classes/." "$bench_dir/classes/"
job_jar="$bench_dir/jars/bench-pipeline-job.jar"
clients_jar="$bench_dir/jars/edgestream-clients.jar"

helper() { java -Xmx1g -cp "$bench_dir/classes:$clients_jar" io.edgestream.bench.pipeline.PipelineBench "$@"; }
produce() {
    java -Xmx1g --add-modules jdk.incubator.vector -jar "$clients_jar" produce-images \
        --bootstrap "$bootstrap" --compression none --progress none "$@" \
        2> >(grep -v 'Using incubator modules' >&2) >/dev/null
}

flink_java="$(command -v java)"
[[ -n "$java_home" ]] && flink_java="$java_home/bin/java"
flink_java_version="$("$flink_java" -version 2>&1 | head -n 1)"
cpu_model="$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
cpu_flags="$(grep -o -w 'avx512f\|avx2' /proc/cpuinfo | sort -u | paste -sd, -)"

step "starting Kafka ($bootstrap) and Flink ($rest, 2 TaskManagers x 1 slot, $flink_java_version)"
"$scripts/kafka-local.sh" start >&2
start_flink() {
    local path="$PATH"
    [[ -n "$java_home" ]] && path="$java_home/bin:$PATH"
    PATH="$path" JDK_JAVA_OPTIONS="--add-modules jdk.incubator.vector${BENCH_JAVA_OPTS:+ $BENCH_JAVA_OPTS}" FLINK_TM_MEMORY="$1" \
        "$scripts/flink-local.sh" start --taskmanagers "$2" --slots 1 >&2
}
start_flink "$tm_memory" 2

# ---- job control through the REST API ------------------------------------------------------

# submit RUN INPUT_TOPIC OUT_PREFIX FILTERS [PARALLELISM]: prints the job id
submit() {
    local run="$1" input="$2" out="$3" fs="$4" p="${5:-$parallelism}" entry=()
    [[ "$run" == copy ]] && entry=(--entry-class io.edgestream.bench.pipeline.CopyJob)
    [[ "$run" == copy ]] || entry=(--entry-class io.edgestream.job.EdgeJob)
    "$scripts/submit-job.sh" --rest "$rest" --jar "$job_jar" --parallelism "$p" "${entry[@]}" -- \
        --bootstrap.servers "$bootstrap" --topic.images "$input" --topic.maps "$out-maps" \
        --topic.stats "$out-stats" --topic.dlq "$out-dlq" --filters "$fs" --map.encoding "$map_encoding" \
        --checkpoint.interval.ms "$checkpoint_ms" --starting.offsets earliest \
        --group.id "$out" --job.name "$out" --restart.attempts 0 $job_args 2> >(grep -v '^\s*$' | tail -n 3 >&2) | tail -n 1
}

job_state() { curl -fsS "$rest/jobs/$1" | stack_json 'd["state"]'; }
tasks_running() {
    curl -fsS "$rest/jobs/$1" | stack_json '"yes" if d["state"] == "RUNNING" and all(v["status"] == "RUNNING" for v in d["vertices"]) else "no"' | grep -qx yes
}
# The moment the last subtask of JOB switched to RUNNING (ms since the epoch, JobManager clock).
all_running_since() {
    local job="$1" vid all=""
    for vid in $(curl -fsS "$rest/jobs/$job" | stack_json '" ".join(v["id"] for v in d["vertices"])'); do
        all+="$(curl -fsS "$rest/jobs/$job/vertices/$vid/subtasktimes")"$'\n'
    done
    python3 -c '
import json, sys
ts = [s["timestamps"]["RUNNING"] for line in sys.stdin if line.strip() for s in json.loads(line)["subtasks"]]
print(max(ts))' <<<"$all"
}
job_failed() {
    local s
    s="$(job_state "$1")"
    [[ "$s" == FAILED || "$s" == CANCELED || "$s" == FINISHED ]]
}
job_exceptions() {
    curl -fsS "$rest/jobs/$1/exceptions" | stack_json '(d.get("root-exception") or "")[:3000]' >&2 || true
}
cancel_job() {
    curl -fsS -X PATCH "$rest/jobs/$1?mode=cancel" >/dev/null || true
    stack_wait_for 60 job_done "$1" || stack_warn "job $1 did not stop within 60 s"
}
job_done() {
    local s
    s="$(job_state "$1")"
    [[ "$s" == CANCELED || "$s" == FAILED || "$s" == FINISHED ]]
}
now_ms() { date +%s%3N; }

# collect_start TOPIC KIND EXPECT SKIP PER_IMAGE: starts the consumer in the background and waits
# until it is positioned; sets collector_pid and collector_out.
collect_start() {
    local topic="$1" kind="$2" expect="$3" skip="$4" per_image="$5" timeout
    timeout=$((120 + expect * 3))
    collector_out="$bench_dir/collect-$topic.json"
    local ready="$bench_dir/ready-$topic"
    rm -f "$ready"
    helper collect "$bootstrap" "$topic" "$kind" "$expect" "$timeout" "$skip" "$per_image" "$ready" \
        >"$collector_out" 2>"$bench_dir/collect-$topic.err" &
    collector_pid=$!
    started_pids+=("$collector_pid")
    stack_wait_for 60 test -f "$ready" || { cat "$bench_dir/collect-$topic.err" >&2; stack_die "the consumer of $topic did not start"; }
}

# collect_wait JOB: waits for the collector; fails fast (with the job's exception) if the job dies.
collect_wait() {
    local job="$1"
    while kill -0 "$collector_pid" 2>/dev/null; do
        if job_failed "$job"; then
            job_exceptions "$job"
            kill "$collector_pid" 2>/dev/null || true
            stack_die "job $job stopped ($(job_state "$job")) before all outputs arrived (exception above)"
        fi
        sleep 0.5
    done
    wait "$collector_pid" || { cat "$bench_dir/"collect-*.err >&2; stack_die "not all outputs arrived: $(cat "$collector_out")"; }
}

out_topics() { printf '%s ' "$1-maps" "$1-stats" "$1-dlq"; }

# ---- the image set ------------------------------------------------------------------------

bytes_per_image() {
    case "$1" in
    gray8) echo $((width * height)) ;;
    rgb8) echo $((width * height * 3)) ;;
    jpeg) du -cb "$images_dir"/jpeg-${width}x${height}/frame-*.jpg | tail -n 1 | cut -f1 | awk -v n="$images" '{print int($1 / n)}' ;;
    esac
}

read -r -a sources <<<"$(helper sources "$partitions" "$partitions")"
log "producer source ids (one per partition): ${sources[*]}"

# preload FORMAT TOPIC: all images of FORMAT into TOPIC, half per source id (= per partition)
preload() {
    local fmt="$1" topic="$2" half=$((images / 2)) rest=$((images - images / 2))
    case "$fmt" in
    gray8 | rgb8)
        produce --topic "$topic" --synthetic --fps 0 --size "${width}x${height}" --format "$fmt" \
            --count "$half" --source "${sources[0]}" --start-sequence 0
        produce --topic "$topic" --synthetic --fps 0 --size "${width}x${height}" --format "$fmt" \
            --count "$rest" --source "${sources[1]}" --start-sequence "$half"
        ;;
    jpeg)
        local dir="$images_dir/jpeg-${width}x${height}" have
        mkdir -p "$dir"
        have="$(find "$dir" -name 'frame-*.jpg' | wc -l)"
        if [[ "$have" -lt "$images" ]]; then
            log "generating $images JPEG files in $dir (once) ..."
            helper jpegs "$dir" "$images" "${width}x${height}"
        fi
        find "$dir" -name 'frame-*.jpg' | sort | head -n "$images" >"$bench_dir/jpegs.txt"
        head -n "$half" "$bench_dir/jpegs.txt" | produce --topic "$topic" --source "${sources[0]}" -
        tail -n "$rest" "$bench_dir/jpegs.txt" | produce --topic "$topic" --source "${sources[1]}" -
        ;;
    esac
}

filters_of() {
    case "$1" in
    conv) echo "$filters" ;;
    pass) echo 'id_a=1|id_b=1' ;;
    copy) echo "$filters" ;; # unused by the copy job
    esac
}
filter_count="$(tr ',|' '\n\n' <<<"$filters" | grep -c .)"

# throughput RUN FORMAT: appends one JSON line to $results
throughput() {
    local run="$1" fmt="$2" out="bench-$1-$2" kind=stats per_image="$filter_count" job t0 j
    [[ "$run" == copy ]] && { kind=copy; per_image=1; }
    [[ "$run" == pass ]] && per_image=2
    helper topics "$bootstrap" "$partitions" create $(out_topics "$out")
    local watch="$out-stats"
    [[ "$run" == copy ]] && watch="$out-maps"
    collect_start "$watch" "$kind" "$images" 0 "$per_image"
    job="$(submit "$run" "bench-in-$fmt" "$out" "$(filters_of "$run")")"
    [[ "$job" =~ ^[0-9a-f]{32}$ ]] || stack_die "submitting $run did not print a job id (got '$job')"
    stack_wait_for 120 tasks_running "$job" || { job_exceptions "$job"; stack_die "job $job ($run) did not reach RUNNING"; }
    collect_wait "$job"
    t0="$(all_running_since "$job")"
    j="$(cat "$collector_out")"
    cancel_job "$job"
    helper topics "$bootstrap" "$partitions" delete $(out_topics "$out")
    # Output value bytes per image: float32 (or float16) maps (one per filter, about width x height each; VALID
    # padding trims a 3x3 filter's map by 2 pixels per axis) or, for the copy, the input itself.
    local sample_bytes=4
    [[ "${map_encoding^^}" == FLOAT16 ]] && sample_bytes=2
    local out_bytes=$((per_image * width * height * sample_bytes))
    [[ "$run" == copy ]] && out_bytes="$(bytes_per_image "$fmt")"
    python3 - "$run" "$fmt" "$images" "$t0" "$(bytes_per_image "$fmt")" "$j" "$out_bytes" "$((width * height))" >>"$results" <<'EOF'
import json, sys
run, fmt, n, t0, bpi, j = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), json.loads(sys.argv[6])
obpi, pixels = int(sys.argv[7]), int(sys.argv[8])
secs = (j["last_receive_ms"] - t0) / 1000.0
ips = n / secs
print(json.dumps({"phase": "throughput", "run": run, "format": fmt, "images": n, "seconds": round(secs, 2),
                  "images_per_s": ips, "mp_per_s": ips * pixels / 1e6,
                  "mb_per_s": ips * bpi / 1e6, "mb_out_per_s": ips * obpi / 1e6}))
EOF
    log "$(tail -n 1 "$results")"
}

rate_of() {
    python3 - "$results" "$1" "$2" <<'EOF'
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d["phase"] == "throughput" and d["run"] == sys.argv[2] and d["format"] == sys.argv[3]:
        print(d["images_per_s"])
EOF
}

# latency RUN: the synthetic camera at half the run's measured rate on $latency_format
latency() {
    local run="$1" fmt="$latency_format" out="bench-lat-$1" input="bench-lat-$1-in" kind=stats per_image="$filter_count"
    [[ "$run" == copy ]] && { kind=copy; per_image=1; }
    [[ "$run" == pass ]] && per_image=2
    local max fps each count skip job j
    max="$(rate_of "$run" "$fmt")"
    [[ -n "$max" ]] || stack_die "no throughput figure for $run/$fmt to derive the latency rate from"
    fps="$(python3 -c "print(round(float('$max') / 2, 2))")"
    each="$(python3 -c "print(round(float('$fps') / $partitions, 3))")"
    count="$(python3 -c "import math; print(max(4, math.ceil(float('$each') * $latency_seconds)))")"
    skip="$(python3 -c "import math; print(max(5, math.ceil(0.15 * $count * $partitions)))")"
    helper topics "$bootstrap" "$partitions" create "$input" $(out_topics "$out")
    local watch="$out-stats"
    [[ "$run" == copy ]] && watch="$out-maps"
    collect_start "$watch" "$kind" $((count * partitions)) "$skip" "$per_image"
    job="$(submit "$run" "$input" "$out" "$(filters_of "$run")")"
    [[ "$job" =~ ^[0-9a-f]{32}$ ]] || stack_die "submitting $run did not print a job id (got '$job')"
    stack_wait_for 120 tasks_running "$job" || { job_exceptions "$job"; stack_die "job $job ($run) did not reach RUNNING"; }
    log "latency $run: $fmt at $fps images/s (half of $max) for ${latency_seconds}s, $((count * partitions)) images, first $skip not counted"
    local s pids=()
    for s in "${sources[@]}"; do
        produce --topic "$input" --synthetic --fps "$each" --count "$count" --size "${width}x${height}" \
            --format "$fmt" --source "$s" &
        pids+=($!)
        started_pids+=($!)
    done
    for s in "${pids[@]}"; do wait "$s" || stack_die "the synthetic producer failed"; done
    collect_wait "$job"
    j="$(cat "$collector_out")"
    cancel_job "$job"
    helper topics "$bootstrap" "$partitions" delete "$input" $(out_topics "$out")
    python3 - "$run" "$fmt" "$fps" "$j" >>"$results" <<'EOF'
import json, sys
j = json.loads(sys.argv[4])
print(json.dumps({"phase": "latency", "run": sys.argv[1], "format": sys.argv[2], "fps": float(sys.argv[3]),
                  "measured": j["measured"], "visible": j["visible"], "processing": j["processing"]}))
EOF
    log "$(tail -n 1 "$results")"
}

if [[ "$scaling" == true ]]; then
    # shellcheck source=../benchmarks/scripts/scaling.sh
    source "$STACK_ROOT/benchmarks/scripts/scaling.sh"
    exit 0
fi

IFS=',' read -r -a format_list <<<"$formats"
IFS=',' read -r -a run_list <<<"$runs"

step "pre-loading $images images of ${width}x${height} per format (${formats})"
for fmt in "${format_list[@]}"; do
    helper topics "$bootstrap" "$partitions" create "bench-in-$fmt"
    preload "$fmt" "bench-in-$fmt"
    log "bench-in-$fmt: $images images, $(bytes_per_image "$fmt") bytes each"
done

for fmt in "${format_list[@]}"; do
    for run in "${run_list[@]}"; do
        step "throughput: $run on $fmt"
        throughput "$run" "$fmt"
    done
done
if [[ " ${format_list[*]} " == *" $latency_format "* ]]; then
    for run in "${run_list[@]}"; do
        step "latency: $run on $latency_format at half its rate"
        latency "$run"
    done
fi

step "results"
python3 - "$results" "$filters" "$checkpoint_ms" "$images" "$cpu_model ($cpu_flags, $(nproc) cores)" \
    "$flink_java_version" "$runs" "${map_encoding^^}" "$size" <<'EOF'
import json, sys
path, filters, cp, n, machine, java, runs, enc, size = sys.argv[1:10]
rows = [json.loads(l) for l in open(path)]
runs = runs.split(",")
names = {"conv": "conv (%s)" % filters, "pass": "pass-through", "copy": "copy (Kafka->Kafka)"}
tp = {(r["run"], r["format"]): r for r in rows if r["phase"] == "throughput"}
lat = {r["run"]: r for r in rows if r["phase"] == "latency"}
formats = []
for r in rows:
    if r["phase"] == "throughput" and r["format"] not in formats:
        formats.append(r["format"])
label = {"gray8": "RAW GRAY8", "rgb8": "RAW RGB8", "jpeg": "JPEG RGB"}
w0 = 34
ws = [max(22, len(names[r]) + 2) for r in runs]
def line(first, cells):
    return "| " + first.ljust(w0) + " | " + " | ".join(c.rjust(w) for c, w in zip(cells, ws)) + " |"
out = []
out.append("machine: %s; Flink TaskManagers on %s" % (machine, java))
out.append("%s images, %s per format; parallelism 2 on 2 TaskManagers x 1 slot; exactly once; checkpoint interval %s ms (a floor on latency); maps as %s" % (size, n, cp, enc))
out.append("")
out.append(line("", [names[r] for r in runs]))
out.append("|" + "-" * (w0 + 2) + "|" + "|".join("-" * (w + 2) for w in ws) + "|")
def fmtv(v, d=1):
    return "-" if v is None else ("%.*f" % (d, v))
for f in formats:
    for key, unit in (("images_per_s", "images/s"), ("mp_per_s", "MP/s"), ("mb_per_s", "MB/s in"), ("mb_out_per_s", "MB/s out (values)")):
        out.append(line("%s %s" % (label.get(f, f), unit), [fmtv(tp.get((r, f), {}).get(key)) for r in runs]))
def pct(d, k):
    return "-" if not d else "%d / %d / %d" % (d["p50"], d["p95"], d["p99"])
if lat:
    lf = next(iter(lat.values()))["format"]
    out.append(line("latency rate (images/s, %s)" % label[lf], [fmtv(lat.get(r, {}).get("fps")) for r in runs]))
    out.append(line("visible p50/p95/p99 (ms)", [pct(lat.get(r, {}).get("visible"), r) for r in runs]))
    out.append(line("processing p50/p95/p99 (ms)", [pct(lat.get(r, {}).get("processing"), r) for r in runs]))
    out.append(line("visible p99/p50", [("%.2f" % (lat[r]["visible"]["p99"] / max(1, lat[r]["visible"]["p50"]))) if lat.get(r) and lat[r]["visible"] else "-" for r in runs]))
    out.append(line("images measured (after warm-up)", [str(lat.get(r, {}).get("measured", "-")) for r in runs]))
out.append("")
for f in formats:
    c, k = tp.get(("conv", f)), tp.get(("copy", f))
    if c and k:
        ratio = c["images_per_s"] / k["images_per_s"]
        target = " (target >= 0.70 on RAW: %s)" % ("met" if ratio >= 0.7 else "NOT met") if f in ("gray8", "rgb8") else ""
        out.append("conv/copy images/s on %s: %.2f%s" % (label.get(f, f), ratio, target))
    p = tp.get(("pass", f))
    if c and p:
        out.append("conv/pass-through images/s on %s: %.2f" % (label.get(f, f), c["images_per_s"] / p["images_per_s"]))
if lat.get("conv") and lat["conv"]["visible"]:
    v = lat["conv"]["visible"]
    r = v["p99"] / max(1, v["p50"])
    out.append("conv latency p99/p50 (visible) at half its max rate: %.2f (target <= 3: %s)" % (r, "met" if r <= 3 else "NOT met"))
    pr = lat["conv"]["processing"]
    if pr:
        out.append("conv latency p99/p50 (processing, before the commit): %.2f" % (pr["p99"] / max(1, pr["p50"])))
print("\n".join(out))
EOF
log "raw results: $results"
