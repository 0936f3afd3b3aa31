package io.edgestream.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.job.EdgeJobOptions;
import io.edgestream.job.testing.BadRecords;
import io.edgestream.job.testing.PipelineHarness;
import io.edgestream.job.testing.PipelineHarness.Topics;
import io.edgestream.job.testing.TestImages;
import io.edgestream.schemas.DeadLetter;
import io.edgestream.schemas.DeadLetterReason;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.testing.kafka.EmbeddedKafkaExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One bad record of every single-record reason code between good images: each bad one lands in the
 * dead-letter topic with its code, key and original bytes, every good one is processed, and the job
 * never fails (it runs with no restarts allowed, so any failure would fail the test).
 */
class EdgeJobDeadLetterITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineHarness.miniCluster();

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    @Timeout(120)
    void shouldDeadLetterEveryBadRecordWithItsReasonAndKeepProcessingGoodOnes() throws Exception {
        String bootstrap = KAFKA.broker().bootstrapServers();
        Properties client = PipelineHarness.client(bootstrap);
        Topics topics = Topics.fresh("dlq");
        PipelineHarness.createTopics(client, topics, 1);

        Map<DeadLetterReason, byte[]> bad = BadRecords.all();
        List<byte[]> values = new ArrayList<>();
        int good = 0;
        values.add(TestImages.gray8Record("good-" + good++, 24, 20, 100));
        for (byte[] v : bad.values()) {
            values.add(v);
            values.add(TestImages.gray8Record("good-" + good++, 24, 20, 100 + good));
        }
        byte[] key = "camera-7".getBytes(StandardCharsets.UTF_8);
        PipelineHarness.produce(client, topics.images(), key, values);

        PipelineHarness.runToEnd(
                PipelineHarness.boundedOptions(
                        bootstrap,
                        topics,
                        Map.of(
                                EdgeJobOptions.FILTERS.key(),
                                "vertical|box5=1,1,1,1,1;1,1,1,1,1;1,1,1,1,1;1,1,1,1,1;1,1,1,1,1",
                                EdgeJobOptions.TILE_SIZE.key(),
                                "8",
                                EdgeJobOptions.MAX_PIXELS.key(),
                                "10000",
                                EdgeJobOptions.MAX_RECORD_BYTES.key(),
                                "100000",
                                // No restart allowed: a bad record that failed the job would
                                // fail this test instead of being retried silently.
                                EdgeJobOptions.RESTART_ATTEMPTS.key(),
                                "0")));

        AvroWire<DeadLetter> dlWire = AvroWire.deadLetters();
        Map<DeadLetterReason, DeadLetter> byReason = new EnumMap<>(DeadLetterReason.class);
        List<ConsumerRecord<byte[], byte[]>> dlq = PipelineHarness.drain(client, topics.dlq());
        for (ConsumerRecord<byte[], byte[]> r : dlq) {
            DeadLetter d = dlWire.decode(r.value());
            assertThat(r.key()).isEqualTo(key);
            assertThat(byReason.put(d.getReason(), d)).as("one dead letter per reason").isNull();
        }
        assertThat(byReason.keySet()).isEqualTo(bad.keySet());
        for (Map.Entry<DeadLetterReason, byte[]> e : bad.entrySet()) {
            DeadLetter d = byReason.get(e.getKey());
            // Records above max.record.bytes (also the payload cap) are left out, with their size.
            boolean tooLarge = e.getKey() == DeadLetterReason.RECORD_TOO_LARGE;
            assertThat(PipelineHarness.bytes(d.getPayload()))
                    .as(e.getKey() + " keeps the original bytes")
                    .isEqualTo(tooLarge ? new byte[0] : e.getValue());
            assertThat(d.getPayloadTruncated()).isEqualTo(tooLarge);
            assertThat(d.getOriginalSize()).isEqualTo(e.getValue().length);
            assertThat(d.getSourceTopic()).isEqualTo(topics.images());
            assertThat(d.getMessage()).isNotBlank();
        }

        AvroWire<EdgeStats> statsWire = AvroWire.edgeStats();
        Set<String> processed = new TreeSet<>();
        for (ConsumerRecord<byte[], byte[]> r : PipelineHarness.drain(client, topics.stats())) {
            EdgeStats s = statsWire.decode(r.value());
            assertThat(processed.add(s.getImageId() + "/" + s.getFilter())).isTrue();
        }
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < good; i++) {
            expected.add("good-" + i + "/vertical");
            expected.add("good-" + i + "/box5");
        }
        assertThat(processed).isEqualTo(expected);
    }
}
