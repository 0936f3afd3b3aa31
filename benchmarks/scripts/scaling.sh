# shellcheck shell=bash
# `scripts/bench-pipeline.sh --scaling`: sourced by bench-pipeline.sh after its stack is up (uses
# its functions and variables). Three measurements of the conv job (--filters):
#   1. cost per pixel from 256x256 to 4000x4000: RAW GRAY8 synthetic frames, about
#      SCALING_MP (default 24, at least 4 images) megapixels per size, pre-loaded as blocks of one
#      size after a 1024x1024 warm-up block and run through ONE job; a block's time is the last
#      EdgeStats completedTimeMs of its images minus the previous block's (ns per pixel = 1e9 /
#      pixels per second); the 8192x8192 case is in 3., since a RAW 8192x8192 frame (64 MiB) is
#      larger than the broker's 32 MiB record limit;
#   2. one 8192x8192 RGB JPEG (generated without texture so it stays below max.record.bytes)
#      with TaskManagers restarted at SCALING_BIG_TM_MEMORY (default 2844m process size, which
#      Flink splits into about 1 GB of JVM heap; the -Xmx actually used is printed);
#   3. parallelism 1 vs 2 on 4000x4000 GRAY8: one image at a time (every SCALING_GAP_S = 10 s),
#      5 images, the first not counted; latency = EdgeStats completedTimeMs - captureTimeMs
#      (processing, before the commit) and the time the output became visible.
scaling_mp="${SCALING_MP:-24}"
big_tm_memory="${SCALING_BIG_TM_MEMORY:-2844m}"
gap_s="${SCALING_GAP_S:-10}"
scaling_results="$bench_dir/scaling.jsonl"
: >"$scaling_results"

# scaling_run NAME INPUT EXPECT PARALLELISM EXTRA_JOB_ARGS... : pre-loaded INPUT through the conv job,
# prints the collector's JSON and "t0"
scaling_job() {
    local name="$1" input="$2" expect="$3" p="$4" skip="$5" job
    shift 5
    helper topics "$bootstrap" "$partitions" create $(out_topics "$name")
    collect_start "$name-stats" stats "$expect" "$skip" "$filter_count"
    job="$("$scripts/submit-job.sh" --rest "$rest" --jar "$job_jar" --parallelism "$p" -- \
        --bootstrap.servers "$bootstrap" --topic.images "$input" --topic.maps "$name-maps" \
        --topic.stats "$name-stats" --topic.dlq "$name-dlq" --filters "$filters" \
        --checkpoint.interval.ms "$checkpoint_ms" --starting.offsets earliest \
        --group.id "$name" --job.name "$name" --restart.attempts 0 "$@" 2>/dev/null | tail -n 1)"
    [[ "$job" =~ ^[0-9a-f]{32}$ ]] || stack_die "submitting $name did not print a job id (got '$job')"
    stack_wait_for 120 tasks_running "$job" || { job_exceptions "$job"; stack_die "job $name did not reach RUNNING"; }
    scaling_current_job="$job"
}

scaling_finish() {
    local name="$1"
    collect_wait "$scaling_current_job"
    scaling_t0="$(all_running_since "$scaling_current_job")"
    cancel_job "$scaling_current_job"
    helper topics "$bootstrap" "$partitions" delete $(out_topics "$name")
}

step "scaling 1/3: cost per pixel, RAW GRAY8, about $scaling_mp MP per size, one warm job"
# One job over one topic holding blocks of one size each, in this order: a 1024x1024 warm-up
# block (the JIT compiles the job's code, first checkpoints), then 256 ... 4000. A block's time is
# the last EdgeStats completedTimeMs of its images minus that of the block before: processing
# time, not bound to the checkpoint interval, and measured on warm code for every size.
input="scale-in"
helper topics "$bootstrap" "$partitions" create "$input"
sizes=(1024 256 512 1000 2000 4000)
total=0
seq=0
for size in "${sizes[@]}"; do
    n="$(python3 -c "import math; print(max(4, math.ceil($scaling_mp * 1e6 / ($size * $size))))")"
    half=$((n / 2))
    produce --topic "$input" --synthetic --fps 0 --size "${size}x${size}" --format gray8 --count "$half" --source "${sources[0]}" --start-sequence "$seq"
    produce --topic "$input" --synthetic --fps 0 --size "${size}x${size}" --format gray8 --count $((n - half)) --source "${sources[1]}" --start-sequence $((seq + half))
    seq=$((seq + n))
    total=$((total + n))
done
scaling_job scale-cost "$input" "$total" "$parallelism" 0
scaling_finish scale-cost
j="$(cat "$collector_out")"
helper topics "$bootstrap" "$partitions" delete "$input"
python3 - "$j" "${sizes[*]}" >>"$scaling_results" <<'EOF'
import json, sys
j = json.loads(sys.argv[1])
sizes = [int(x) for x in sys.argv[2].split()]
by = j["by_size"]
for prev, size in zip(sizes, sizes[1:]):
    b = by[str(size)]
    secs = (b["last_completed_ms"] - by[str(prev)]["last_completed_ms"]) / 1000.0
    pps = b["images"] * size * size / secs
    print(json.dumps({"phase": "cost", "size": size, "images": b["images"], "seconds": round(secs, 2), "mp_per_s": pps / 1e6, "ns_per_pixel": 1e9 / pps}))
EOF
log "$(grep '"cost"' "$scaling_results" | tr '\n' ' ')"

step "scaling 2/3: parallelism 1 vs 2, 4000x4000 GRAY8, one image every ${gap_s}s"
for p in 1 2; do
    input="scale-lat-in-p$p"
    helper topics "$bootstrap" "$partitions" create "$input"
    scaling_job "scale-lat-p$p" "$input" 5 "$p" 1
    fps="$(python3 -c "print(1 / $gap_s)")"
    produce --topic "$input" --synthetic --fps "$fps" --size 4000x4000 --format gray8 --count 5 --source "${sources[0]}"
    scaling_finish "scale-lat-p$p"
    j="$(cat "$collector_out")"
    helper topics "$bootstrap" "$partitions" delete "$input"
    python3 - "$p" "$j" >>"$scaling_results" <<'EOF'
import json, sys
j = json.loads(sys.argv[2])
print(json.dumps({"phase": "parallelism", "parallelism": int(sys.argv[1]), "measured": j["measured"], "visible": j["visible"], "processing": j["processing"]}))
EOF
    log "$(tail -n 1 "$scaling_results")"
done

step "scaling 3/3: one 8192x8192 JPEG with TaskManagers of $big_tm_memory process size"
"$scripts/flink-local.sh" stop >&2
start_flink "$big_tm_memory" 2
tm_xmx="$(tr '\0' '\n' <"/proc/$(head -n 1 "$bench_dir/run/flink-taskmanager-1.pid")/cmdline" | grep '^-Xmx' | head -n 1)"
big_dir="$images_dir/jpeg-8192x8192-plain"
mkdir -p "$big_dir"
[[ -f "$big_dir/frame-00000.jpg" ]] || helper jpegs "$big_dir" 1 8192x8192 0
big_bytes="$(stat -c %s "$big_dir/frame-00000.jpg")"
helper topics "$bootstrap" "$partitions" create scale-big-in
produce --topic scale-big-in --source "${sources[0]}" --max-pixels 70000000 "$big_dir/frame-00000.jpg"
scaling_job scale-big scale-big-in 1 "$parallelism" 0 --max.pixels 70000000
scaling_finish scale-big
j="$(cat "$collector_out")"
python3 - "$tm_xmx" "$big_bytes" "$scaling_t0" "$j" >>"$scaling_results" <<'EOF'
import json, sys
j = json.loads(sys.argv[4])
print(json.dumps({"phase": "big", "tm_xmx": sys.argv[1], "jpeg_bytes": int(sys.argv[2]), "complete": j["complete"],
                  "seconds": round((j["last_receive_ms"] - int(sys.argv[3])) / 1000.0, 2), "processing": j["processing"]}))
EOF
log "$(tail -n 1 "$scaling_results")"

step "scaling results"
python3 - "$scaling_results" "$filters" "$cpu_model ($cpu_flags, $(nproc) cores)" "$flink_java_version" "$checkpoint_ms" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("machine: %s; Flink TaskManagers on %s; conv job, filters %s, checkpoint %s ms" % (sys.argv[3], sys.argv[4], sys.argv[2], sys.argv[5]))
print("")
print("| size (RAW GRAY8) | images | seconds | MP/s | ns/pixel |")
print("|---|---|---|---|---|")
cost = [r for r in rows if r["phase"] == "cost"]
for r in cost:
    print("| %dx%d | %d | %.1f | %.2f | %.0f |" % (r["size"], r["size"], r["images"], r["seconds"], r["mp_per_s"], r["ns_per_pixel"]))
if cost:
    ns = [r["ns_per_pixel"] for r in cost]
    print("\ncost per pixel, largest/smallest across sizes: %.2f (target <= 1.5: %s)" % (max(ns) / min(ns), "met" if max(ns) / min(ns) <= 1.5 else "NOT met"))
par = {r["parallelism"]: r for r in rows if r["phase"] == "parallelism"}
if 1 in par and 2 in par:
    print("\n| 4000x4000 GRAY8, one at a time | parallelism 1 | parallelism 2 |")
    print("|---|---|---|")
    for k in ("processing", "visible"):
        print("| %s p50 (ms) | %s | %s |" % (k, par[1][k]["p50"], par[2][k]["p50"]))
    s = par[1]["processing"]["p50"] / max(1, par[2]["processing"]["p50"])
    print("\nspeed-up of processing latency p50 from parallelism 1 to 2: %.2fx (target >= 1.6: %s)" % (s, "met" if s >= 1.6 else "NOT met"))
for r in rows:
    if r["phase"] == "big":
        print("\n8192x8192 RGB JPEG (%d bytes), TaskManager heap %s: %s, %s s from job start to visible output"
              % (r["jpeg_bytes"], r["tm_xmx"], "completed" if r["complete"] == 1 else "DID NOT complete",
                 r["seconds"]))
EOF
