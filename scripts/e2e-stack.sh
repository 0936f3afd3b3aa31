#!/usr/bin/env bash
# End-to-end check of the real multi-process path, as a user runs it:
#   1. starts its own Kafka broker process and a Flink session cluster with 2 TaskManagers
#      (separate ports and state under .local/e2e, so a stack you are running is not touched);
#   2. creates the topics and submits the shaded job jar through the REST API;
#   3. checks that every operator's subtasks are spread over both TaskManagers;
#   4. pushes batch A of PNG images with the producer tool, reads the results with the consumer
#      tool and compares every feature map with the core's own convolution (convolve tool);
#   5. stops the job with a savepoint, resubmits the same jar from it, pushes batch B;
#   6. reads everything again and checks that each (image, filter) arrived exactly once;
#   7. stops the job and the stack and checks that none of its processes is left.
# Exit code 0 only if every check passed. Needs: Java 17+, Maven (first run), curl, python3.
#
# Usage: scripts/e2e-stack.sh [--images-per-batch N] [--keep-logs]
# Environment: E2E_KAFKA_PORT (19092), E2E_FLINK_REST_PORT (18081), E2E_FLINK_RPC_PORT (16123)
set -euo pipefail
# shellcheck source=lib/stack.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"

per_batch=6
while [[ $# -gt 0 ]]; do
    case "$1" in
    --images-per-batch) per_batch="$2"; shift 2 ;;
    --keep-logs) shift ;; # logs are always kept under .local/e2e/logs
    -h | --help)
        sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
        exit 0
        ;;
    *) stack_die "unknown option '$1' (see: $0 --help)" ;;
    esac
done

scripts="$STACK_ROOT/scripts"
e2e_dir="$STACK_ROOT/.local/e2e"
# Own state, logs, PIDs and ports; the fetched jars are shared with the default stack.
export EDGESTREAM_LOCAL_DIR="$e2e_dir"
export EDGESTREAM_LIB_DIR="$STACK_ROOT/.local/lib"
export KAFKA_PORT="${E2E_KAFKA_PORT:-19092}"
export FLINK_REST_PORT="${E2E_FLINK_REST_PORT:-18081}"
export FLINK_RPC_PORT="${E2E_FLINK_RPC_PORT:-16123}"
bootstrap="127.0.0.1:$KAFKA_PORT"
rest="http://localhost:$FLINK_REST_PORT"
filters="vertical,horizontal,sobel"
filter_count=3
job_jar_glob="$STACK_ROOT/flink-job/target/edgestream-flink-job-*-job.jar"
clients_jar="$STACK_ROOT/clients/target/edgestream-clients.jar"

step() { printf '\n=== %s\n' "$*"; }
fail() { stack_die "E2E FAILED: $*"; }

cleanup() {
    local rc=$?
    step "stopping the e2e stack"
    "$scripts/flink-local.sh" stop || rc=1
    "$scripts/kafka-local.sh" stop || rc=1
    # Only processes of this stack carry its config directories on their command line.
    if pgrep -f "$e2e_dir/(kafka-conf|flink-conf)" >/dev/null; then
        pgrep -fa "$e2e_dir/(kafka-conf|flink-conf)" >&2
        stack_warn "processes of the e2e stack are still running (listed above)"
        rc=1
    else
        stack_info "no process of the e2e stack is left"
    fi
    if [[ $rc -eq 0 ]]; then
        printf '\nE2E PASSED\n'
    else
        printf '\nE2E FAILED (exit %s); logs in %s/logs\n' "$rc" "$e2e_dir" >&2
    fi
    exit "$rc"
}

stack_require_java
stack_require_http_tools

# A previous run's stack (killed before its cleanup) must not be reused: stop it, then start clean.
"$scripts/flink-local.sh" stop >/dev/null
"$scripts/kafka-local.sh" stop >/dev/null
rm -rf "$e2e_dir"
mkdir -p "$e2e_dir"
trap cleanup EXIT

step "building the job and clients jars (if missing)"
if ! compgen -G "$job_jar_glob" >/dev/null || [[ ! -f "$clients_jar" ]]; then
    (cd "$STACK_ROOT" && mvn -B -ntp -q -pl flink-job,clients -am package -DskipTests -Dspotless.check.skip)
fi
job_jar="$(compgen -G "$job_jar_glob" | head -n 1)"
stack_info "job jar: $job_jar ($(du -h "$job_jar" | cut -f1))"

clients() {
    java --add-modules jdk.incubator.vector -jar "$clients_jar" "$@" 2> >(grep -v 'Using incubator modules' >&2)
}

step "starting Kafka ($bootstrap) and Flink ($rest, 2 TaskManagers x 2 slots)"
"$scripts/kafka-local.sh" start
"$scripts/create-topics.sh" --bootstrap "$bootstrap" --partitions 4
second_run="$("$scripts/create-topics.sh" --bootstrap "$bootstrap" --partitions 4)"
[[ "$(grep -c '^exists: ' <<<"$second_run")" -eq 4 ]] ||
    fail "create-topics.sh is not idempotent (a second run did not report the four existing topics): $second_run"
"$scripts/flink-local.sh" start --taskmanagers 2 --slots 2

job_options=(--bootstrap.servers "$bootstrap" --filters "$filters" --checkpoint.interval.ms 2000)

step "submitting the job through the REST API"
job="$("$scripts/submit-job.sh" --rest "$rest" --jar "$job_jar" --parallelism 4 -- "${job_options[@]}" | tail -n 1)"
[[ "$job" =~ ^[0-9a-f]{32}$ ]] || fail "submit-job.sh did not print a job id (got '$job')"
again="$("$scripts/submit-job.sh" --rest "$rest" --jar "$job_jar" --skip-if-running edgestream-edge-job -- "${job_options[@]}" | tail -n 1)"
[[ "$again" == "$job" ]] || fail "--skip-if-running submitted a second job ($again) instead of reporting $job"

step "checking that the tasks are spread over both TaskManagers"
placement="$("$scripts/submit-job.sh" --rest "$rest" --placement "$job")"
printf '%s\n' "$placement"
while IFS= read -r line; do
    [[ "$line" == *taskmanager-1* && "$line" == *taskmanager-2* ]] ||
        fail "an operator does not run on both TaskManagers: $line"
done <<<"$placement"

# make_images DIR PREFIX N: N different PNG files (RGB, sizes that need several tiles).
make_images() {
    python3 - "$@" <<'EOF'
import os, struct, sys, zlib
out, prefix, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(out, exist_ok=True)
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
for i in range(n):
    w, h = 300 + 17 * i, 200 + 11 * i
    seed = sum(map(ord, prefix)) * 131 + i * 977
    rows = []
    for y in range(h):
        row = bytearray([0])
        for x in range(w):
            # Edges of several orientations plus a little texture, different per image.
            v = 255 if ((x + seed) // 23 + (y // 19)) % 2 else 40
            g = (x * 3 + y * 5 + seed) % 256
            b = 200 if (x - w // 2) ** 2 + (y - h // 2) ** 2 < (min(w, h) // 3) ** 2 else 10
            row += bytes((v, g, b))
        rows.append(bytes(row))
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(b"".join(rows), 6)) + chunk(b"IEND", b"")
    with open(os.path.join(out, "%s-%02d.png" % (prefix, i)), "wb") as f:
        f.write(png)
EOF
}

# check_maps OUT IMAGES_DIR SOURCE: every image of IMAGES_DIR has one map per filter in OUT,
# equal to the core's convolution of the file (convolve tool) within float tolerance.
check_maps() {
    local out="$1" images="$2" source="$3" file filter dir
    local refs="$e2e_dir/reference"
    mkdir -p "$refs"
    for file in "$images"/*.png; do
        dir="$(python3 - "$source" "$file" <<'EOF'
import hashlib, re, sys
source, path = sys.argv[1], sys.argv[2]
image_id = "%s/%s" % (source, hashlib.sha256(open(path, "rb").read()).hexdigest()[:16])
safe = re.sub(r"[^A-Za-z0-9._-]", "_", image_id)
print(safe + "~" + hashlib.sha256(image_id.encode()).hexdigest()[:10])
EOF
)"
        [[ -d "$out/$dir" ]] || fail "no output directory $out/$dir for $file (image missing from the results)"
        for filter in ${filters//,/ }; do
            clients convolve --filter "$filter" "$file" "$refs/$(basename "$file" .png)-$filter.npy" >/dev/null
            python3 - "$out/$dir/$filter.npy" "$refs/$(basename "$file" .png)-$filter.npy" <<'EOF' || fail "map $filter of $file differs from the core (see above)"
import array, ast, sys
def load(path):
    raw = open(path, "rb").read()
    assert raw[:6] == b"\x93NUMPY", path + " is not a .npy file"
    hlen = int.from_bytes(raw[8:10], "little") if raw[6] == 1 else int.from_bytes(raw[8:12], "little")
    start = 10 if raw[6] == 1 else 12
    header = ast.literal_eval(raw[start:start + hlen].decode("latin1"))
    assert header["descr"] == "<f4", "%s: dtype %s" % (path, header["descr"])
    data = array.array("f")
    data.frombytes(raw[start + hlen:])
    return header["shape"], data
(got_shape, got), (want_shape, want) = load(sys.argv[1]), load(sys.argv[2])
if got_shape != want_shape:
    sys.exit("%s: shape %s, the core gives %s" % (sys.argv[1], got_shape, want_shape))
worst = max((abs(a - b) / max(1.0, abs(b)) for a, b in zip(got, want)), default=0.0)
if worst > 1e-5:
    sys.exit("%s: largest relative difference %g from the core" % (sys.argv[1], worst))
EOF
        done
    done
    stack_info "all maps of $(ls "$images"/*.png | wc -l) images ($source) equal the core's convolution"
}

# count_results OUT: prints "<images> <stats records> <distinct (image, filter)>" of OUT/stats.jsonl
count_results() {
    python3 - "$1/stats.jsonl" <<'EOF'
import json, sys
keys = [(d["imageId"], d["filter"]) for d in map(json.loads, open(sys.argv[1]))]
print(len({k[0] for k in keys}), len(keys), len(set(keys)))
EOF
}

step "batch A: producing $per_batch images, consuming and checking against the core"
make_images "$e2e_dir/images-a" a "$per_batch"
clients produce-images --bootstrap "$bootstrap" --source e2e-a --progress none "$e2e_dir/images-a"
clients consume-edges --bootstrap "$bootstrap" --out "$e2e_dir/out-a" --images "$per_batch" \
    --expect-filters "$filter_count" --timeout 180s --dlq --progress none
check_maps "$e2e_dir/out-a" "$e2e_dir/images-a" e2e-a

step "upgrade: stop with a savepoint, resubmit from it"
savepoint="$("$scripts/submit-job.sh" --rest "$rest" --savepoint-and-stop "$job" | tail -n 1)"
[[ "$savepoint" == file:* ]] || fail "no savepoint path printed (got '$savepoint')"
job2="$("$scripts/submit-job.sh" --rest "$rest" --jar "$job_jar" --parallelism 4 --from-savepoint "$savepoint" -- "${job_options[@]}" | tail -n 1)"
[[ "$job2" =~ ^[0-9a-f]{32}$ && "$job2" != "$job" ]] || fail "the resubmission did not print a new job id (got '$job2')"
restored="$(curl -fsS "$rest/jobs/$job2/checkpoints" | stack_json '(d.get("latest") or {}).get("restored") and d["latest"]["restored"]["external_path"] or ""')"
[[ "$restored" == "$savepoint" ]] || fail "job $job2 did not restore from $savepoint (restored: '${restored:-nothing}')"

step "batch B: producing $per_batch more images"
make_images "$e2e_dir/images-b" b "$per_batch"
clients produce-images --bootstrap "$bootstrap" --source e2e-b --progress none "$e2e_dir/images-b"
total=$((2 * per_batch))
clients consume-edges --bootstrap "$bootstrap" --out "$e2e_dir/out-all" --images "$total" \
    --expect-filters "$filter_count" --timeout 180s --dlq --progress none
check_maps "$e2e_dir/out-all" "$e2e_dir/images-b" e2e-b

step "nothing lost or duplicated across the upgrade"
# A second full read that ends by time, not by count, so that late duplicates would be seen.
clients consume-edges --bootstrap "$bootstrap" --out "$e2e_dir/out-final" --timeout 15s --dlq --progress none
read -r images stats distinct <<<"$(count_results "$e2e_dir/out-final")"
stack_info "images: $images (want $total); stats records: $stats; distinct (image, filter): $distinct (want $((total * filter_count)))"
[[ "$images" -eq "$total" ]] || fail "$images images in the results, want $total"
[[ "$stats" -eq $((total * filter_count)) && "$distinct" -eq "$stats" ]] ||
    fail "$stats stats records for $distinct distinct (image, filter) pairs, want exactly $((total * filter_count)) each once"
"$scripts/submit-job.sh" --rest "$rest" --metrics "$job2"

step "stopping the job"
"$scripts/submit-job.sh" --rest "$rest" --savepoint-and-stop "$job2" >/dev/null
