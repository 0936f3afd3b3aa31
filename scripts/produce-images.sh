#!/usr/bin/env bash
# Push images to Kafka: files, directories (recursive, --glob), a list on stdin (-), or --synthetic frames.
# Example: scripts/produce-images.sh --bootstrap localhost:9092 --glob '*.jpg' photos/
# Every option, with its default: scripts/produce-images.sh --help
set -euo pipefail
# shellcheck source=lib/clients.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/clients.sh"
edgestream_run_tool produce-images "$@"
