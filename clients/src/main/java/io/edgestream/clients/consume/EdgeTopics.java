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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The Kafka side of {@code consume-edges}: one consumer that assigns itself every partition of the
 * topics it reads (tiles, stats, and optionally input images and dead letters) and hands each
 * record, decoded from its topic's Avro schema in either framing (single-object or schema registry,
 * recognised per record by {@link Framing.Reader}), to a {@link Handler}. A record that cannot be
 * decoded, or that the handler cannot use (an unchecked exception), is reported through {@link
 * Handler#unreadable} and skipped: the rest of the stream is fine. A registry that does not answer,
 * or refuses the credentials, stops the tool instead: then no registry-framed record can be read.
 *
 * <p>Without a consumer group it starts at the partitions' beginning or end and commits nothing.
 * With one ({@code --group}) it starts each partition at the group's committed offset (where there
 * is none, at the beginning or end), holds every record of a map that is not written yet ({@link
 * OffsetHolds}), and {@link #commit commits} per partition only up to the first record still held,
 * after the output is forced to disk.
 */
final class EdgeTopics implements Closeable {

    /** Receives the decoded records; {@code where} is {@code topic-partition@offset}. */
    interface Handler {
        /**
         * Takes a tile; returns the key of the unwritten map that still needs it (its offset is
         * then held until {@link #release}d), or null.
         */
        Object tile(FeatureMapTile t, String where, int bytes) throws IOException;

        /** Takes a map's statistics; returns a key to hold them under, as {@link #tile}. */
        Object stats(EdgeStats s, String where) throws IOException;

        void image(ImageFrame f, String where) throws IOException;

        void deadLetter(DeadLetter d, String where) throws IOException;

        void unreadable(String where, String reason);
    }

    /** Does something before offsets are committed: forces the output to disk. */
    interface BeforeCommit {
        void run() throws IOException;
    }

    private final ConsumeEdges.Options o;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final OffsetHolds<TopicPartition> holds = new OffsetHolds<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private List<TopicPartition> assigned = List.of();
    private long resumedFrom = -1;
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
        if (o.group != null) {
            // Only to keep offsets: partitions are still assigned (one consumer per group), and
            // offsets are committed by commit() after the files are written, never automatically.
            p.put(ConsumerConfig.GROUP_ID_CONFIG, o.group);
        }
        // Only output of committed job transactions: no tiles of aborted attempts, no duplicates.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Partitions are assigned, not subscribed; without --group nothing is committed (runs are
        // repeatable), with it only what commit() decides.
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
     * to the group's committed offsets ({@code --group}), or else to their beginning ({@code --from
     * earliest}) or end.
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
            EdgeTopics in = new EdgeTopics(o, consumer, registry);
            in.assigned = List.copyOf(parts);
            List<TopicPartition> fresh = new ArrayList<>(parts);
            if (o.group != null) {
                Map<TopicPartition, OffsetAndMetadata> c =
                        consumer.committed(new HashSet<>(parts), o.connectTimeout());
                long sum = 0;
                for (TopicPartition tp : parts) {
                    OffsetAndMetadata at = c.get(tp);
                    if (at != null) {
                        consumer.seek(tp, at.offset());
                        in.committed.put(tp, at.offset());
                        fresh.remove(tp);
                        sum += at.offset();
                    }
                }
                in.resumedFrom = in.committed.isEmpty() ? -1 : sum;
            }
            // An empty collection would mean "every assigned partition" to seekToBeginning/End.
            if (fresh.isEmpty()) {
                return in;
            }
            if (o.from == ConsumeEdges.From.EARLIEST) {
                consumer.seekToBeginning(fresh);
            } else {
                consumer.seekToEnd(fresh);
            }
            return in;
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /**
     * The sum of the group's committed offsets the run started from, or -1 if it had none (or runs
     * without a group).
     */
    long resumedFrom() {
        return resumedFrom;
    }

    /** Releases the records held for maps that are now written. */
    void release(List<Object> writtenKeys) {
        for (Object k : writtenKeys) {
            holds.release(k);
        }
    }

    /**
     * Commits, for every partition whose safe offset moved, the offset before its first record of a
     * map not yet written (or its position if none): after {@code beforeCommit}, which forces the
     * files those records went to onto disk. Does nothing without a group.
     */
    void commit(BeforeCommit beforeCommit) throws IOException {
        if (o.group == null) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> moved = new HashMap<>();
        for (TopicPartition tp : assigned) {
            long safe = holds.safe(tp, consumer.position(tp, o.connectTimeout()));
            Long before = committed.get(tp);
            if (before == null || before != safe) {
                moved.put(tp, new OffsetAndMetadata(safe));
            }
        }
        if (moved.isEmpty()) {
            return;
        }
        beforeCommit.run();
        consumer.commitSync(moved, o.connectTimeout());
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : moved.entrySet()) {
            committed.put(e.getKey(), e.getValue().offset());
        }
    }

    /** Polls once (waiting at most {@code timeout}) and hands every record to {@code handler}. */
    void poll(Duration timeout, Handler handler) throws IOException {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            String where = r.topic() + "-" + r.partition() + "@" + r.offset();
            try {
                Object hold = null;
                if (r.topic().equals(o.mapsTopic)) {
                    hold = handler.tile(tileWire.decode(r.value()), where, r.serializedValueSize());
                } else if (r.topic().equals(o.statsTopic)) {
                    hold = handler.stats(statsWire.decode(r.value()), where);
                } else if (r.topic().equals(o.imagesTopic)) {
                    handler.image(imageWire.decode(r.value()), where);
                } else if (r.topic().equals(o.dlqTopic)) {
                    handler.deadLetter(dlqWire.decode(r.value()), where);
                }
                if (hold != null && o.group != null) {
                    holds.hold(new TopicPartition(r.topic(), r.partition()), r.offset(), hold);
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
