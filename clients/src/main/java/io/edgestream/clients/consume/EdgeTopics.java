package io.edgestream.clients.consume;

import io.edgestream.clients.cli.BrokerCheck;
import io.edgestream.clients.cli.ExitCodes;
import io.edgestream.clients.cli.Framing;
import io.edgestream.clients.cli.ToolException;
import io.edgestream.schemas.DeadLetter;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.registry.RegistryException;
import io.edgestream.schemas.registry.SchemaRegistryClient;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The Kafka side of {@code consume-edges}: one consumer that assigns itself every partition of the
 * topics it reads (tiles, stats, and optionally input images and dead letters), starts at their
 * beginning or end, commits nothing, and hands each record, decoded from its topic's Avro schema in
 * either framing (single-object or schema registry, recognised per record by {@link
 * Framing.Reader}), to a {@link Handler}. A record that cannot be decoded, or that the handler
 * cannot use (an unchecked exception), is reported through {@link Handler#unreadable} and skipped:
 * the rest of the stream is fine. A registry that does not answer, or refuses the credentials,
 * stops the tool instead: then no registry-framed record can be read.
 */
final class EdgeTopics implements Closeable {

    /** Receives the decoded records; {@code where} is {@code topic-partition@offset}. */
    interface Handler {
        void tile(FeatureMapTile t, String where, int bytes) throws IOException;

        void stats(EdgeStats s, String where) throws IOException;

        void image(ImageFrame f, String where) throws IOException;

        void deadLetter(DeadLetter d, String where) throws IOException;

        void unreadable(String where, String reason);
    }

    private final ConsumeEdges.Options o;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Framing.Reader<FeatureMapTile> tileWire;
    private final Framing.Reader<EdgeStats> statsWire;
    private final Framing.Reader<ImageFrame> imageWire;
    private final Framing.Reader<DeadLetter> dlqWire;

    private EdgeTopics(
            ConsumeEdges.Options o,
            KafkaConsumer<byte[], byte[]> consumer,
            SchemaRegistryClient registry) {
        this.o = o;
        this.consumer = consumer;
        this.tileWire = Framing.reader(FeatureMapTile.class, o, registry, o.mapsTopic);
        this.statsWire = Framing.reader(EdgeStats.class, o, registry, o.statsTopic);
        this.imageWire = Framing.reader(ImageFrame.class, o, registry, o.imagesTopic);
        this.dlqWire = Framing.reader(DeadLetter.class, o, registry, o.dlqTopic);
    }

    /** The topics the options ask for: tiles and stats, then images and dead letters if asked. */
    static List<String> topics(ConsumeEdges.Options o) {
        List<String> topics = new ArrayList<>(List.of(o.mapsTopic, o.statsTopic));
        if (o.withOriginals) {
            topics.add(o.imagesTopic);
        }
        if (o.dlq) {
            topics.add(o.dlqTopic);
        }
        return topics;
    }

    /** The consumer settings for {@code o}, user settings applied last. */
    static Properties consumerProperties(ConsumeEdges.Options o) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrap());
        // Names this tool in broker logs and quotas.
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "edgestream-" + ConsumeEdges.TOOL);
        // Only output of committed job transactions: no tiles of aborted attempts, no duplicates.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Partitions are assigned, not subscribed, and nothing is committed: runs are repeatable.
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, o.from.name().toLowerCase(Locale.ROOT));
        // Input images (--with-originals) can be tens of MB: fetch limits must exceed the largest
        // record or the consumer cannot make progress past it (KAFKA-4169).
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(64 << 20));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(128 << 20));
        // Bounded batches keep memory and per-poll work small with large records.
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        p.putAll(o.kafka());
        return p;
    }

    /**
     * Opens a consumer with {@code props}, assigns it every partition of {@code topics} and seeks
     * to their beginning ({@code --from earliest}) or end.
     */
    static EdgeTopics open(
            ConsumeEdges.Options o,
            Properties props,
            List<String> topics,
            SchemaRegistryClient registry) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
        try {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : topics) {
                for (PartitionInfo pi : consumer.partitionsFor(t, o.connectTimeout())) {
                    parts.add(new TopicPartition(t, pi.partition()));
                }
            }
            consumer.assign(parts);
            if (o.from == ConsumeEdges.From.EARLIEST) {
                consumer.seekToBeginning(parts);
            } else {
                consumer.seekToEnd(parts);
            }
            return new EdgeTopics(o, consumer, registry);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /** Polls once (waiting at most {@code timeout}) and hands every record to {@code handler}. */
    void poll(Duration timeout, Handler handler) throws IOException {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            String where = r.topic() + "-" + r.partition() + "@" + r.offset();
            try {
                if (r.topic().equals(o.mapsTopic)) {
                    handler.tile(tileWire.decode(r.value()), where, r.serializedValueSize());
                } else if (r.topic().equals(o.statsTopic)) {
                    handler.stats(statsWire.decode(r.value()), where);
                } else if (r.topic().equals(o.imagesTopic)) {
                    handler.image(imageWire.decode(r.value()), where);
                } else if (r.topic().equals(o.dlqTopic)) {
                    handler.deadLetter(dlqWire.decode(r.value()), where);
                }
            } catch (RegistryException e) {
                throw new ToolException(
                        "cannot read " + where + ": the schema registry failed: " + e.getMessage(),
                        ExitCodes.FAILED,
                        e);
            } catch (RuntimeException e) {
                handler.unreadable(where, BrokerCheck.rootMessage(e));
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
