#!/usr/bin/env bash
# The Vector API kernels on two JDKs side by side. Each JMH case runs on A, B, B, A (a drift in
# the machine's load falls on both JDKs alike), one thread, one fork, 2 warm-up and 3 measured
# iterations of 1 s (ITER below); the median of each JDK's measured iterations and their ratio B/A are
# printed, with the load average before each run. Short on purpose: a comparison, not the kernel
# figures of docs/performance.md (scripts/bench-kernels.sh).
#
#   benchmarks/scripts/jdk-compare.sh [JAVA_A JAVA_B]
#
# Default A: /usr/lib/jvm/java-17-openjdk-amd64/bin/java; default B: the first JDK 25 under
# /usr/lib/jvm. Needs benchmarks/target/benchmarks.jar
# (mvn -B -ntp -pl benchmarks -am package -DskipTests). Raw logs: target/jdk-compare (or $OUT).
# Waits while another JMH run holds JMH's machine-wide lock. ITER overrides the iterations
# (e.g. ITER='-wi 6 -i 3 -w 2s -r 2s' when a loaded machine leaves the JIT too little time to
# warm up), ONLY='tile' keeps the cases whose name contains it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
a="${1:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}"
b="${2:-$(ls -d /usr/lib/jvm/*-25-*/bin/java 2>/dev/null | head -n1 || true)}"
[[ -x "$a" && -x "$b" ]] || { echo "need two java binaries, got A='$a' B='$b'" >&2; exit 2; }
jar="$root/benchmarks/target/benchmarks.jar"
[[ -f "$jar" ]] || { echo "no $jar: mvn -B -ntp -pl benchmarks -am package -DskipTests" >&2; exit 2; }
out="${OUT:-$root/target/jdk-compare}"
mkdir -p "$out"
jvm="-Xms2g -Xmx2g -XX:+AlwaysPreTouch --add-modules=jdk.incubator.vector"
iter="${ITER:--wi 2 -i 3 -w 1s -r 1s}"

# tag | JMH regex | parameters
cases=(
  "conv 3x3 1000x1000|ConvolutionBenchmark.sobel3x3|-p size=1000 -p impl=fast"
  "bank 4x3x3 1000x1000|ConvolutionBankBenchmark.onePass|-p size=1000"
  "tile GRAY8 maps+stats|TileBenchmark.mapsAndStats|-p channels=1 -p samples=integer"
  "tile RGB8 maps+stats|TileBenchmark.mapsAndStats|-p channels=3 -p samples=integer"
  "fused gradient 1000x1000|GradientBenchmark.gradient|-p size=1000 -p impl=fused"
)

echo "A: $("$a" -version 2>&1 | head -n1)"
echo "B: $("$b" -version 2>&1 | head -n1)"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) CPUs; JMH: -f 1 $iter -t 1"
printf '%-26s %12s %12s %7s  %s\n' case "A (MP/s)" "B (MP/s)" "B/A" "load before each run"
i=0
for c in "${cases[@]}"; do
  IFS='|' read -r tag re params <<<"$c"
  i=$((i + 1))
  [[ "$tag" == *"${ONLY:-}"* ]] || continue
  loads=()
  for run in 1 2 3 4; do
    java=$a; side=A
    if [[ $run == 2 || $run == 3 ]]; then java=$b; side=B; fi
    log="$out/case$i-$side-$run.log"
    loads+=("$(cut -d' ' -f1 /proc/loadavg)")
    # shellcheck disable=SC2086
    until "$java" $jvm -jar "$jar" "$re" $params -f 1 $iter -t 1 \
      -jvmArgsAppend "$jvm" >"$log" 2>&1; do
      grep -q "Unable to acquire the JMH lock" "$log" \
        || { tail -n 20 "$log" >&2; echo "JMH failed: $log" >&2; exit 1; }
      sleep 15
    done
  done
  # The megapixels per second of each measured iteration (for TileBenchmark: tile pixels).
  med() { grep -h -E '^ +megapixels:' "$@" | awk '{print $2}' | sort -g \
    | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
  ma="$(med "$out/case$i-A-1.log" "$out/case$i-A-4.log")"
  mb="$(med "$out/case$i-B-2.log" "$out/case$i-B-3.log")"
  printf '%-26s %12.0f %12.0f %6.2fx  %s\n' "$tag" "$ma" "$mb" \
    "$(awk -v x="$mb" -v y="$ma" 'BEGIN {print x / y}')" "${loads[*]}"
done
