#!/usr/bin/env bash
# Kernel and decoding benchmarks, ours (JMH) and OpenCV's (benchmarks/python/opencv_bench.py) in one run,
# one thread each, printed as one table of medians with the ratio ours/OpenCV and the targets of
# the performance issue.
#
#   scripts/bench-kernels.sh            full run (about 6 minutes)
#   scripts/bench-kernels.sh --quick    short smoke run (about 3 minutes, sizes 1000 only)
#
# Environment: JAVA (the java binary; default: $JAVA_HOME/bin/java, else a JDK 25 in
# /usr/lib/jvm if there is one, else java on PATH; the Vector API is much faster on JDK 25 than
# on 17), OUT (results directory, default target/bench-kernels). Installs Debian's python3-opencv
# with apt-get when /usr/bin/python3 cannot import cv2.
set -euo pipefail

quick=false
for a in "$@"; do
  case "$a" in
    --quick) quick=true ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument '$a'; use --quick or nothing" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${OUT:-$root/target/bench-kernels}"
mkdir -p "$out"
rm -f "$out"/jmh-*.json "$out"/opencv.jsonl

if [[ -z "${JAVA:-}" ]]; then
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    JAVA="$JAVA_HOME/bin/java"
  else
    JAVA="$(ls -d /usr/lib/jvm/*-25-*/bin/java 2>/dev/null | head -n1 || true)"
    JAVA="${JAVA:-java}"
  fi
fi
PY=/usr/bin/python3

echo "== building the benchmarks jar"
mvn -B -q -ntp -pl benchmarks -am package -DskipTests
jar="$root/benchmarks/target/benchmarks.jar"

echo "== OpenCV (Debian python3-opencv)"
if ! "$PY" -c 'import cv2' 2>/dev/null; then
  echo "cv2 missing for $PY: installing python3-opencv with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q python3-opencv >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q python3-opencv >/dev/null; }
fi
"$PY" -c 'import cv2; print("OpenCV", cv2.__version__)'

images="$out/images"
"$JAVA" -cp "$jar" io.edgestream.bench.SyntheticPhoto "$images" 1000 >/dev/null
jpeg="$images/photo-1000.jpg"
png="$images/photo-1000.png"

if $quick; then
  sizes=1000
  jmh_iter=(-f 1 -wi 1 -i 3 -w 1s -r 1s)
  pyquick=(--quick)
else
  sizes=1000,4000
  jmh_iter=(-f 1 -wi 3 -i 7 -w 2s -r 2s)
  pyquick=()
fi
jvm=(-Xms2g -Xmx2g -XX:+AlwaysPreTouch --add-modules jdk.incubator.vector)

run_jmh() { # name regex, extra args...
  local tag="$1"; shift
  echo "== JMH $tag"
  "$JAVA" "${jvm[@]}" -jar "$jar" "$@" "${jmh_iter[@]}" -t 1 \
    -jvmArgsAppend "${jvm[*]} -Dedgestream.bench.images=$images" \
    -rf json -rff "$out/jmh-$tag.json" > "$out/jmh-$tag.log" 2>&1 \
    || { tail -n 30 "$out/jmh-$tag.log" >&2; echo "JMH $tag failed, log: $out/jmh-$tag.log" >&2; exit 1; }
  grep -E 'implementation|bytes\)' "$out/jmh-$tag.log" | sort -u || true
}
run_jmh conv 'ConvolutionBenchmark\.' -p size=$sizes -p impl=fast
run_jmh bank 'ConvolutionBankBenchmark\.' -p size=$sizes
run_jmh gradient 'GradientBenchmark\.' -p size=$sizes
run_jmh decode 'DecodeBenchmark\.'

echo "== OpenCV cases"
"$PY" "$root/benchmarks/python/opencv_bench.py" --sizes "$sizes" --jpeg "$jpeg" --png "$png" "${pyquick[@]}" \
  | tee "$out/opencv.jsonl"

echo
cpu_flags="$(grep -m1 '^flags' /proc/cpuinfo)"
simd="$([[ "$cpu_flags" == *avx512f* ]] && echo AVX-512 || { [[ "$cpu_flags" == *avx2* ]] && echo AVX2 || echo no-AVX2; })"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1)" \
  "(CPU family $(lscpu | sed -n 's/^CPU family: *//p'), model $(lscpu | sed -n 's/^Model: *//p')), $simd, $(nproc) CPUs"
echo "java: $("$JAVA" -version 2>&1 | head -n1); OpenCV $("$PY" -c 'import cv2; print(cv2.__version__)'); one thread each"
echo "mode: $($quick && echo quick || echo full); medians of per-iteration MP/s (JMH) and of repetitions (OpenCV)"
echo
"$PY" "$root/benchmarks/python/report.py" "$out/opencv.jsonl" "$out"/jmh-*.json | tee "$out/table.md"
