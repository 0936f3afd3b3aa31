#!/usr/bin/env python3
"""Joins JMH JSON results and opencv_bench.py JSON lines into the table of bench-kernels.sh.

Usage: report.py OPENCV_JSONL JMH_JSON... ; medians of the per-iteration MP/s of each benchmark.
"""
import json
import statistics
import sys


def jmh_mps(files):
    """{(benchmark short name, params tuple): median MP/s} from JMH's -rf json output."""
    out = {}
    for f in files:
        try:
            runs = json.load(open(f))
        except (OSError, ValueError):
            continue
        for r in runs:
            name = ".".join(r["benchmark"].split(".")[-2:])  # Class.method
            params = tuple(sorted((r.get("params") or {}).items()))
            mp = r.get("secondaryMetrics", {}).get("megapixels")
            if not mp:
                continue
            raw = [v for fork in mp["rawData"] for v in fork]
            out[(name, params)] = statistics.median(raw)
    return out


def find(jmh, name, **params):
    want = set((k, str(v)) for k, v in params.items())
    for (n, p), v in jmh.items():
        if (n == name or n.startswith(name + ".")) and want <= set(p):
            return v
    return None


def main():
    cv = {}
    for line in open(sys.argv[1]):
        line = line.strip()
        if line.startswith("{"):
            d = json.loads(line)
            cv[(d["case"], d["size"])] = d["mps"]
    jmh = jmh_mps(sys.argv[2:])
    rows = []

    def row(case, ours, base, target, base_label="OpenCV"):
        ratio = ours / base if ours and base else None
        verdict = "n/a" if ratio is None or target is None else ("PASS" if ratio >= target else "FAIL")
        rows.append((case, ours, base, ratio, target, verdict, base_label))

    for n, t in ((1000, 1.2), (4000, 1.0)):
        row(f"3x3 float32 {n}x{n} vs filter2D", find(jmh, "ConvolutionBenchmark", size=n, impl="fast"),
            cv.get(("filter2d_3x3_f32", n)), t)
    for n in (1000, 4000):
        row(f"fused gradient {n}x{n} vs Sobel+Sobel+magnitude",
            find(jmh, "GradientBenchmark", size=n, impl="fused"),
            cv.get(("sobel_sobel_magnitude_u8", n)), 2.0)
    for n in (1000, 4000):
        row(f"  (unfused ours: u8->f32, 2 conv, magnitude) {n}x{n}",
            find(jmh, "GradientBenchmark", size=n, impl="separate"),
            cv.get(("sobel_sobel_magnitude_u8", n)), None)
    for n in (1000, 4000):
        row(f"filter bank 4x3x3 {n}x{n} vs 4 separate passes (ours)",
            find(jmh, "ConvolutionBankBenchmark.onePass", size=n),
            find(jmh, "ConvolutionBankBenchmark.separate", size=n), 2.0, "ours x4")
    for fmt, case in (("jpeg", "decode_jpeg"), ("png", "decode_png")):
        row(f"{fmt.upper()} decode 1000x1000 RGB (product decoder)",
            find(jmh, "DecodeBenchmark", codec=f"{fmt}:edgestream"), cv.get((case, 1000)), 0.7)
        for dec in ("jdk", "twelvemonkeys"):
            v = find(jmh, "DecodeBenchmark", codec=f"{fmt}:{dec}")
            if v is not None:
                row(f"  ({fmt.upper()} via {dec} ImageIO reader, reused BufferedImage)", v,
                    cv.get((case, 1000)), None)

    def f(v, p="{:.0f}"):
        return "-" if v is None else p.format(v)

    print("| case | ours MP/s | baseline MP/s | ratio | target | result |")
    print("|---|---:|---:|---:|---:|---|")
    for case, ours, base, ratio, target, verdict, label in rows:
        base_s = f(base) + ("" if label == "OpenCV" else f" ({label})")
        print(f"| {case} | {f(ours)} | {base_s} | {f(ratio, '{:.2f}x')} | "
              f"{f(target, '>= {:.1f}x')} | {verdict} |")


if __name__ == "__main__":
    main()
