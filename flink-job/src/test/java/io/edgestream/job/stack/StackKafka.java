package io.edgestream.job.stack;

import io.edgestream.job.testing.PipelineHarness.Topics;
import io.edgestream.schemas.kafka.RecordLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka clients for the stack tests, sized for image records: topics configured like {@code
 * stack/topics.properties} says, an idempotent producer that can send records up to the topics'
 * limit, read_committed readers that can fetch them, and a check for open transactions.
 */
final class StackKafka {
    private static final int MIB = 1024 * 1024;

    /** The broker's and the image topics' record limit (stack/stack.env agrees, a test checks). */
    static final int TOPIC_MAX_MESSAGE_BYTES = RecordLimits.TOPIC_MAX_MESSAGE_BYTES;

    private final String bootstrap;

    StackKafka(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    Properties client() {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }

    /**
     * Creates the four topics of {@code t} with {@code partitions} partitions each and the record
     * limits of stack/topics.properties (32 MiB on images, edge-maps and images-dlq; 1 MiB on
     * edge-stats), but no retention limits: a test must never lose output to retention (one
     * processed 49-megapixel image is about 600 MB of maps, all in one partition).
     */
    void createTopics(Topics t, int partitions) throws Exception {
        Map<String, String> big = new HashMap<>();
        big.put("max.message.bytes", String.valueOf(TOPIC_MAX_MESSAGE_BYTES));
        big.put("segment.bytes", String.valueOf(256 * MIB));
        big.put("retention.ms", "-1");
        big.put("retention.bytes", "-1");
        Map<String, String> stats =
                Map.of("max.message.bytes", String.valueOf(MIB), "retention.ms", "-1");
        try (Admin a = Admin.create(client())) {
            a.createTopics(
                            List.of(
                                    new NewTopic(t.images(), partitions, (short) 1).configs(big),
                                    new NewTopic(t.maps(), partitions, (short) 1).configs(big),
                                    new NewTopic(t.stats(), partitions, (short) 1).configs(stats),
                                    new NewTopic(t.dlq(), partitions, (short) 1).configs(big)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * An idempotent producer ({@code acks=all}: a retried send is never written twice, so each
     * input exists exactly once) for records up to the topic limit, patient enough to ride out a
     * broker outage of a few minutes.
     */
    KafkaProducer<byte[], byte[]> producer() {
        Properties p = client();
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(TOPIC_MAX_MESSAGE_BYTES));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(128L * MIB));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "300000");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A consumer with {@code isolation.level} as given that can fetch the largest records. */
    KafkaConsumer<byte[], byte[]> consumer(boolean committed) {
        Properties p = client();
        p.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                committed ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                String.valueOf(TOPIC_MAX_MESSAGE_BYTES + MIB));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(2 * TOPIC_MAX_MESSAGE_BYTES));
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
        return c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(topic, i.partition()))
                .toList();
    }

    /**
     * A read_committed reader of one topic from its beginning that hands out what is new on each
     * {@link #poll()}: incremental, so waiting for outputs does not read a topic again and again.
     */
    final class Tail implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> c;
        private final List<TopicPartition> parts;

        Tail(String topic) {
            c = consumer(true);
            parts = partitions(c, topic);
            c.assign(parts);
            c.seekToBeginning(parts);
        }

        List<ConsumerRecord<byte[], byte[]>> poll() {
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            c.poll(Duration.ofMillis(200)).forEach(out::add);
            return out;
        }

        /** True once the reader has reached the last stable offset of every partition. */
        boolean atEnd() {
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            return parts.stream().allMatch(tp -> c.position(tp) >= end.get(tp));
        }

        @Override
        public void close() {
            c.close(Duration.ofSeconds(10));
        }
    }

    Tail tail(String topic) {
        return new Tail(topic);
    }

    /** Every committed record of {@code topic} up to its current last stable offsets. */
    List<ConsumerRecord<byte[], byte[]>> drain(String topic) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (Tail t = tail(topic)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!t.atEnd()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end in 120 s");
                }
                out.addAll(t.poll());
            }
        }
        return out;
    }

    /**
     * Partitions of {@code topics} that hold records of a transaction that is still open: their
     * last stable offset (what read_committed readers can reach) is below their high watermark.
     */
    List<TopicPartition> openTransactions(List<String> topics) {
        List<TopicPartition> open = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> committed = consumer(true);
                KafkaConsumer<byte[], byte[]> all = consumer(false)) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : topics) {
                parts.addAll(partitions(committed, t));
            }
            Map<TopicPartition, Long> lso = committed.endOffsets(parts, Duration.ofSeconds(30));
            Map<TopicPartition, Long> hw = all.endOffsets(parts, Duration.ofSeconds(30));
            for (TopicPartition tp : parts) {
                if (lso.get(tp) < hw.get(tp)) {
                    open.add(tp);
                }
            }
        }
        return open;
    }

    /**
     * Records in {@code topic} up to its high watermark, aborted and open transactions included.
     */
    long uncommittedReaderCount(String topic) {
        long n = 0;
        try (KafkaConsumer<byte[], byte[]> c = consumer(false)) {
            List<TopicPartition> parts = partitions(c, topic);
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end in 60 s");
                }
                n += c.poll(Duration.ofMillis(200)).count();
            }
        }
        return n;
    }
}
