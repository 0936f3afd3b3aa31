# shellcheck shell=bash
# Shared helpers of the local-stack scripts (kafka-local.sh, create-topics.sh, flink-local.sh,
# submit-job.sh). Source it; it defines functions and path variables, and sets the variables of
# stack/stack.env that the environment does not set (stack_load_env); it runs nothing else.
#
# Everything the stack writes lives under .local/ in the repository (ignored by git):
#   .local/lib/{flink,kafka}   jars fetched from Maven Central by stack/{flink,kafka}/pom.xml
#   .local/kafka-data          the broker's log directory (KRaft metadata and topic data)
#   .local/kafka-conf          the generated server.properties and log4j2 configuration
#   .local/flink-conf          the generated Flink config.yaml and log4j configuration
#   .local/flink-state         checkpoints, savepoints, upload and temporary directories
#   .local/logs                every process's log and stdout
#   .local/run                 PID files of the processes the scripts started

# The variables below are used by the scripts that source this file.
# shellcheck disable=SC2034
STACK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STACK_LOCAL="${EDGESTREAM_LOCAL_DIR:-$STACK_ROOT/.local}"
# The fetched jars may be shared between several stacks (e.g. each test class's LocalStack).
STACK_LIB="${EDGESTREAM_LIB_DIR:-$STACK_LOCAL/lib}"
STACK_LOGS="$STACK_LOCAL/logs"
STACK_RUN="$STACK_LOCAL/run"

# Options every Flink JVM needs on Java 17+: the distribution's env.java.opts.all
# (flink-dist/src/main/resources/config.yaml). Without them Kryo and Pekko fail reflectively.
FLINK_JAVA17_OPTS="--add-exports=java.base/sun.net.util=ALL-UNNAMED \
--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED \
--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED \
--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED \
--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED \
--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED \
--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED \
--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED \
--add-opens=java.base/java.lang=ALL-UNNAMED \
--add-opens=java.base/java.net=ALL-UNNAMED \
--add-opens=java.base/java.io=ALL-UNNAMED \
--add-opens=java.base/java.nio=ALL-UNNAMED \
--add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
--add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
--add-opens=java.base/java.text=ALL-UNNAMED \
--add-opens=java.base/java.time=ALL-UNNAMED \
--add-opens=java.base/java.util=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"

stack_info() { printf '%s\n' "$*"; }
# --verbose, which every stack script accepts (or EDGESTREAM_VERBOSE=1): stack_detail then prints
# more of what the script does (the commands it starts, the REST calls, the first log lines of a
# started process), on stderr, so that what a script prints on stdout for others (a job id, a path)
# stays the same. Without it the scripts print progress, results and errors only; the processes
# they start write their logs to .local/logs/.
STACK_VERBOSE="${EDGESTREAM_VERBOSE:-0}"
stack_detail() {
    [[ "$STACK_VERBOSE" == 1 ]] || return 0
    printf '  | %s\n' "$*" >&2
}
stack_warn() { printf 'WARNING: %s\n' "$*" >&2; }
stack_die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

# The stack's shared numbers (record limits, Flink sizes, default ports) live in stack/stack.env,
# which docker/docker-compose.yml reads too. stack_load_env FILE sets each NAME=value of FILE as a
# shell variable unless the environment already sets it non-empty, so the variables the scripts
# document still override the file. Lines must be NAME=value with a plain value (no quotes, spaces
# or references), as Compose reads them the same way; anything else stops the script.
stack_load_env() {
    local file="$1" line name n=0
    [[ -f "$file" ]] || stack_die "missing $file: the stack's shared settings (see stack/ in the repository)"
    while IFS= read -r line || [[ -n "$line" ]]; do
        n=$((n + 1))
        [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
        [[ "$line" =~ ^([A-Z][A-Z0-9_]*)=([A-Za-z0-9._:/-]+)$ ]] ||
            stack_die "$file:$n: want NAME=value (a plain value, no quotes, spaces or comments): $line"
        name="${BASH_REMATCH[1]}"
        [[ -n "${!name:-}" ]] || printf -v "$name" '%s' "${BASH_REMATCH[2]}"
    done <"$file"
}
STACK_CONFIG="$STACK_ROOT/stack"
stack_load_env "$STACK_CONFIG/stack.env"

# stack_usage [EXIT_CODE]: prints the calling script's header comment (from line 2 up to its
# `set -euo pipefail`) as its --help text, and exits (default 0).
stack_usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit "${1:-0}"
}

# stack_require CMD "what to do if missing"
stack_require() {
    command -v "$1" >/dev/null 2>&1 || stack_die "'$1' is not installed or not on PATH. $2"
}

stack_require_java() {
    stack_require java "Install a JDK 17 or newer (e.g. apt-get install -y openjdk-17-jdk-headless)."
    local major
    major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n 1)"
    major="${major%%.*}"
    if [[ -z "$major" || "$major" -lt 17 ]]; then
        stack_die "java on PATH is version '${major:-unknown}', the stack needs Java 17 or newer (set PATH or JAVA_HOME)."
    fi
}

# A version pinned in the root pom, e.g. stack_pom_property flink.version
stack_pom_property() {
    local value
    value="$(sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$STACK_ROOT/pom.xml" | head -n 1)"
    [[ -n "$value" ]] || stack_die "property <$1> not found in $STACK_ROOT/pom.xml"
    printf '%s' "$value"
}

# stack_fetch_jars flink|kafka VERSION: copies the runtime jars into .local/lib/<name> with Maven,
# once per version and stack/<name>/pom.xml (a stamp file records both: a jar added to that pom,
# such as the Prometheus reporter, is fetched by the next start).
stack_fetch_jars() {
    local name="$1" version="$2"
    local dir="$STACK_LIB/$name" stamp="$STACK_LIB/$name/.fetched-version"
    version="$version pom:$(cksum <"$STACK_ROOT/stack/$name/pom.xml" | cut -d ' ' -f 1)"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$version" ]]; then
        return 0
    fi
    stack_require mvn "Install Maven 3.8+ (apt-get install -y maven); it fetches the $name jars from Maven Central."
    stack_info "Fetching $name $version jars into $dir (one-time, needs Maven Central) ..."
    rm -rf "$dir"
    mkdir -p "$dir" "$STACK_LOCAL"
    if ! mvn -B -ntp -q -f "$STACK_ROOT/stack/$name/pom.xml" dependency:copy-dependencies \
        -Dstack.lib.dir="$dir" >"$STACK_LOCAL/fetch-$name.log" 2>&1; then
        tail -n 40 "$STACK_LOCAL/fetch-$name.log" >&2
        stack_die "could not fetch the $name jars with Maven (full log: $STACK_LOCAL/fetch-$name.log)."
    fi
    printf '%s' "$version" >"$stamp"
}

# The PID recorded in a PID file if that process is alive AND its command line contains every
# given marker (so a recycled PID of an unrelated process is never mistaken for ours).
# Prints the PID and returns 0, or returns 1.
stack_live_pid() {
    local pidfile="$1"
    shift
    [[ -f "$pidfile" ]] || return 1
    local pid
    pid="$(head -n 1 "$pidfile")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    [[ -r "/proc/$pid/cmdline" ]] || return 1
    local cmdline
    cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
    local marker
    for marker in "$@"; do
        [[ "$cmdline" == *"$marker"* ]] || return 1
    done
    printf '%s' "$pid"
}

# stack_stop_pid PIDFILE NAME TIMEOUT_SECONDS MARKER...: SIGTERM the recorded process (only if
# its command line carries the markers), wait until it has exited, SIGKILL after the deadline.
stack_stop_pid() {
    local pidfile="$1" name="$2" timeout="$3"
    shift 3
    local pid
    if ! pid="$(stack_live_pid "$pidfile" "$@")"; then
        if [[ -f "$pidfile" ]]; then
            stack_info "$name: not running (stale PID file $pidfile removed)."
            rm -f "$pidfile"
        else
            stack_info "$name: not running."
        fi
        return 0
    fi
    stack_info "$name: stopping PID $pid ..."
    kill -TERM "$pid" 2>/dev/null || true
    if ! stack_wait_for "$timeout" stack_pid_gone "$pid"; then
        stack_warn "$name (PID $pid) did not exit within ${timeout}s after SIGTERM; sending SIGKILL."
        kill -KILL "$pid" 2>/dev/null || true
        stack_wait_for 10 stack_pid_gone "$pid" || stack_die "$name (PID $pid) survived SIGKILL."
    fi
    rm -f "$pidfile"
    stack_info "$name: stopped."
}

stack_pid_gone() { ! kill -0 "$1" 2>/dev/null; }

# stack_wait_for TIMEOUT_SECONDS COMMAND [ARGS...]: polls COMMAND every 0.5 s until it succeeds
# (returns 0) or the deadline passes (returns 1). Callers print what they were waiting for.
stack_wait_for() {
    local timeout="$1"
    shift
    local deadline=$((SECONDS + timeout))
    while ((SECONDS < deadline)); do
        if "$@"; then
            return 0
        fi
        sleep 0.5
    done
    "$@"
}

# True if something accepts TCP connections on HOST PORT.
stack_port_open() {
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# stack_json EXPR: evaluates a Python expression over the JSON document on stdin (bound to `d`)
# and prints the result (strings raw, everything else as JSON). Fails if the input is not JSON.
stack_json() {
    python3 -c '
import json, sys
raw = sys.stdin.read()
try:
    d = json.loads(raw)
except ValueError:
    # Empty input means the producer already failed and said why; do not add noise.
    if raw.strip():
        sys.stderr.write("not a JSON response: %s\n" % raw[:500])
    sys.exit(2)
def num(v):
    # Metric values arrive as numbers or strings (e.g. "NaN" for an empty histogram).
    try:
        return round(float(v), 1)
    except (TypeError, ValueError):
        return v
r = eval(sys.argv[1], {"json": json, "num": num}, {"d": d})
print(r if isinstance(r, str) else json.dumps(r))
' "$1"
}

stack_require_http_tools() {
    stack_require curl "Install it with: apt-get install -y curl"
    stack_require python3 "Install it with: apt-get install -y python3 (used to read JSON responses)."
}

# Prints the last lines of a log file, framed, to stderr (used when a start fails).
stack_log_tail() {
    local file="$1" lines="${2:-40}"
    if [[ -f "$file" ]]; then
        printf -- '----- last %s lines of %s -----\n' "$lines" "$file" >&2
        tail -n "$lines" "$file" >&2
        printf -- '----- end of %s -----\n' "$file" >&2
    else
        printf 'no log file at %s\n' "$file" >&2
    fi
}

# Reads a Java stack trace on stdin and prints its first line and its "Caused by:" chain without
# the frames (the last line printed is the root cause).
stack_trace_summary() {
    grep -vE '^[[:space:]]+(at |\.\.\. [0-9]+ more)' | grep -vE '^[[:space:]]*$' | awk 'NR == 1 || /^Caused by:/' | tail -n 6
}
