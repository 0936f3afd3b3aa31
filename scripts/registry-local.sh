#!/usr/bin/env bash
# A real schema registry on the loopback interface: Apicurio Registry (the prebuilt Quarkus server
# io.apicurio:apicurio-registry-app, the version pinned in the root pom), in-memory storage, the
# global compatibility rule BACKWARD. Clients use its Confluent-compatible API at
# http://127.0.0.1:PORT/apis/ccompat/v7 (printed by start): the tools' --registry URL and the
# job's registry.url.
#
# Usage: scripts/registry-local.sh start|stop|status [--port N] [--management-port N]
#
#   start   fetches the server once (.local/lib/apicurio-registry), starts it in the background
#           with a Java 21+ (see below) and waits until its health endpoint says ready (deadline:
#           REGISTRY_START_TIMEOUT, default 120 s); on failure prints the log tail.
#   stop    ends only the registry this script started (PID in .local/run/registry.pid, checked
#           against its command line) and waits until it has exited. Its schemas are in memory:
#           they are gone after a stop.
#   status  prints running/stopped and the URL.
#
# scripts/kafka-local.sh start --registry starts it next to the broker, and kafka-local.sh stop
# stops it too.
#
# Java: the registry needs Java 21 or newer, which need not be the java on PATH (the rest of the
# stack runs on 17): EDGESTREAM_REGISTRY_JAVA_HOME if set (it must be 21+), else java on PATH if it
# is 21+, else the newest JDK 21+ under /usr/lib/jvm; none found is an error saying so. The same
# rule as the tests' io.edgestream.testing.registry.ApicurioRegistry.
#
# Environment (defaults from stack/stack.env): REGISTRY_PORT (8085), REGISTRY_MANAGEMENT_PORT
# (8086, the health endpoint), REGISTRY_HEAP (256m); EDGESTREAM_REGISTRY_HOME (an unpacked
# distribution to use instead of fetching one), REGISTRY_START_TIMEOUT (120 s),
# EDGESTREAM_LOCAL_DIR (default .local).
set -euo pipefail
# shellcheck source=lib/stack.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"

command="${1:-}"
[[ -n "$command" ]] || stack_usage 1
shift
port="$REGISTRY_PORT"
management_port="$REGISTRY_MANAGEMENT_PORT"
while [[ $# -gt 0 ]]; do
    case "$1" in
    --port) port="$2"; shift 2 ;;
    --management-port) management_port="$2"; shift 2 ;;
    -h | --help) stack_usage 0 ;;
    *) stack_die "unknown option '$1' (see: $0 --help)" ;;
    esac
done
for n in port management_port; do
    [[ "${!n}" =~ ^[1-9][0-9]*$ ]] || stack_die "--${n//_/-} must be a positive number, got '${!n}'"
done

host=127.0.0.1
name=stack
run_dir="$STACK_LOCAL/registry"
pid_file="$STACK_RUN/registry.pid"
log_file="$STACK_LOGS/registry.log"
url_file="$STACK_RUN/registry.url"
# Markers that must appear in the command line of the process behind the PID file (the
# ApicurioRegistry launcher's marker property, so its stop(pid, name) accepts it too).
markers=("-Dedgestream.registry=$name" "quarkus-run.jar")

# The feature release of the JDK at $1 (from its release file), or nothing.
java_major() {
    [[ -x "$1/bin/java" && -f "$1/release" ]] || return 0
    sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9]*\).*/\1/p' "$1/release" | head -n 1
}

# Prints the Java 21+ home to run the registry with, or dies saying how to get one.
registry_java_home() {
    local home major best="" best_major=0
    if [[ -n "${EDGESTREAM_REGISTRY_JAVA_HOME:-}" ]]; then
        major="$(java_major "$EDGESTREAM_REGISTRY_JAVA_HOME")"
        ((${major:-0} >= 21)) ||
            stack_die "EDGESTREAM_REGISTRY_JAVA_HOME=$EDGESTREAM_REGISTRY_JAVA_HOME is not a Java 21+ home (found ${major:+Java }${major:-no bin/java and release file}); point it at a JDK 21+ or unset it."
        printf '%s' "$EDGESTREAM_REGISTRY_JAVA_HOME"
        return 0
    fi
    if command -v java >/dev/null 2>&1; then
        home="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p' | head -n 1)"
        major="$(java_major "$home")"
        if ((${major:-0} >= 21)); then
            printf '%s' "$home"
            return 0
        fi
    fi
    for home in /usr/lib/jvm/*; do
        major="$(java_major "$home")"
        if ((${major:-0} >= 21 && ${major:-0} > best_major)); then
            best="$home"
            best_major="$major"
        fi
    done
    [[ -n "$best" ]] ||
        stack_die "Apicurio Registry needs Java 21+ and none was found (java on PATH is older, nothing under /usr/lib/jvm): set EDGESTREAM_REGISTRY_JAVA_HOME to a JDK 21+ home, or install one (e.g. apt-get install -y temurin-25-jdk or openjdk-21-jdk-headless)."
    printf '%s' "$best"
}

# Prints the unpacked distribution (the folder with quarkus-run.jar), fetching it once.
registry_home() {
    if [[ -n "${EDGESTREAM_REGISTRY_HOME:-}" ]]; then
        [[ -f "$EDGESTREAM_REGISTRY_HOME/quarkus-run.jar" ]] ||
            stack_die "EDGESTREAM_REGISTRY_HOME=$EDGESTREAM_REGISTRY_HOME has no quarkus-run.jar; unset it to fetch the server."
        printf '%s' "$EDGESTREAM_REGISTRY_HOME"
        return 0
    fi
    local version dir
    version="$(stack_pom_property apicurio.registry.version)"
    dir="$STACK_LIB/apicurio-registry-$version"
    if [[ ! -f "$dir/quarkus-run.jar" ]]; then
        stack_require mvn "Install Maven 3.8+ (apt-get install -y maven); it fetches the registry server from Maven Central."
        stack_info "Fetching Apicurio Registry $version into $dir (one-time, about 100 MB, needs Maven Central) ..." >&2
        mkdir -p "$STACK_LOCAL"
        if ! mvn -B -ntp -q -f "$STACK_ROOT/stack/registry/pom.xml" dependency:unpack \
            -Dstack.lib.dir="$dir" >"$STACK_LOCAL/fetch-registry.log" 2>&1; then
            tail -n 40 "$STACK_LOCAL/fetch-registry.log" >&2
            stack_die "could not fetch the registry server with Maven (full log: $STACK_LOCAL/fetch-registry.log)."
        fi
        [[ -f "$dir/quarkus-run.jar" ]] || stack_die "the fetched registry in $dir has no quarkus-run.jar (see $STACK_LOCAL/fetch-registry.log)."
    fi
    printf '%s' "$dir"
}

registry_url() { printf 'http://%s:%s/apis/ccompat/v7' "$host" "$1"; }

ready() {
    # Liveness by PID, readiness by the management health endpoint answering 200.
    kill -0 "$1" 2>/dev/null || return 2
    curl -fsS -o /dev/null --max-time 5 "http://$host:$management_port/health/ready" 2>/dev/null
}

start() {
    stack_require curl "Install it with: apt-get install -y curl"
    local pid
    if pid="$(stack_live_pid "$pid_file" "${markers[@]}")"; then
        stack_info "Apicurio Registry is already running (PID $pid) at $(cat "$url_file" 2>/dev/null)"
        return 0
    fi
    for p in "$port" "$management_port"; do
        if stack_port_open "$host" "$p"; then
            stack_die "port $p on $host is already in use by another process; choose others with --port N --management-port N (or REGISTRY_PORT, REGISTRY_MANAGEMENT_PORT)."
        fi
    done
    local java_home home
    java_home="$(registry_java_home)"
    home="$(registry_home)"
    mkdir -p "$run_dir/config" "$STACK_LOGS" "$STACK_RUN"
    # Quarkus reads config/application.properties from its working directory: none needed.
    printf '# Written by scripts/registry-local.sh: settings are on the command line.\n' >"$run_dir/config/application.properties"
    : >"$log_file"
    stack_info "Starting Apicurio Registry $(stack_pom_property apicurio.registry.version) on $host:$port (Java: $java_home) ..."
    # The same command line as io.edgestream.testing.registry.ApicurioRegistry.command.
    (cd "$run_dir" && exec nohup "$java_home/bin/java" -Xmx"$REGISTRY_HEAP" -XX:+UseSerialGC \
        "-Dedgestream.registry=$name" \
        -Dquarkus.http.host="$host" -Dquarkus.http.port="$port" \
        -Dquarkus.management.host="$host" -Dquarkus.management.port="$management_port" \
        -Dapicurio.rules.global.compatibility=BACKWARD \
        -Dquarkus.otel.sdk.disabled=true \
        -jar "$home/quarkus-run.jar" >>"$log_file" 2>&1 </dev/null) &
    local launched=$!
    echo "$launched" >"$pid_file"
    registry_url "$port" >"$url_file"
    local timeout="${REGISTRY_START_TIMEOUT:-120}" deadline rc
    deadline=$((SECONDS + timeout))
    while true; do
        rc=0
        ready "$launched" || rc=$?
        if [[ $rc -eq 0 ]]; then
            break
        fi
        if [[ $rc -eq 2 ]]; then
            stack_log_tail "$log_file"
            rm -f "$pid_file" "$url_file"
            stack_die "Apicurio Registry exited during start-up (log above)."
        fi
        if ((SECONDS >= deadline)); then
            stack_log_tail "$log_file"
            stack_die "Apicurio Registry was not ready on $host:$management_port within ${timeout}s; it is still running (PID $launched): inspect the log above, then run '$0 stop'."
        fi
        sleep 0.5
    done
    stack_info "Apicurio Registry is running (PID $launched)."
    stack_info "  registry URL: $(registry_url "$port")"
    stack_info "  log:          $log_file"
}

status() {
    local pid
    if pid="$(stack_live_pid "$pid_file" "${markers[@]}")"; then
        stack_info "Apicurio Registry: running (PID $pid) at $(cat "$url_file" 2>/dev/null); log $log_file"
    else
        stack_info "Apicurio Registry: stopped (would listen at $(registry_url "$port"))"
        return 3
    fi
}

case "$command" in
start) start ;;
stop)
    stack_stop_pid "$pid_file" "Apicurio Registry" "${REGISTRY_STOP_TIMEOUT:-30}" "${markers[@]}"
    rm -f "$url_file"
    ;;
status) status ;;
-h | --help) stack_usage 0 ;;
*) stack_die "unknown command '$command': use start, stop or status (see $0 --help)" ;;
esac
