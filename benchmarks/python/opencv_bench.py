#!/usr/bin/env python3
"""OpenCV side of scripts/bench-kernels.sh: the same cases as the JMH benchmarks, one thread.

Prints one JSON object per line: {"case": ..., "size": N, "mps": median MP/s, "reps": R}.
Uses Debian's python3-opencv (run with /usr/bin/python3). Cases:
  filter2d  - cv2.filter2D, 3x3 float32 kernel (Sobel x), float32 image, dst reused
  gradient  - cv2.Sobel dx + cv2.Sobel dy (CV_32F from 8-bit) + cv2.magnitude, dsts reused
  jpeg/png  - cv2.imdecode(IMREAD_COLOR) of the files given with --jpeg/--png
"""
import argparse
import json
import time

import cv2
import numpy as np


def median_mps(fn, pixels, reps, warmup):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return pixels / float(np.median(times)) / 1e6


def emit(case, size, mps, reps):
    print(json.dumps({"case": case, "size": size, "mps": round(mps, 1), "reps": reps}), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,4000")
    ap.add_argument("--jpeg")
    ap.add_argument("--png")
    ap.add_argument("--quick", action="store_true", help="few repetitions, for a smoke run")
    args = ap.parse_args()
    cv2.setNumThreads(1)
    cv2.setUseOptimized(True)
    rng = np.random.default_rng(42)
    kernel = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], np.float32)
    for n in (int(s) for s in args.sizes.split(",")):
        reps = (5 if args.quick else 41) if n <= 1000 else (3 if args.quick else 11)
        warm = 2 if args.quick else 5
        img_f = rng.integers(0, 256, (n, n)).astype(np.float32)
        dst = np.empty_like(img_f)
        emit("filter2d_3x3_f32", n,
             median_mps(lambda: cv2.filter2D(img_f, cv2.CV_32F, kernel, dst=dst), n * n, reps, warm),
             reps)
        img_u8 = rng.integers(0, 256, (n, n), dtype=np.uint8)
        gx = np.empty((n, n), np.float32)
        gy = np.empty_like(gx)
        mag = np.empty_like(gx)

        def gradient():
            cv2.Sobel(img_u8, cv2.CV_32F, 1, 0, dst=gx, ksize=3)
            cv2.Sobel(img_u8, cv2.CV_32F, 0, 1, dst=gy, ksize=3)
            cv2.magnitude(gx, gy, mag)  # the binding takes dst positionally only

        emit("sobel_sobel_magnitude_u8", n, median_mps(gradient, n * n, reps, warm), reps)
    for case, path in (("decode_jpeg", args.jpeg), ("decode_png", args.png)):
        if not path:
            continue
        buf = np.frombuffer(open(path, "rb").read(), np.uint8)
        probe = cv2.imdecode(buf, cv2.IMREAD_COLOR)
        if probe is None:
            raise SystemExit("OpenCV could not decode " + path)
        pixels = probe.shape[0] * probe.shape[1]
        reps = 7 if args.quick else 41
        emit(case, probe.shape[1],
             median_mps(lambda: cv2.imdecode(buf, cv2.IMREAD_COLOR), pixels, reps, 3), reps)


if __name__ == "__main__":
    main()
