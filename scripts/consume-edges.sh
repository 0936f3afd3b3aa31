#!/usr/bin/env bash
# Read edge maps and stats: OUT/<image>/<filter>.npy and .png, OUT/stats.jsonl, OUT/index.html.
# Example: scripts/consume-edges.sh --bootstrap localhost:9092 --out out --images 10 --with-originals
# Every option, with its default: scripts/consume-edges.sh --help
set -euo pipefail
# shellcheck source=lib/clients.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/clients.sh"
edgestream_run_tool consume-edges "$@"
