#!/usr/bin/env bash
# Shared by produce-images.sh, consume-edges.sh and convolve.sh: find the repository, build the
# clients jar if it is missing or older than any source it is made from, and run one tool.
# Source it; do not run it.

# The repository root: the directory above scripts/.
edgestream_root() {
  cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd
}

# Builds clients/target/edgestream-clients.jar when it is missing or stale.
edgestream_clients_jar() {
  local root jar
  root="$(edgestream_root)"
  jar="$root/clients/target/edgestream-clients.jar"
  # Stale = any pom or main source of the modules it bundles is newer than the jar.
  if [[ ! -f "$jar" ]] || [[ -n "$(find "$root/pom.xml" "$root/clients" "$root/imaging" "$root/schemas" \
        -path '*/target' -prune -o \( -name pom.xml -o -path '*/src/main/*' \) -type f -newer "$jar" -print -quit)" ]]; then
    echo "Building $jar (first run, or sources changed) ..." >&2
    local log
    log="$(mktemp)"
    # Quiet on success; the whole Maven log on failure.
    if ! (cd "$root" && mvn -B -q -ntp -pl clients -am package -DskipTests -Dspotless.check.skip) >"$log" 2>&1; then
      cat "$log" >&2
      rm -f "$log"
      echo "Building the clients jar failed (log above)." >&2
      return 1
    fi
    rm -f "$log"
  fi
  printf '%s\n' "$jar"
}

# shellcheck source=java.sh
source "$(dirname "${BASH_SOURCE[0]}")/java.sh"

# Runs one tool of the clients jar with the remaining arguments and exits with its exit code.
edgestream_run_tool() {
  local tool="$1" jar
  shift
  jar="$(edgestream_clients_jar)"
  # JAVA_OPTS may add e.g. -Xmx4g for very large images.
  if [[ "$tool" == convolve ]]; then
    # The Vector API module makes convolution ~10x faster; its startup notice is filtered out.
    # shellcheck disable=SC2086
    edgestream_run_vector_java ${JAVA_OPTS:-} -jar "$jar" "$tool" "$@" || exit $?
    exit 0
  else
    # produce-images and consume-edges convolve nothing: no incubator module, no notice.
    # shellcheck disable=SC2086
    exec java ${JAVA_OPTS:-} -jar "$jar" "$tool" "$@"
  fi
}
