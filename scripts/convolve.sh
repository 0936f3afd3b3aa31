#!/usr/bin/env bash
# Convolve one file offline with the same core as the job (no Kafka, no Flink).
# Example: scripts/convolve.sh --filter vertical example.txt out.npy
# Every option, with its default: scripts/convolve.sh --help
set -euo pipefail
# shellcheck source=lib/clients.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/clients.sh"
edgestream_run_tool convolve "$@"
