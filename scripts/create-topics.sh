#!/usr/bin/env bash
# Creates the pipeline's topics as stack/topics.properties describes them (partitions and topic
# configs such as max.message.bytes, retention and segment size; docker/docker-compose.yml runs
# this script on the same file). Idempotent: a topic that already exists is reported and left
# exactly as it is (its partitions and configs are not changed; use kafka-configs /
# kafka-topics --alter for that).
#
# Usage: scripts/create-topics.sh [--bootstrap HOST:PORT] [--partitions N] [--replication-factor N]
#                                 [--verbose]
#
#   --bootstrap           brokers (default: $KAFKA_BOOTSTRAP, else 127.0.0.1:$KAFKA_PORT, 9092 in
#                         stack/stack.env)
#   --partitions          partitions of every topic, instead of each topic's "partitions" in
#                         stack/topics.properties (4 = 2 TaskManagers x 2 slots: the source's
#                         parallelism is useful only up to the input's partition count)
#   --replication-factor  default 1 (the local single-node broker); use 3 on a real cluster
#   --verbose             also print each topic command and every partition of the topics
#
# The image topics' max.message.bytes is ${EDGESTREAM_MAX_MESSAGE_BYTES} of stack/stack.env (32
# MiB), the broker's message.max.bytes too (scripts/kafka-local.sh), so these limits hold.
# Uses org.apache.kafka.tools.TopicCommand from the jars fetched by scripts/kafka-local.sh, or
# $KAFKA_TOPICS_CMD (a distribution's bin/kafka-topics.sh) when set.
set -euo pipefail
# shellcheck source=lib/stack.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"

bootstrap="${KAFKA_BOOTSTRAP:-127.0.0.1:$KAFKA_PORT}"
partitions=""
replication=1
while [[ $# -gt 0 ]]; do
    case "$1" in
    --bootstrap | --bootstrap-server) bootstrap="$2"; shift 2 ;;
    --partitions) partitions="$2"; shift 2 ;;
    --replication-factor) replication="$2"; shift 2 ;;
    --verbose) STACK_VERBOSE=1; shift ;;
    -h | --help) stack_usage 0 ;;
    *) stack_die "unknown option '$1' (see: $0 --help)" ;;
    esac
done
[[ -z "$partitions" || "$partitions" =~ ^[1-9][0-9]*$ ]] || stack_die "--partitions must be a positive number, got '$partitions'"
[[ "$replication" =~ ^[1-9][0-9]*$ ]] || stack_die "--replication-factor must be a positive number, got '$replication'"

# stack/topics.properties: <topic>.<setting>=<value> lines, in the order of the file; <setting>
# is "partitions" or a topic config; ${NAME} in a value is a variable of stack/stack.env.
topics_file="$STACK_CONFIG/topics.properties"
[[ -f "$topics_file" ]] || stack_die "missing $topics_file: the topics to create"
topics=()
declare -A topic_partitions=() topic_configs=()
n=0
while IFS= read -r line || [[ -n "$line" ]]; do
    n=$((n + 1))
    [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
    [[ "$line" =~ ^([A-Za-z0-9_-]+)\.([a-z][a-z0-9.]*)=([^[:space:]]+)$ ]] ||
        stack_die "$topics_file:$n: want <topic>.<setting>=<value>: $line"
    topic="${BASH_REMATCH[1]}" setting="${BASH_REMATCH[2]}" value="${BASH_REMATCH[3]}"
    while [[ "$value" =~ \$\{([A-Z][A-Z0-9_]*)\} ]]; do
        ref="${BASH_REMATCH[1]}"
        [[ -n "${!ref:-}" ]] || stack_die "$topics_file:$n: \${$ref} is not set in stack/stack.env"
        value="${value//"\${$ref}"/${!ref}}"
    done
    [[ "$value" =~ ^[A-Za-z0-9._-]+$ ]] || stack_die "$topics_file:$n: not a plain value: $value"
    [[ -v "topic_configs[$topic]" ]] || { topics+=("$topic"); topic_configs[$topic]=""; }
    if [[ "$setting" == partitions ]]; then
        topic_partitions[$topic]="$value"
    else
        topic_configs[$topic]+="${topic_configs[$topic]:+,}$setting=$value"
    fi
done <"$topics_file"
[[ ${#topics[@]} -gt 0 ]] || stack_die "$topics_file names no topic"

# KAFKA_TOPICS_CMD: use a Kafka distribution's bin/kafka-topics.sh instead of the fetched jars
# (docker/docker-compose.yml runs this script inside the apache/kafka image that way).
if [[ -z "${KAFKA_TOPICS_CMD:-}" ]]; then
    stack_require_java
    stack_fetch_jars kafka "$(stack_pom_property kafka.version)"
fi

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

for name in "${topics[@]}"; do
    configs="${topic_configs[$name]}"
    count="${partitions:-${topic_partitions[$name]:-}}"
    [[ "$count" =~ ^[1-9][0-9]*$ ]] || stack_die "$topics_file: no $name.partitions (and no --partitions)"
    if grep -qx -- "$name" <<<"$existing"; then
        stack_info "exists:  $name (left unchanged)"
        continue
    fi
    args=(--create --topic "$name" --partitions "$count" --replication-factor "$replication")
    IFS=',' read -r -a kvs <<<"$configs"
    for kv in ${kvs[@]+"${kvs[@]}"}; do
        args+=(--config "$kv")
    done
    # --if-not-exists: another process may create the topic between --list and here.
    stack_detail "TopicCommand ${args[*]} --if-not-exists"
    if ! out="$(topic_command "${args[@]}" --if-not-exists 2>&1)"; then
        printf '%s\n' "$out" | tail -n 20 >&2
        stack_die "creating topic '$name' at $bootstrap failed (output above)."
    fi
    stack_info "created: $name ($count partitions, replication $replication, $configs)"
done
stack_info "Topics at $bootstrap:"
if [[ "$STACK_VERBOSE" == 1 ]]; then
    topic_command --describe --topic "$(IFS='|'; echo "${topics[*]}")"
else
    topic_command --describe --topic "$(IFS='|'; echo "${topics[*]}")" 2>/dev/null | grep -v '^\s*Topic:.*Partition:' || true
fi
