#!/usr/bin/env bash
# Creates the pipeline's four topics with settings suited to image records. Idempotent: a topic
# that already exists is reported and left exactly as it is (its partitions and configs are not
# changed; use kafka-configs / kafka-topics --alter for that).
#
# Usage: scripts/create-topics.sh [--bootstrap HOST:PORT] [--partitions N] [--replication-factor N]
#
#   --bootstrap           brokers (default: $KAFKA_BOOTSTRAP or 127.0.0.1:9092)
#   --partitions          partitions of every topic (default 4 = 2 TaskManagers x 2 slots: the
#                         source's parallelism is useful only up to the input's partition count)
#   --replication-factor  default 1 (the local single-node broker); use 3 on a real cluster
#
# Topic settings (the same in docker/docker-compose.yml):
#   images      max.message.bytes 32 MiB (a whole encoded image per record), retention 24 h or
#               1 GiB per partition, 256 MiB segments (retention deletes whole segments, so
#               segments much smaller than the byte limit make it effective)
#   edge-maps   same: feature-map tiles are a few hundred KB each, but a 1-tile image map of a
#               large tile size can approach the input's size
#   edge-stats  max.message.bytes 1 MiB (small summaries), retention 7 days
#   images-dlq  max.message.bytes 32 MiB (dead letters carry the rejected input bytes),
#               retention 7 days so failures can be inspected and replayed
# The broker's message.max.bytes (scripts/kafka-local.sh) is 32 MiB, so these limits hold.
# Uses org.apache.kafka.tools.TopicCommand from the jars fetched by scripts/kafka-local.sh, or
# $KAFKA_TOPICS_CMD (a distribution's bin/kafka-topics.sh) when set.
set -euo pipefail
# shellcheck source=lib/stack.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"

bootstrap="${KAFKA_BOOTSTRAP:-127.0.0.1:9092}"
partitions=4
replication=1
while [[ $# -gt 0 ]]; do
    case "$1" in
    --bootstrap | --bootstrap-server) bootstrap="$2"; shift 2 ;;
    --partitions) partitions="$2"; shift 2 ;;
    --replication-factor) replication="$2"; shift 2 ;;
    -h | --help)
        sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
        exit 0
        ;;
    *) stack_die "unknown option '$1' (see: $0 --help)" ;;
    esac
done
[[ "$partitions" =~ ^[1-9][0-9]*$ ]] || stack_die "--partitions must be a positive number, got '$partitions'"
[[ "$replication" =~ ^[1-9][0-9]*$ ]] || stack_die "--replication-factor must be a positive number, got '$replication'"

# KAFKA_TOPICS_CMD: use a Kafka distribution's bin/kafka-topics.sh instead of the fetched jars
# (docker/docker-compose.yml runs this script inside the apache/kafka image that way).
if [[ -z "${KAFKA_TOPICS_CMD:-}" ]]; then
    stack_require_java
    stack_fetch_jars kafka "$(stack_pom_property kafka.version)"
fi

mib=$((1024 * 1024))
images_max=$STACK_MAX_MESSAGE_BYTES
# name | configs (comma-separated key=value)
topics=(
    "images|max.message.bytes=$images_max,retention.ms=86400000,retention.bytes=$((1024 * mib)),segment.bytes=$((256 * mib))"
    "edge-maps|max.message.bytes=$images_max,retention.ms=86400000,retention.bytes=$((1024 * mib)),segment.bytes=$((256 * mib))"
    "edge-stats|max.message.bytes=$mib,retention.ms=604800000"
    "images-dlq|max.message.bytes=$images_max,retention.ms=604800000,retention.bytes=$((1024 * mib)),segment.bytes=$((256 * mib))"
)

topic_command() {
    if [[ -n "${KAFKA_TOPICS_CMD:-}" ]]; then
        "$KAFKA_TOPICS_CMD" --bootstrap-server "$bootstrap" "$@"
    else
        java -cp "$STACK_LIB/kafka/*" org.apache.kafka.tools.TopicCommand \
            --bootstrap-server "$bootstrap" "$@"
    fi
}

if ! existing="$(topic_command --list 2>&1)"; then
    printf '%s\n' "$existing" | tail -n 20 >&2
    stack_die "cannot list topics at $bootstrap: is the broker running? (scripts/kafka-local.sh status)"
fi

for entry in "${topics[@]}"; do
    name="${entry%%|*}"
    configs="${entry#*|}"
    if grep -qx -- "$name" <<<"$existing"; then
        stack_info "exists:  $name (left unchanged)"
        continue
    fi
    args=(--create --topic "$name" --partitions "$partitions" --replication-factor "$replication")
    IFS=',' read -r -a kvs <<<"$configs"
    for kv in "${kvs[@]}"; do
        args+=(--config "$kv")
    done
    # --if-not-exists: another process may create the topic between --list and here.
    if ! out="$(topic_command "${args[@]}" --if-not-exists 2>&1)"; then
        printf '%s\n' "$out" | tail -n 20 >&2
        stack_die "creating topic '$name' at $bootstrap failed (output above)."
    fi
    stack_info "created: $name ($partitions partitions, replication $replication, $configs)"
done
stack_info "Topics at $bootstrap:"
topic_command --describe --topic 'images|edge-maps|edge-stats|images-dlq' 2>/dev/null | grep -v '^\s*Topic:.*Partition:' || true
