#!/usr/bin/env bash
# Submits the edge job to any Flink cluster through its REST API (no Flink CLI needed), and
# stops it with a savepoint for upgrades.
#
# Usage:
#   scripts/submit-job.sh [--rest URL] [--jar PATH] [--parallelism N] [--entry-class CLASS]
#                         [--from-savepoint PATH [--allow-non-restored-state]]
#                         [--] [job options...]
#   scripts/submit-job.sh [--rest URL] --savepoint-and-stop JOB_ID [--savepoint-dir DIR] [--drain]
#   scripts/submit-job.sh [--rest URL] --last-checkpoint JOB_ID
#   scripts/submit-job.sh [--rest URL] --placement JOB_ID
#   scripts/submit-job.sh [--rest URL] --list
#
#   --rest                 the cluster's REST address (default $FLINK_REST, else
#                          http://localhost:$FLINK_REST_PORT, 8081 in stack/stack.env)
#   --jar                  the job jar (default: flink-job/target/edgestream-flink-job-*-job.jar)
#   --parallelism          job parallelism (default: the cluster's parallelism.default)
#   --entry-class          main class (default: the jar manifest's Main-Class)
#   --from-savepoint PATH  start from a savepoint (the path printed by --savepoint-and-stop)
#   --allow-non-restored-state  accept savepoint state that no operator of the new job claims
#   --savepoint-and-stop   take a savepoint, stop the job, wait until both are done and print the
#                          savepoint path (stdout, last line)
#   --savepoint-dir DIR    savepoint target (default: the cluster's
#                          execution.checkpointing.savepoint-dir)
#   --drain                emit end-of-input before stopping (flushes windows/timers; do not
#                          use when the job will be resumed from the savepoint)
#   --last-checkpoint      prints the path of the job's latest completed checkpoint (stdout, last
#                          line). The job keeps it when it fails or is cancelled (the job's default
#                          checkpoint.retention), so after a FAILED job or a cancel:
#                            CHK=$(scripts/submit-job.sh --last-checkpoint JOB_ID | tail -n 1)
#                            scripts/submit-job.sh --from-savepoint "$CHK" -- <same job options>
#                          resumes exactly once. Asks the REST API, else looks for the newest
#                          chk-N of the job under the local stack's checkpoint directory.
#   --placement            prints, for each operator of a job, which TaskManagers run its subtasks
#   --list                 prints the cluster's jobs
#   --metrics JOB_ID       prints the job's own metrics summed over subtasks (images in/out, tiles,
#                          tiles/s, stats out, map tiles and bytes out, dead letters by reason,
#                          end-to-end latency; docs/metrics.md)
#   --skip-if-running NAME do not submit when a job named NAME is already running (or being
#                          created/restarted): print its id instead (for repeatable setups)
#   --timeout SECONDS      deadline for each wait (default 180)
#   --verbose              also print each REST call and its HTTP status (on stderr)
# Everything else (or everything after --) is passed to the job's main() unchanged, e.g.
#   scripts/submit-job.sh --parallelism 4 -- --bootstrap.servers 127.0.0.1:9092 --filters sobel
# On success the job id is the last line of stdout.
set -euo pipefail
# shellcheck source=lib/stack.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"

rest="${FLINK_REST:-http://localhost:$FLINK_REST_PORT}"
jar=""
parallelism=""
entry_class=""
from_savepoint=""
allow_non_restored=false
stop_job=""
savepoint_dir=""
drain=false
placement_job=""
checkpoint_job=""
metrics_job=""
list=false
skip_if_running=""
timeout=180
job_args=()
while [[ $# -gt 0 ]]; do
    # Options that take a value must have one (and not swallow the next option).
    case "$1" in
    --rest | --jar | --parallelism | --entry-class | --from-savepoint | --savepoint-and-stop | \
        --savepoint-dir | --placement | --last-checkpoint | --metrics | --timeout | --skip-if-running)
        [[ $# -ge 2 && -n "$2" && "$2" != --* ]] || stack_die "$1 needs a value (see: $0 --help)"
        ;;
    esac
    case "$1" in
    --rest) rest="$2"; shift 2 ;;
    --jar) jar="$2"; shift 2 ;;
    --parallelism) parallelism="$2"; shift 2 ;;
    --entry-class) entry_class="$2"; shift 2 ;;
    --from-savepoint) from_savepoint="$2"; shift 2 ;;
    --allow-non-restored-state) allow_non_restored=true; shift ;;
    --savepoint-and-stop) stop_job="$2"; shift 2 ;;
    --savepoint-dir) savepoint_dir="$2"; shift 2 ;;
    --drain) drain=true; shift ;;
    --placement) placement_job="$2"; shift 2 ;;
    --last-checkpoint) checkpoint_job="$2"; shift 2 ;;
    --metrics) metrics_job="$2"; shift 2 ;;
    --list) list=true; shift ;;
    --verbose) STACK_VERBOSE=1; shift ;;
    --skip-if-running) skip_if_running="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    -h | --help) stack_usage 0 ;;
    --) shift; job_args+=("$@"); break ;;
    *) job_args+=("$1"); shift ;;
    esac
done
rest="${rest%/}"
[[ -z "$parallelism" || "$parallelism" =~ ^[1-9][0-9]*$ ]] || stack_die "--parallelism must be a positive number, got '$parallelism'"
[[ "$timeout" =~ ^[1-9][0-9]*$ ]] || stack_die "--timeout must be a positive number of seconds, got '$timeout'"
stack_require_http_tools

# http METHOD PATH [curl args...]: prints the response body; dies with the body on HTTP errors.
http() {
    local method="$1" path="$2" body code
    shift 2
    body="$(mktemp)"
    if ! code="$(curl -sS --max-time 120 -o "$body" -w '%{http_code}' -X "$method" "$@" "$rest$path")"; then
        rm -f "$body"
        stack_die "cannot reach the Flink REST API at $rest ($method $path): is the cluster running? (scripts/flink-local.sh status)"
    fi
    stack_detail "$method $rest$path -> HTTP $code"
    if [[ "$code" != 2* ]]; then
        local text
        text="$(python3 -c 'import json,sys
try:
    d = json.load(open(sys.argv[1]))
    print("\n".join(d.get("errors", [])) or json.dumps(d))
except Exception:
    print(open(sys.argv[1], errors="replace").read()[:4000])' "$body")"
        rm -f "$body"
        stack_die "$method $rest$path answered HTTP $code:
$(stack_trace_summary <<<"$text")"
    fi
    cat "$body"
    rm -f "$body"
}

json_post() {
    http POST "$1" -H 'Content-Type: application/json' --data-binary "$2"
}

job_state() {
    http GET "/jobs/$1" | stack_json 'd["state"]'
}

# wait_job_state JOB_ID STATE...: waits until the job is in one of the states; dies if it ends
# in another terminal state or the deadline passes.
wait_job_state() {
    local job="$1" state deadline
    shift
    deadline=$((SECONDS + timeout))
    while true; do
        state="$(job_state "$job")"
        local want
        for want in "$@"; do
            [[ "$state" == "$want" ]] && return 0
        done
        case "$state" in
        FAILED | CANCELED | FINISHED)
            local cause
            cause="$(http GET "/jobs/$job/exceptions" | stack_json '(d.get("exceptionHistory", {}).get("entries") or [{}])[0].get("stacktrace", "")' | stack_trace_summary || true)"
            stack_die "job $job is $state (wanted $*). Root exception:
${cause:-none reported; see the JobManager log}"
            ;;
        esac
        ((SECONDS < deadline)) || stack_die "job $job is still $state after ${timeout}s (wanted $*); see $rest/#/job/running/$job/overview"
        sleep 0.5
    done
}

default_jar() {
    local candidates
    candidates="$(compgen -G "$STACK_ROOT/flink-job/target/edgestream-flink-job-*-job.jar" || true)"
    [[ -n "$candidates" ]] || stack_die "no job jar at flink-job/target/edgestream-flink-job-*-job.jar: build it with 'mvn -B -ntp -pl flink-job -am package -DskipTests', or pass --jar PATH."
    [[ "$(wc -l <<<"$candidates")" -eq 1 ]] || stack_die "several job jars match flink-job/target/edgestream-flink-job-*-job.jar; pass --jar PATH."
    printf '%s' "$candidates"
}

submit() {
    if [[ -n "$skip_if_running" ]]; then
        local existing
        existing="$(http GET /jobs/overview | python3 -c '
import json, sys
active = ("INITIALIZING", "CREATED", "RUNNING", "RESTARTING", "FAILING", "CANCELLING", "RECONCILING")
print(" ".join(j["jid"] for j in json.load(sys.stdin)["jobs"] if j["name"] == sys.argv[1] and j["state"] in active))' "$skip_if_running")"
        if [[ -n "$existing" ]]; then
            stack_info "A job named '$skip_if_running' is already active ($existing): not submitting again." >&2
            printf '%s\n' "${existing##* }"
            return 0
        fi
    fi
    [[ -n "$jar" ]] || jar="$(default_jar)"
    [[ -f "$jar" ]] || stack_die "job jar '$jar' does not exist."
    stack_info "Uploading $jar ($(du -h "$jar" | cut -f1)) to $rest ..." >&2
    local upload jar_id
    upload="$(http POST /jars/upload -H 'Expect:' -F "jarfile=@$jar;type=application/java-archive")"
    [[ "$(stack_json 'd.get("status")' <<<"$upload")" == "success" ]] || stack_die "upload failed: $upload"
    jar_id="$(stack_json 'd["filename"].rsplit("/", 1)[-1]' <<<"$upload")"

    if [[ -z "$parallelism" ]]; then
        # A REST run without a parallelism gets parallelism.default's built-in default (1), not
        # the cluster's setting: ask the cluster for it, as the flink CLI would apply it.
        parallelism="$(http GET /jobmanager/config | stack_json 'next((e["value"] for e in d if e["key"] == "parallelism.default"), "")')"
        [[ -z "$parallelism" ]] || stack_info "Parallelism: the cluster's parallelism.default ($parallelism)." >&2
    fi
    local request
    request="$(python3 -c '
import json, sys
entry, parallelism, savepoint, allow = sys.argv[1:5]
req = {"programArgsList": sys.argv[5:]}
if entry: req["entryClass"] = entry
if parallelism: req["parallelism"] = int(parallelism)
if savepoint:
    req["savepointPath"] = savepoint
    req["allowNonRestoredState"] = allow == "true"
print(json.dumps(req))' "$entry_class" "$parallelism" "$from_savepoint" "$allow_non_restored" ${job_args[@]+"${job_args[@]}"})"
    stack_info "Running jar $jar_id${from_savepoint:+ from savepoint $from_savepoint} ..." >&2
    local job run_ok=true
    job="$(json_post "/jars/$jar_id/run" "$request" | stack_json 'd["jobid"]')" || run_ok=false
    # The cluster has shipped the jar to its blob server with the job: the uploaded copy is no
    # longer needed, and deleting it keeps repeated submissions from filling web.upload.dir.
    http DELETE "/jars/$jar_id" >/dev/null || stack_warn "could not delete the uploaded jar $jar_id"
    [[ "$run_ok" == true ]] || exit 1
    wait_job_state "$job" RUNNING
    # A RUNNING job may still be deploying its tasks: wait until every task runs, so that the
    # caller can rely on the sources consuming (and --placement showing every subtask).
    local deadline=$((SECONDS + timeout)) pending
    while true; do
        pending="$(http GET "/jobs/$job" | stack_json 'sum(1 for v in d["vertices"] if v["status"] not in ("RUNNING", "FINISHED"))')"
        [[ "$pending" == 0 ]] && break
        ((SECONDS < deadline)) || stack_die "job $job: $pending operators still not running after ${timeout}s (not enough free slots?); see $rest/#/job/running/$job/overview"
        sleep 0.5
    done
    stack_info "Job $job is RUNNING (all tasks deployed)." >&2
    stack_info "  dashboard: $rest/#/job/running/$job/overview" >&2
    stack_info "  stop with a savepoint: $0 --rest $rest --savepoint-and-stop $job" >&2
    printf '%s\n' "$job"
}

savepoint_and_stop() {
    local job="$stop_job" request trigger deadline result status
    request="$(python3 -c '
import json, sys
req = {"drain": sys.argv[2] == "true", "formatType": "CANONICAL"}
if sys.argv[1]: req["targetDirectory"] = sys.argv[1]
print(json.dumps(req))' "$savepoint_dir" "$drain")"
    stack_info "Stopping job $job with a savepoint${savepoint_dir:+ in $savepoint_dir} ..." >&2
    trigger="$(json_post "/jobs/$job/stop" "$request" | stack_json 'd["request-id"]')"
    deadline=$((SECONDS + timeout))
    while true; do
        result="$(http GET "/jobs/$job/savepoints/$trigger")"
        status="$(stack_json 'd["status"]["id"]' <<<"$result")"
        if [[ "$status" == "COMPLETED" ]]; then
            break
        fi
        ((SECONDS < deadline)) || stack_die "the savepoint of job $job is still $status after ${timeout}s."
        sleep 0.5
    done
    local failure location
    failure="$(stack_json '(d.get("operation") or {}).get("failure-cause", {}).get("stack-trace", "") if (d.get("operation") or {}).get("failure-cause") else ""' <<<"$result")"
    [[ -z "$failure" ]] || stack_die "stop-with-savepoint of job $job failed (if the job exists, it keeps running):
$(stack_trace_summary <<<"$failure")"
    location="$(stack_json 'd["operation"]["location"]' <<<"$result")"
    wait_job_state "$job" FINISHED
    stack_info "Job $job stopped (FINISHED); savepoint:" >&2
    printf '%s\n' "$location"
}

placement() {
    local job="$placement_job"
    local vertices
    vertices="$(http GET "/jobs/$job")"
    local line vid
    while IFS=$'\t' read -r vid line; do
        printf '%s: %s\n' "$line" "$(http GET "/jobs/$job/vertices/$vid/taskmanagers" |
            stack_json '", ".join("%s x%d" % (t["taskmanager-id"], sum(t["status-counts"].values())) for t in d["taskmanagers"])')"
    done < <(stack_json '"\n".join("%s\t%s (parallelism %d)" % (v["id"], v["name"], v["parallelism"]) for v in d["vertices"])' <<<"$vertices")
}

# The edge job's own metrics (group edgestream, docs/metrics.md) plus the convolution's input rate,
# aggregated over the subtasks of each operator: counters summed, latency percentiles as the
# worst subtask's.
metrics() {
    local job="$metrics_job" vid ids counters latencies
    local pattern='\.edgestream\.(imagesIn|tilesOut|tilesConvolved|int16FallbackMaps|statsOut|imagesOut|duplicateTiles|mapTilesOut|mapBytesOut|reason\.[A-Z_]+\.deadLetters)$'
    for vid in $(http GET "/jobs/$job" | stack_json '" ".join(v["id"] for v in d["vertices"])'); do
        ids="$(http GET "/jobs/$job/vertices/$vid/subtasks/metrics" | stack_json '"\n".join(sorted(m["id"] for m in d))')"
        counters="$(grep -E "$pattern" <<<"$ids" || true)"
        # tiles/s: the input rate of the operator that counts tilesConvolved.
        counters+=$'\n'"$(grep -E '\.edgestream\.tilesConvolved$' <<<"$ids" | sed 's/edgestream\.tilesConvolved$/numRecordsInPerSecond/' || true)"
        latencies="$(grep -E '\.endToEndLatencyMs_(median|p99|max)$' <<<"$ids" || true)"
        if [[ -n "${counters//$'\n'/}" ]]; then
            http GET "/jobs/$job/vertices/$vid/subtasks/metrics?get=$(paste -sd, <<<"$(grep . <<<"$counters")")&agg=sum" |
                stack_json '"\n".join("%-70s %s" % (m["id"].replace("numRecordsInPerSecond", "tiles per second (in)"), num(m["sum"])) for m in sorted(d, key=lambda m: m["id"]) if not (m["id"].endswith(".deadLetters") and num(m["sum"]) == 0))'
        fi
        if [[ -n "$latencies" ]]; then
            # Per subtask, because the REST max aggregate is NaN as soon as one subtask has not
            # seen an image yet; subtasks without samples are skipped here.
            local parallelism i all=""
            parallelism="$(http GET "/jobs/$job/vertices/$vid" | stack_json 'd["parallelism"]')"
            for ((i = 0; i < parallelism; i++)); do
                all+="$(http GET "/jobs/$job/vertices/$vid/subtasks/$i/metrics?get=$(paste -sd, <<<"$latencies")")"$'\n'
            done
            python3 -c '
import json, math, sys
worst = {}
for line in sys.stdin:
    for m in json.loads(line) if line.strip() else []:
        try:
            v = float(m["value"])
        except ValueError:
            continue
        if not math.isnan(v):
            worst[m["id"]] = max(v, worst.get(m["id"], v))
for k in sorted(worst):
    print("%-70s %s" % (k + " (ms, worst subtask)", round(worst[k], 1)))' <<<"$all"
        fi
    done
    stack_info "(dead-letter reasons with a count of 0 are not shown)"
}

# The latest completed checkpoint of a job: what the REST API reports while the JobManager still
# knows the job, else the newest chk-N under the local stack's checkpoint directory.
last_checkpoint() {
    local job="$checkpoint_job" path=""
    if path="$(curl -sS --max-time 30 -f "$rest/jobs/$job/checkpoints" 2>/dev/null |
        stack_json '((d.get("latest") or {}).get("completed") or {}).get("external_path") or ""' 2>/dev/null)" &&
        [[ -n "$path" && "$path" != "<checkpoint-not-externally-addressable>" ]]; then
        stack_info "Latest completed checkpoint of job $job (from $rest):" >&2
        printf '%s\n' "$path"
        return 0
    fi
    local dir
    dir="$(sed -n 's|^execution.checkpointing.dir: *file://||p' "$STACK_LOCAL/flink-conf/config.yaml" 2>/dev/null || true)"
    [[ -n "$dir" && -d "$dir/$job" ]] || stack_die "no completed checkpoint of job $job: the REST API at $rest does not report one, and there is no ${dir:-checkpoint directory}/$job. Was the job started with checkpoint.retention RETAIN_ON_CANCELLATION (the default) and did a checkpoint complete?"
    path="$(find "$dir/$job" -maxdepth 1 -type d -name 'chk-*' -exec test -f '{}/_metadata' ';' -print | sort -t- -k2 -n | tail -n 1)"
    [[ -n "$path" ]] || stack_die "no completed checkpoint (chk-N with _metadata) under $dir/$job."
    stack_info "Latest completed checkpoint of job $job (from $dir):" >&2
    printf 'file://%s\n' "$path"
}

list_jobs() {
    http GET /jobs/overview | stack_json '"\n".join("%s  %-9s %s" % (j["jid"], j["state"], j["name"]) for j in d["jobs"]) or "no jobs"'
}

if [[ -n "$stop_job" ]]; then
    savepoint_and_stop
elif [[ -n "$placement_job" ]]; then
    placement
elif [[ -n "$checkpoint_job" ]]; then
    last_checkpoint
elif [[ -n "$metrics_job" ]]; then
    metrics
elif [[ "$list" == true ]]; then
    list_jobs
else
    submit
fi
