package io.edgestream.job.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.clients.kafka.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Why the outputs must be read with {@code isolation.level=read_committed}: the job writes its
 * outputs in Kafka transactions and aborts the open ones when it fails over, but aborted records
 * stay in the log. A {@code read_uncommitted} consumer (Kafka's default) sees them; a {@code
 * read_committed} consumer does not. This test shows it with plain Kafka clients, as the job's
 * sinks would leave it after a failure between two checkpoints.
 */
class ReadUncommittedITCase {
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Timeout(60)
    void readUncommittedConsumersSeeAbortedRecordsWhileReadCommittedOnesDoNot() throws Exception {
        String topic = "edge-stats-isolation";
        kafka.createTopic(topic, 1, Map.of());

        Properties p = kafka.clientProperties();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "isolation-demo");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            // A checkpoint's worth of output that is committed ...
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "img-1", "committed-1"));
            producer.commitTransaction();
            // ... then output of a failed attempt: written to the log, then aborted (as the
            // job does when it restarts from its last checkpoint and replays the input) ...
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "img-2", "aborted-attempt"));
            producer.flush();
            producer.abortTransaction();
            // ... and the replay of the same input, committed.
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "img-2", "committed-2"));
            producer.commitTransaction();
        }

        assertThat(readAll(topic, "read_uncommitted"))
                .as("read_uncommitted sees the aborted attempt: img-2 twice")
                .containsExactly("committed-1", "aborted-attempt", "committed-2");
        assertThat(readAll(topic, "read_committed"))
                .as("read_committed sees each record exactly once")
                .containsExactly("committed-1", "committed-2");
    }

    private static List<String> readAll(String topic, String isolation) {
        Properties p = kafka.clientProperties();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            // The log end (3 records + 3 transaction markers) for either isolation level here:
            // no transaction is open, so the last stable offset is the high watermark.
            long end = c.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (c.position(tp) < end) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(
                            "could not read "
                                    + topic
                                    + " to offset "
                                    + end
                                    + " ("
                                    + isolation
                                    + ")");
                }
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
