#!/usr/bin/env bash
# Failover check on the real multi-process stack: a TaskManager process is killed with SIGKILL
# while the job runs, and every image must still come out exactly once and correct.
#   1. starts its own Kafka broker and a Flink session cluster with 2 TaskManagers x 2 slots
#      (own ports and state under .local/e2e-failover, so it can run next to or right after
#      scripts/e2e-stack.sh);
#   2. submits the job with parallelism 2 (the surviving TaskManager's 2 slots can hold it),
#      checkpoints every second and a bounded fixed-delay restart strategy;
#   3. starts batch A, a synthetic camera streaming RGB frames at a fixed rate in the background
#      (the producer tool's --synthetic --fps), waits until the first results are committed (a probe
#      consumer, read_committed, has read one complete image) and, while frames still flow, kills
#      with SIGKILL the TaskManager process that runs the most subtasks (PID from
#      .local/e2e-failover/run, checked against its command line);
#   4. pushes batch B, PNG files, while the job recovers, waits until the job restored a
#      checkpoint (not a savepoint), runs again with all tasks on the surviving TaskManager
#      (numRestarts increased) and has completed a checkpoint since;
#   5. waits (consumer tool, read_committed) until every image of both batches is complete,
#      stops the job, reads everything once more (timed, so late duplicates would be seen) and
#      checks: one EdgeStats per (image, filter), exactly the tiles each map needs (tiles read =
#      sum of the stats' tileCount, none ignored as duplicate), no dead letter, and every map
#      equal to the core's convolution of its input (the PNG file, or the camera's frame
#      regenerated from its sequence number);
#   6. stops the stack and checks that none of its processes is left.
# Prints FAILOVER PASSED and exits 0 only if every check passed. Needs: Java 17+, Maven (first
# run), curl, python3.
#
# Usage: scripts/e2e-failover.sh [--camera-frames N] [--camera-fps F] [--images-per-batch N]
#   --camera-frames    frames of batch A (default 45); --camera-fps their rate (default 3), so
#                      the camera streams for about 15 s and the kill hits flowing input
#   --images-per-batch PNG files of batch B (default 10)
# Environment: FAILOVER_KAFKA_PORT (29092), FAILOVER_FLINK_REST_PORT (28081),
#   FAILOVER_FLINK_RPC_PORT (26123), FAILOVER_TIMEOUT (deadline of each wait, 150 s),
#   FAILOVER_FINAL_READ (length of the final timed read, 15 s).
set -euo pipefail
# shellcheck source=lib/stack.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"

per_batch=10
camera_frames=45
camera_fps=3
while [[ $# -gt 0 ]]; do
    case "$1" in
    --camera-frames) camera_frames="$2"; shift 2 ;;
    --camera-fps) camera_fps="$2"; shift 2 ;;
    --images-per-batch) per_batch="$2"; shift 2 ;;
    -h | --help)
        sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
        exit 0
        ;;
    *) stack_die "unknown option '$1' (see: $0 --help)" ;;
    esac
done
[[ "$per_batch" =~ ^[1-9][0-9]*$ ]] || stack_die "--images-per-batch must be a positive number, got '$per_batch'"
[[ "$camera_frames" =~ ^[1-9][0-9]*$ ]] || stack_die "--camera-frames must be a positive number, got '$camera_frames'"
[[ "$camera_fps" =~ ^[0-9]+([.][0-9]+)?$ ]] || stack_die "--camera-fps must be a number, got '$camera_fps'"

scripts="$STACK_ROOT/scripts"
fo_dir="$STACK_ROOT/.local/e2e-failover"
# Own state, logs, PIDs and ports; the fetched jars are shared with the default stack.
export EDGESTREAM_LOCAL_DIR="$fo_dir"
export EDGESTREAM_LIB_DIR="$STACK_ROOT/.local/lib"
export KAFKA_PORT="${FAILOVER_KAFKA_PORT:-29092}"
export FLINK_REST_PORT="${FAILOVER_FLINK_REST_PORT:-28081}"
export FLINK_RPC_PORT="${FAILOVER_FLINK_RPC_PORT:-26123}"
wait_timeout="${FAILOVER_TIMEOUT:-150}"
final_read="${FAILOVER_FINAL_READ:-15}"
bootstrap="127.0.0.1:$KAFKA_PORT"
rest="http://localhost:$FLINK_REST_PORT"
filters="sobel,laplacian"
filter_count=2
tile_size=128
camera_size=640x480
camera_pid=""
probe_pid=""
parallelism=2
job_jar_glob="$STACK_ROOT/flink-job/target/edgestream-flink-job-*-job.jar"
clients_jar="$STACK_ROOT/clients/target/edgestream-clients.jar"
tm_class="org.apache.flink.runtime.taskexecutor.TaskManagerRunner"
started=$SECONDS

step() { printf '\n=== [%3ds] %s\n' "$((SECONDS - started))" "$*"; }
fail() { stack_die "FAILOVER FAILED: $*"; }

cleanup() {
    local rc=$?
    trap - EXIT
    step "stopping the failover stack"
    # The background camera and probe consumer, if this script is ending before they finished.
    local pid
    for pid in $camera_pid $probe_pid; do
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    "$scripts/flink-local.sh" stop || rc=1
    "$scripts/kafka-local.sh" stop || rc=1
    # Only processes of this stack carry its config directories on their command line.
    if pgrep -f "$fo_dir/(kafka-conf|flink-conf)" >/dev/null; then
        pgrep -fa "$fo_dir/(kafka-conf|flink-conf)" >&2
        stack_warn "processes of the failover stack are still running (listed above)"
        rc=1
    else
        stack_info "no process of the failover stack is left"
    fi
    if [[ $rc -eq 0 ]]; then
        printf '\nFAILOVER PASSED in %ds\n' "$((SECONDS - started))"
    else
        printf '\nFAILOVER FAILED (exit %s) after %ds; logs in %s/logs\n' "$rc" "$((SECONDS - started))" "$fo_dir" >&2
    fi
    exit "$rc"
}

stack_require_java
stack_require_http_tools

# A previous run's stack (killed before its cleanup) must not be reused: stop it, then start clean.
"$scripts/flink-local.sh" stop >/dev/null
"$scripts/kafka-local.sh" stop >/dev/null
rm -rf "$fo_dir"
mkdir -p "$fo_dir"
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "building the job and clients jars (if missing)"
if ! compgen -G "$job_jar_glob" >/dev/null || [[ ! -f "$clients_jar" ]]; then
    (cd "$STACK_ROOT" && mvn -B -ntp -q -pl flink-job,clients -am package -DskipTests -Dspotless.check.skip)
fi
job_jar="$(compgen -G "$job_jar_glob" | head -n 1)"
stack_info "job jar: $job_jar ($(du -h "$job_jar" | cut -f1))"

clients() {
    java --add-modules jdk.incubator.vector -jar "$clients_jar" "$@" 2> >(grep -v 'Using incubator modules' >&2)
}

# get PATH: the REST response body (fails quietly if the cluster does not answer).
get() { curl -fsS --max-time 10 "$rest$1"; }

job_field() { get "/jobs/$job" | stack_json "$1"; }

# The JobManager's numRestarts metric (the REST API refreshes metrics every few seconds).
num_restarts() {
    get "/jobs/$job/metrics?get=numRestarts" | stack_json 'str(int(float(d[0]["value"]))) if d else "0"'
}

completed_checkpoints() { get "/jobs/$job/checkpoints" | stack_json 'str(d["counts"]["completed"])'; }

# Dies with the job's root exception if the job reached a terminal state.
check_job_alive() {
    local state
    state="$(job_field 'd["state"]' 2>/dev/null)" || return 0
    case "$state" in
    FAILED | CANCELED | FINISHED)
        local cause
        cause="$(get "/jobs/$job/exceptions" | stack_json '(d.get("exceptionHistory", {}).get("entries") or [{}])[0].get("stacktrace", "")' | stack_trace_summary || true)"
        fail "job $job is $state (restart attempts used up?). Root exception:
${cause:-none reported; see $fo_dir/logs/flink-jobmanager.log}"
        ;;
    esac
}

# wait_until WHAT COMMAND...: polls COMMAND (and the job's health) until it succeeds or the
# deadline passes.
wait_until() {
    local what="$1" deadline=$((SECONDS + wait_timeout))
    shift
    while ! "$@"; do
        check_job_alive
        ((SECONDS < deadline)) || fail "$what did not happen within ${wait_timeout}s (job $job: $rest/#/job/running/$job/overview)"
        sleep 0.5
    done
}

# make_images DIR PREFIX N: N different RGB PNG files of sizes that need several tiles (stripes,
# a gradient and a disc: edges of every orientation). Row slices keep it fast in pure Python.
make_images() {
    python3 - "$@" <<'EOF'
import math, os, struct, sys, zlib
out, prefix, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(out, exist_ok=True)
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
shift = [bytes((j + s) % 256 for j in range(256)) for s in range(256)]
for i in range(n):
    w, h = 560 + 29 * i, 400 + 17 * i
    seed = sum(map(ord, prefix)) * 131 + i * 977
    stripes = [bytes(255 if ((x + seed) // 23 + p) % 2 else 40 for x in range(w)) for p in (0, 1)]
    gradient = bytes((3 * x) % 256 for x in range(w))
    cx, cy, r = w // 2, h // 2, min(w, h) // 3
    raw = bytearray()
    for y in range(h):
        row = bytearray(3 * w)
        row[0::3] = stripes[(y // 19) % 2]
        row[1::3] = gradient.translate(shift[(5 * y + seed) % 256])
        blue = bytearray(b"\x0a" * w)
        dy2 = (y - cy) ** 2
        if dy2 < r * r:
            k = math.isqrt(r * r - dy2 - 1)  # (x - cx)^2 + dy^2 < r^2
            blue[max(0, cx - k):min(w, cx + k + 1)] = b"\xc8" * (min(w, cx + k + 1) - max(0, cx - k))
        row[2::3] = blue
        raw += b"\x00" + row
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(bytes(raw), 6)) + chunk(b"IEND", b"")
    with open(os.path.join(out, "%s-%02d.png" % (prefix, i)), "wb") as f:
        f.write(png)
EOF
}

# verify_maps OUT INPUT...: every input has one .npy per filter in OUT equal to the core's
# convolution (ConvolveFile, the convolve tool's code) of that input, all in one JVM. An INPUT is
# png:SOURCE:DIR (every PNG file of DIR, sent with --source SOURCE) or
# camera:SOURCE:COUNT:WxH (the synthetic camera's RGB frames 0..COUNT-1, regenerated).
verify_maps() {
    local src="$fo_dir/VerifyMaps.java"
    cat >"$src" <<'EOF'
import io.edgestream.clients.consume.NpyReader;
import io.edgestream.clients.consume.SafeNames;
import io.edgestream.clients.convolve.ConvolveFile;
import io.edgestream.clients.produce.SyntheticCamera;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.decode.DecodeLimits;
import io.edgestream.imaging.decode.ImageDecoder;
import io.edgestream.imaging.filter.Filters;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.schemas.PixelFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Compares the maps the consumer wrote with the core's convolution of the inputs. */
public class VerifyMaps {
    static final List<String> problems = new ArrayList<>();
    static int maps;

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        String[] filters = args[1].split(",");
        for (int a = 2; a < args.length; a++) {
            String[] in = args[a].split(":", 5);
            if (in[0].equals("png")) {
                List<Path> pngs;
                try (Stream<Path> s = Files.list(Path.of(in[2]))) {
                    pngs = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
                }
                for (Path png : pngs) {
                    // The producer's image id: <source>/<first 16 hex digits of the SHA-256>.
                    byte[] sha = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(png));
                    String id = in[1] + "/" + HexFormat.of().formatHex(sha).substring(0, 16);
                    check(out, id, ConvolveFile.read(png), filters, png.toString());
                }
            } else {
                int count = Integer.parseInt(in[2]);
                int w = Integer.parseInt(in[3].split("x")[0]);
                int h = Integer.parseInt(in[3].split("x")[1]);
                SyntheticCamera cam = new SyntheticCamera(w, h, PixelFormat.RGB8);
                for (int seq = 0; seq < count; seq++) {
                    // The producer's synthetic image id: <source>/<6-digit sequence>.
                    String id = String.format(Locale.ROOT, "%s/%06d", in[1], seq);
                    ImageF32 frame = ImageDecoder.decode(cam.frame(seq), "RAW", w, h, cam.channels(),
                            "RGB8", DecodeLimits.DEFAULT).toF32();
                    check(out, id, frame, filters, "camera frame " + seq);
                }
            }
        }
        problems.forEach(p -> System.err.println("  " + p));
        if (!problems.isEmpty()) {
            System.err.println(problems.size() + " maps are missing or differ from the core");
            System.exit(1);
        }
        System.out.println("all " + maps + " maps equal the core's convolution of their inputs");
    }

    static void check(Path out, String id, ImageF32 image, String[] filters, String what) throws Exception {
        Path dir = out.resolve(SafeNames.of(id));
        for (String filter : filters) {
            Path got = dir.resolve(SafeNames.of(filter) + ".npy");
            if (!Files.isRegularFile(got)) {
                problems.add(what + " (" + id + "): no " + filter + " map at " + got);
                continue;
            }
            ImageF32 want = ConvolveFile.compute(image, Filters.parse(filter), ConvParams.DEFAULT);
            ImageF32 have = NpyReader.read(got);
            maps++;
            if (have.width != want.width || have.height != want.height || have.channels != want.channels) {
                problems.add(got + ": " + have.width + "x" + have.height + "x" + have.channels
                        + ", the core gives " + want.width + "x" + want.height + "x" + want.channels);
                continue;
            }
            double worst = 0;
            for (int y = 0; y < want.height; y++) {
                for (int x = 0; x < want.width; x++) {
                    for (int c = 0; c < want.channels; c++) {
                        float v = want.get(x, y, c);
                        worst = Math.max(worst, Math.abs(have.get(x, y, c) - v) / Math.max(1.0, Math.abs(v)));
                    }
                }
            }
            if (!(worst <= 1e-5)) {
                problems.add(got + " (" + what + "): largest relative difference " + worst + " from the core");
            }
        }
    }
}
EOF
    # The source launcher compiles the file first: its notes about the incubator module are noise.
    java --add-modules jdk.incubator.vector -cp "$clients_jar" "$src" "$1" "$filters" "${@:2}" \
        2> >(grep -vE 'Using incubator modules|using incubating module|^1 warning$' >&2)
}

step "starting Kafka ($bootstrap) and Flink ($rest, 2 TaskManagers x 2 slots)"
"$scripts/kafka-local.sh" start
"$scripts/create-topics.sh" --bootstrap "$bootstrap" --partitions 4
"$scripts/flink-local.sh" start --taskmanagers 2 --slots 2

step "submitting the job (parallelism $parallelism, checkpoint every 1 s, at most 5 restarts)"
job="$("$scripts/submit-job.sh" --rest "$rest" --jar "$job_jar" --parallelism "$parallelism" -- \
    --bootstrap.servers "$bootstrap" --filters "$filters" --tile.size "$tile_size" \
    --checkpoint.interval.ms 1000 --restart.strategy fixed-delay --restart.attempts 5 --restart.delay.ms 2000 | tail -n 1)"
[[ "$job" =~ ^[0-9a-f]{32}$ ]] || fail "submit-job.sh did not print a job id (got '$job')"
"$scripts/submit-job.sh" --rest "$rest" --placement "$job"

step "making the $per_batch PNG images of batch B"
make_images "$fo_dir/images-b" b "$per_batch"
total=$((camera_frames + per_batch))

# The TaskManager to kill: the one running the most subtasks (with 2 TaskManagers and
# parallelism 2, both slots may be on one of them).
victim_tm="$(for vid in $(job_field '" ".join(v["id"] for v in d["vertices"])'); do
    get "/jobs/$job/vertices/$vid/taskmanagers"
    echo
done | python3 -c '
import collections, json, sys
count = collections.Counter()
for line in sys.stdin:
    if line.strip():
        for t in json.loads(line)["taskmanagers"]:
            count[t["taskmanager-id"]] += sum(t["status-counts"].values())
print(max(sorted(count), key=lambda k: count[k]))')"
[[ "$victim_tm" =~ ^taskmanager-[0-9]+$ ]] || fail "cannot tell which TaskManager runs the job's tasks (got '$victim_tm')"
victim_pid="$(stack_live_pid "$fo_dir/run/flink-$victim_tm.pid" "$tm_class" "$fo_dir/flink-conf" "taskmanager.resource-id=$victim_tm")" ||
    fail "no live process recorded for $victim_tm in $fo_dir/run/flink-$victim_tm.pid"
survivor_tm="$(get /taskmanagers | stack_json "[t['id'] for t in d['taskmanagers'] if t['id'] != '$victim_tm'][0]")"
stack_info "will kill $victim_tm (PID $victim_pid); $survivor_tm survives"

restarts_before="$(num_restarts)"

# bg_running PID: a background child still running (kill -0 also succeeds for a zombie).
bg_running() {
    local state
    state="$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" && [[ -n "$state" && "$state" != Z ]]
}

step "batch A: a synthetic camera streams $camera_frames RGB frames ($camera_size) at $camera_fps fps in the background"
# A probe reads (read_committed) until the first image of batch A is complete: then some output
# is committed. It starts first so that its JVM start-up overlaps the camera's. Both run java
# directly (not the clients function), so that $! is the tool's own PID.
java --add-modules jdk.incubator.vector -jar "$clients_jar" consume-edges --bootstrap "$bootstrap" \
    --out "$fo_dir/out-probe" --images 1 --expect-filters "$filter_count" --timeout "${wait_timeout}s" \
    --progress none >"$fo_dir/probe.log" 2>&1 </dev/null &
probe_pid=$!
java --add-modules jdk.incubator.vector -jar "$clients_jar" produce-images --bootstrap "$bootstrap" \
    --synthetic --count "$camera_frames" --fps "$camera_fps" --size "$camera_size" --format rgb8 \
    --source fo-cam --progress lines >"$fo_dir/camera.log" 2>&1 </dev/null &
camera_pid=$!
camera_started=$SECONDS
probe_done() { ! bg_running "$probe_pid"; }
wait_until "the first committed image of batch A (probe consumer, $fo_dir/probe.log)" probe_done
probe_rc=0
wait "$probe_pid" || probe_rc=$?
probe_pid=""
[[ $probe_rc -eq 0 ]] || fail "the probe consumer exited with $probe_rc before reading a complete image: $(grep -v 'incubator' "$fo_dir/probe.log" | tail -n 5)"
checkpoints_at_kill="$(completed_checkpoints)"
if bg_running "$camera_pid"; then
    camera_flowing="yes, $((SECONDS - camera_started))s into its ~$(python3 -c "print(round($camera_frames / $camera_fps))")s stream"
else
    camera_flowing="no"
    stack_warn "the camera finished before the first output was committed: the kill does not hit flowing input this time (raise --camera-frames or lower --camera-fps on a slow machine)"
fi

step "kill -9 $victim_tm (PID $victim_pid)"
# Re-check the command line right before the signal: the PID must still be that TaskManager.
[[ "$(stack_live_pid "$fo_dir/run/flink-$victim_tm.pid" "$tm_class" "$fo_dir/flink-conf" "taskmanager.resource-id=$victim_tm")" == "$victim_pid" ]] ||
    fail "PID $victim_pid is no longer $victim_tm; refusing to signal it"
kill -KILL "$victim_pid"
killed_at=$SECONDS
killed_ms="$(date +%s%3N)"
stack_wait_for 10 stack_pid_gone "$victim_pid" || fail "$victim_tm (PID $victim_pid) survived SIGKILL"
stack_info "killed while the camera was still sending: $camera_flowing ($checkpoints_at_kill checkpoints completed before the kill)"

step "batch B: producing $per_batch images while the job recovers"
clients produce-images --bootstrap "$bootstrap" --source fo-b --progress none "$fo_dir/images-b"
stack_info "batch B sent $((SECONDS - killed_at))s after the kill (restarts so far: $(num_restarts || echo '?'))"

restarted() {
    local n
    n="$(num_restarts)" || return 1
    [[ "$n" -gt "$restarts_before" ]] || return 1
}
# Running again: every task RUNNING on the surviving TaskManager, state restored from a
# checkpoint (not a savepoint), and a checkpoint completed since the restore.
recovered() {
    local doc
    doc="$(get "/jobs/$job")" || return 1
    [[ "$(stack_json 'd["state"] == "RUNNING" and all(v["status"] == "RUNNING" for v in d["vertices"])' <<<"$doc")" == true ]] || return 1
    doc="$(get "/jobs/$job/checkpoints")" || return 1
    restore="$(stack_json '"%s %s" % (d["latest"]["restored"]["id"], d["latest"]["restored"]["is_savepoint"]) if (d.get("latest") or {}).get("restored") else ""' <<<"$doc")"
    [[ -n "$restore" && "${restore#* }" == False ]] || return 1
    [[ "$(stack_json '(d["latest"].get("completed") or {}).get("id", 0)' <<<"$doc")" -gt "${restore%% *}" ]]
}
wait_until "a restart of job $job after the kill" restarted
wait_until "the recovery of job $job (all tasks RUNNING, checkpoint restored, a new checkpoint completed)" recovered
recovered_at=$SECONDS
restarts_after="$(num_restarts)"
# When the JobManager declared the TaskManager lost and restarted the job (its own timestamp).
restart_ms="$(job_field 'str(d["timestamps"].get("RESTARTING", 0))')"
detected="$(python3 -c "print('%.1f' % (($restart_ms - $killed_ms) / 1000))")"
stack_info "restarts (numRestarts): $restarts_before -> $restarts_after; the job went RESTARTING ${detected}s after the kill, all tasks were running again and a checkpoint completed after $((recovered_at - killed_at))s; restored checkpoint ${restore%% *}"
placement="$("$scripts/submit-job.sh" --rest "$rest" --placement "$job")"
printf '%s\n' "$placement"
if grep -q "$victim_tm" <<<"$placement"; then
    fail "tasks are placed on the killed $victim_tm"
fi
[[ "$(get /taskmanagers | stack_json 'len(d["taskmanagers"])')" -ge 1 ]] || fail "no TaskManager is registered after the kill"

camera_rc=0
wait "$camera_pid" || camera_rc=$?
camera_pid=""
grep -v 'Using incubator modules' "$fo_dir/camera.log" | tail -n 3
[[ $camera_rc -eq 0 ]] || fail "the synthetic camera (batch A) exited with $camera_rc; its output is in $fo_dir/camera.log"

step "waiting until all $total images are complete (read_committed)"
if ! clients consume-edges --bootstrap "$bootstrap" --out "$fo_dir/out-complete" --images "$total" \
    --expect-filters "$filter_count" --timeout "${wait_timeout}s" --dlq --progress none; then
    fail "not all $total images were complete within ${wait_timeout}s after the recovery (see the consumer's summary above)"
fi
complete_at=$SECONDS

step "stopping the job, then reading everything once more"
"$scripts/submit-job.sh" --rest "$rest" --savepoint-and-stop "$job" >/dev/null
# Ends by time, not by count, so that a late duplicate would be read too; the job is stopped, so
# nothing more can arrive.
final_log="$fo_dir/final-read.txt"
clients consume-edges --bootstrap "$bootstrap" --out "$fo_dir/out-final" --timeout "${final_read}s" --dlq \
    --progress none | tee "$final_log" ||
    fail "the final read failed or skipped unreadable records (its summary is above)"

step "accounting: every (image, filter) once, every tile once, nothing dead-lettered"
# The consumer writes a map (.npy) and its stats line only when every tile of the map is there,
# and counts every tile and stats record it reads (duplicates included).
read -r images_read maps_read tiles_read stats_read dup_read dead_read < <(python3 - "$final_log" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"(\d+) images complete, (\d+) maps written to .* \((\d+) tiles, (\d+) stats records(?:, (\d+) duplicates ignored)?\)", text)
if not m:
    sys.exit("the consumer printed no summary line")
dead = re.search(r"(\d+) dead letters", text)
print(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5) or 0, dead.group(1) if dead else "?")
EOF
) || fail "cannot read the consumer's summary in $final_log"
read -r stats_lines distinct_pairs stats_images tiles_needed < <(python3 - "$fo_dir/out-final/stats.jsonl" <<'EOF'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
pairs = {(r["imageId"], r["filter"]) for r in rows}
print(len(rows), len(pairs), len({r["imageId"] for r in rows}), sum(int(r["tileCount"]) for r in rows))
EOF
) || fail "cannot read $fo_dir/out-final/stats.jsonl"
npy_files="$(find "$fo_dir/out-final" -name '*.npy' | wc -l)"
want_maps=$((total * filter_count))
stack_info "images complete: $images_read (want $total); maps (.npy): $npy_files (want $want_maps)"
stack_info "EdgeStats read: $stats_read, lines in stats.jsonl: $stats_lines, distinct (image, filter): $distinct_pairs (want $want_maps each)"
stack_info "tiles read: $tiles_read, tiles the maps need (sum of tileCount): $tiles_needed; duplicates ignored: $dup_read; dead letters: $dead_read"
[[ "$images_read" -eq "$total" && "$stats_images" -eq "$total" ]] || fail "$images_read complete images ($stats_images with stats), want $total"
[[ "$npy_files" -eq "$want_maps" && "$maps_read" -eq "$want_maps" ]] || fail "$npy_files maps written, want $want_maps (an image lacks a complete map)"
[[ "$stats_read" -eq "$want_maps" && "$stats_lines" -eq "$want_maps" && "$distinct_pairs" -eq "$want_maps" ]] ||
    fail "$stats_read EdgeStats records for $distinct_pairs distinct (image, filter) pairs, want exactly $want_maps, each once"
[[ "$tiles_read" -eq "$tiles_needed" && "$dup_read" -eq 0 ]] ||
    fail "$tiles_read tiles read for $tiles_needed needed ($dup_read ignored as duplicates): tiles were delivered twice or are missing"
[[ "$dead_read" == 0 ]] || fail "$dead_read dead letters (want none; the consumer printed them above)"

step "checking every map against the core's convolution"
verify_maps "$fo_dir/out-final" "camera:fo-cam:$camera_frames:$camera_size" "png:fo-b:$fo_dir/images-b" ||
    fail "maps differ from the core (listed above)"

stack_info "timings: kill at ${killed_at}s, RESTARTING +${detected}s, running again +$((recovered_at - killed_at))s, all images complete +$((complete_at - killed_at))s (since the start of this script: ${killed_at}s, ${recovered_at}s, ${complete_at}s)"
