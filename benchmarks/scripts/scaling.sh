#!/usr/bin/env bash
# Scaling of the edge job (issue 13 item 6): cost per pixel from 256x256 to 4000x4000 RAW GRAY8
# and one 8192x8192 JPEG in a 1 GB TaskManager heap, parallelism 1 vs 2 on 4000x4000. The same as
# `scripts/bench-pipeline.sh --scaling` (io.edgestream.bench.pipeline.ScalingBench), which it runs
# with any further options, e.g. --quick or --scaling-mp 48.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/../../scripts/bench-pipeline.sh" --scaling "$@"
