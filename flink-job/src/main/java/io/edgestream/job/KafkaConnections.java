package io.edgestream.job;

import io.edgestream.job.records.InputRecord;
import io.edgestream.job.records.InputRecordDeserializationSchema;
import io.edgestream.job.records.TopicRecordSerializer;
import io.edgestream.schemas.kafka.RecordLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job's Kafka source and exactly-once sinks, built from {@link EdgeJobOptions}, and the
 * start-up check against the broker.
 *
 * <p>Exactly once: the source reads with {@code isolation.level=read_committed} (so it never sees
 * aborted outputs of an upstream transactional producer) and commits offsets on checkpoints; each
 * sink writes in Kafka transactions committed when a checkpoint completes ({@code
 * DeliveryGuarantee.EXACTLY_ONCE}), with its own transactional id prefix {@code <prefix>-<sink>}
 * and an explicit {@code transaction.timeout.ms} (the connector's default of one hour exceeds the
 * broker's default {@code transaction.max.timeout.ms} of 15 minutes, FLINK-35870).
 */
public final class KafkaConnections {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaConnections.class);

    /** Sink names, appended to the transactional id prefix. */
    public static final String MAPS_SINK = "maps";

    /**
     * The maps of images convolved where they were decoded ({@code tiles.spread.min}). Not {@code
     * maps-...}: no sink's name may start with another's, or one sink's transactional ids would
     * match the other's prefix.
     */
    public static final String LOCAL_MAPS_SINK = "local-maps";

    public static final String STATS_SINK = "stats";
    public static final String DLQ_SINK = "dlq";

    /** Kafka's default {@code max.request.size}. */
    static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;

    /** Room for the Avro fields, key, headers and batch overhead around a record's payload. */
    static final int RECORD_OVERHEAD_BYTES = RecordLimits.RECORD_OVERHEAD_BYTES;

    private KafkaConnections() {}

    /** The source of raw input records. */
    public static KafkaSource<InputRecord> source(EdgeJobOptions o) {
        KafkaSourceBuilder<InputRecord> b =
                KafkaSource.<InputRecord>builder()
                        .setBootstrapServers(o.bootstrapServers())
                        .setTopics(o.imagesTopic())
                        .setGroupId(o.groupId())
                        .setDeserializer(new InputRecordDeserializationSchema())
                        .setStartingOffsets(startingOffsets(o))
                        .setClientIdPrefix(o.jobName() + "-source");
        b.setProperties(o.kafkaProperties());
        // After the pass-through properties so that they cannot weaken exactly-once.
        b.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        if (o.bounded()) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    private static OffsetsInitializer startingOffsets(EdgeJobOptions o) {
        return switch (o.startingOffsets()) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    }

    /** An exactly-once sink named {@code name} (its transactional ids are {@code prefix-name}). */
    public static <T> KafkaSink<T> sink(
            EdgeJobOptions o, String name, TopicRecordSerializer<T> serializer) {
        return sink(o, name, serializer, producerProperties(o, name));
    }

    /**
     * An exactly-once sink named {@code name} whose producer runs with {@code producerProperties}
     * (start from {@link #producerProperties} so that exactly-once keeps what it needs).
     */
    public static <T> KafkaSink<T> sink(
            EdgeJobOptions o,
            String name,
            TopicRecordSerializer<T> serializer,
            Properties producerProperties) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(o.bootstrapServers())
                .setKafkaProducerConfig(producerProperties)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(o.transactionalIdPrefix() + "-" + name)
                .setTransactionNamingStrategy(o.transactionNaming().strategy())
                .build();
    }

    /** The producer properties of sink {@code name}: pass-through plus what exactly-once needs. */
    public static Properties producerProperties(EdgeJobOptions o, String name) {
        Properties p = new Properties();
        p.putAll(o.kafkaProperties());
        p.setProperty(
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                String.valueOf(o.transactionTimeoutMs()));
        p.setProperty(ProducerConfig.CLIENT_ID_CONFIG, o.jobName() + "-" + name);
        if (name.equals(DLQ_SINK)) {
            // A dead letter carries the original value up to dlq.max.payload.bytes (a larger one
            // is left out), so the largest dead letter is known and this sink can always send it.
            long needed = o.inputLimits().maxDeadLetterBytes();
            if (maxRequestSize(o) < needed) {
                p.setProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(needed));
            }
        }
        return p;
    }

    /** The {@code max.request.size} the dead-letter sink's producer runs with. */
    public static long deadLetterMaxRequestSize(EdgeJobOptions o) {
        return Math.max(maxRequestSize(o), o.inputLimits().maxDeadLetterBytes());
    }

    static long maxRequestSize(EdgeJobOptions o) {
        String v = o.kafkaProperties().getProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        return v == null ? DEFAULT_MAX_REQUEST_SIZE : Long.parseLong(v.trim());
    }

    /**
     * Checks what can only be checked against the broker, before the job is submitted: the sinks'
     * transaction timeout against {@code transaction.max.timeout.ms}, that the input topic exists,
     * that the maps and dead-letter topics take the largest records, and (with {@code POOLING}
     * transaction names) that the job may list the producers of its output topics.
     *
     * @throws IllegalStateException with what is wrong and what to change
     */
    public static void checkBroker(EdgeJobOptions o, Duration timeout) {
        Properties props = new Properties();
        props.putAll(o.kafkaProperties());
        props.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, o.bootstrapServers());
        props.setProperty(CommonClientConfigs.CLIENT_ID_CONFIG, o.jobName() + "-startup-check");
        long ms = timeout.toMillis();
        try (Admin admin = Admin.create(props)) {
            DescribeClusterResult cluster = admin.describeCluster();
            Collection<Node> nodes = cluster.nodes().get(ms, TimeUnit.MILLISECONDS);
            if (nodes.isEmpty()) {
                throw new IllegalStateException(
                        "Kafka at " + o.bootstrapServers() + " reports no brokers");
            }
            List<ConfigResource> brokers = new ArrayList<>();
            for (Node n : nodes) {
                brokers.add(new ConfigResource(ConfigResource.Type.BROKER, n.idString()));
            }
            for (var e :
                    admin.describeConfigs(brokers)
                            .all()
                            .get(ms, TimeUnit.MILLISECONDS)
                            .entrySet()) {
                Config c = e.getValue();
                ConfigEntry max = c.get("transaction.max.timeout.ms");
                if (max == null || max.value() == null) {
                    LOG.warn(
                            "broker {} does not report transaction.max.timeout.ms; cannot check"
                                    + " transaction.timeout.ms = {}",
                            e.getKey().name(),
                            o.transactionTimeoutMs());
                    continue;
                }
                long brokerMax = Long.parseLong(max.value());
                if (o.transactionTimeoutMs() > brokerMax) {
                    throw new IllegalStateException(
                            "transaction.timeout.ms = "
                                    + o.transactionTimeoutMs()
                                    + " exceeds the broker's transaction.max.timeout.ms = "
                                    + brokerMax
                                    + " (broker "
                                    + e.getKey().name()
                                    + " at "
                                    + o.bootstrapServers()
                                    + "); the exactly-once sinks would fail at their first"
                                    + " transaction. Lower --transaction.timeout.ms to at most "
                                    + brokerMax
                                    + " or raise transaction.max.timeout.ms on the brokers");
                }
            }
            Set<String> topics = admin.listTopics().names().get(ms, TimeUnit.MILLISECONDS);
            if (topics.contains(o.mapsTopic())) {
                long tile = o.maxMapTileBytes() + RECORD_OVERHEAD_BYTES;
                checkTopicRecordLimit(
                        admin,
                        o.mapsTopic(),
                        tile,
                        "a map tile record can be "
                                + tile
                                + " bytes (tile.size "
                                + o.processing().tileWidth
                                + "x"
                                + o.processing().tileHeight
                                + ", up to 4 float32 channels, plus overhead)",
                        "lower --tile.size",
                        ms);
            }
            if (topics.contains(o.dlqTopic())) {
                checkTopicRecordLimit(
                        admin,
                        o.dlqTopic(),
                        o.inputLimits().maxDeadLetterBytes(),
                        "a dead letter can be "
                                + o.inputLimits().maxDeadLetterBytes()
                                + " bytes (dlq.max.payload.bytes = "
                                + o.inputLimits().dlqMaxPayloadBytes()
                                + " plus max.key.bytes, an id, the message and overhead)",
                        "lower --dlq.max.payload.bytes (larger values are then left out of dead"
                                + " letters, with their size and offset)",
                        ms);
            }
            if (!topics.contains(o.imagesTopic())) {
                throw new IllegalStateException(
                        "input topic '"
                                + o.imagesTopic()
                                + "' does not exist on "
                                + o.bootstrapServers()
                                + "; create it or set --topic.images");
            }
            if (o.transactionNaming() == EdgeJobOptions.TransactionNaming.POOLING) {
                checkCanListProducers(admin, o, topics, ms);
            }
            for (String t : List.of(o.mapsTopic(), o.statsTopic(), o.dlqTopic())) {
                if (!topics.contains(t)) {
                    LOG.warn(
                            "output topic '{}' does not exist on {}; it will only work if the"
                                    + " brokers auto-create topics",
                            t,
                            o.bootstrapServers());
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "cannot check Kafka at "
                            + o.bootstrapServers()
                            + " within "
                            + ms
                            + " ms ("
                            + (e.getCause() != null ? e.getCause() : e)
                            + "); check bootstrap.servers and the kafka.* security settings, or"
                            + " skip the check with --check.broker false",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking Kafka", e);
        }
    }

    /**
     * With {@code POOLING} transaction names, a sink recovering from a checkpoint finds the
     * transactions it left open by listing the active producers of its topics (DescribeProducers),
     * which the broker allows only with {@code Read} on the topic. Without it the sinks would fail
     * at every start: say so before the job is submitted.
     */
    private static void checkCanListProducers(
            Admin admin, EdgeJobOptions o, Set<String> existing, long ms)
            throws ExecutionException, InterruptedException, TimeoutException {
        for (String topic : List.of(o.mapsTopic(), o.statsTopic(), o.dlqTopic())) {
            if (!existing.contains(topic)) {
                continue;
            }
            try {
                admin.describeProducers(List.of(new TopicPartition(topic, 0)))
                        .all()
                        .get(ms, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicAuthorizationException)) {
                    throw e;
                }
                throw new IllegalStateException(
                        "the job may not list the producers of output topic '"
                                + topic
                                + "' ("
                                + e.getCause().getMessage()
                                + "): with sink.transaction.naming = POOLING the sinks find the"
                                + " transactions they left open that way when they recover,"
                                + " which needs Read on the output topics. Grant it"
                                + " (kafka-acls.sh --add --allow-principal <job principal>"
                                + " --operation Read --topic "
                                + topic
                                + ") or run with --sink.transaction.naming INCREMENTING",
                        e);
            }
        }
    }

    /**
     * Fails if {@code topic}'s {@code max.message.bytes} is below {@code needed}: the sink writing
     * to it would fail on such a record and restart the job again and again.
     */
    private static void checkTopicRecordLimit(
            Admin admin, String topic, long needed, String why, String remedy, long ms)
            throws ExecutionException, InterruptedException, TimeoutException {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config c = admin.describeConfigs(List.of(r)).all().get(ms, TimeUnit.MILLISECONDS).get(r);
        ConfigEntry max = c == null ? null : c.get("max.message.bytes");
        if (max == null || max.value() == null) {
            LOG.warn(
                    "topic {} does not report max.message.bytes; cannot check that {}", topic, why);
            return;
        }
        long topicMax = Long.parseLong(max.value());
        if (topicMax < needed) {
            throw new IllegalStateException(
                    "topic '"
                            + topic
                            + "' accepts records of at most max.message.bytes = "
                            + topicMax
                            + " bytes, but "
                            + why
                            + "; raise the topic's max.message.bytes to at least "
                            + needed
                            + " (kafka-configs.sh --alter --entity-type topics --entity-name "
                            + topic
                            + " --add-config max.message.bytes="
                            + needed
                            + ") or "
                            + remedy);
        }
    }
}
