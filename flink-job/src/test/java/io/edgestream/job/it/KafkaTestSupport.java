package io.edgestream.job.it;

import io.edgestream.job.EdgeJob;
import io.edgestream.job.EdgeJobOptions;
import io.edgestream.job.KafkaConnections;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Steps of the integration tests: topics, produce, run the job, drain a topic. */
final class KafkaTestSupport {
    private KafkaTestSupport() {}

    /** Fresh topic names (and ids) for one test. */
    record Topics(String images, String maps, String stats, String dlq, String id) {
        static Topics fresh(String test) {
            String id = test + "-" + UUID.randomUUID().toString().substring(0, 8);
            return new Topics(
                    id + "-images", id + "-edge-maps", id + "-edge-stats", id + "-images-dlq", id);
        }
    }

    static void createTopics(String bootstrap, Topics t, int inputPartitions) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(t.images(), inputPartitions, (short) 1),
                                    new NewTopic(t.maps(), 2, (short) 1),
                                    new NewTopic(t.stats(), 2, (short) 1),
                                    new NewTopic(t.dlq(), 1, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
    }

    /** Sends every value (keyed by {@code key}) with an idempotent producer, in order. */
    static void produce(String bootstrap, String topic, byte[] key, List<byte[]> values)
            throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        // Idempotent: a retried send is never written twice, so each input exists exactly once.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] v : values) {
                producer.send(new ProducerRecord<>(topic, key, v)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Options for a bounded run over {@code t} with a short checkpoint interval. */
    static EdgeJobOptions options(String bootstrap, Topics t, Map<String, String> extra) {
        Map<String, String> m = new HashMap<>();
        m.put(EdgeJobOptions.BOOTSTRAP_SERVERS, bootstrap);
        m.put(EdgeJobOptions.TOPIC_IMAGES, t.images());
        m.put(EdgeJobOptions.TOPIC_MAPS, t.maps());
        m.put(EdgeJobOptions.TOPIC_STATS, t.stats());
        m.put(EdgeJobOptions.TOPIC_DLQ, t.dlq());
        m.put(EdgeJobOptions.GROUP_ID, t.id());
        m.put(EdgeJobOptions.JOB_NAME, t.id());
        m.put(EdgeJobOptions.BOUNDED, "true");
        m.put(EdgeJobOptions.STARTING_OFFSETS, "earliest");
        m.put(EdgeJobOptions.CHECKPOINT_INTERVAL_MS, "500");
        m.put(EdgeJobOptions.PARALLELISM, "4");
        m.put(EdgeJobOptions.RESTART_ATTEMPTS, "2");
        m.put(EdgeJobOptions.RESTART_DELAY_MS, "200");
        m.putAll(extra);
        return EdgeJobOptions.of(m);
    }

    /** Checks the broker like main() does, then runs the bounded job to its end. */
    static void runToEnd(EdgeJobOptions o) throws Exception {
        KafkaConnections.checkBroker(o, Duration.ofSeconds(30));
        StreamExecutionEnvironment env = EdgeJob.environment(o);
        EdgeJob.withKafka(o).build(env);
        env.execute(o.jobName());
    }

    /** Every committed record of {@code topic} (read_committed, up to the end offsets). */
    static List<ConsumerRecord<byte[], byte[]>> drain(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts =
                    c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(
                            "could not read " + topic + " up to its end offsets " + end);
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    out.add(r);
                }
            }
        }
        return out;
    }
}
