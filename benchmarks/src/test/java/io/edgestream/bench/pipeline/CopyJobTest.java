package io.edgestream.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.job.EdgeJobOptions;
import io.edgestream.job.records.InputRecord;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class CopyJobTest {

    @Test
    void shouldCopyKeyValueAndTimestampToTheOutputTopic() {
        byte[] key = {1, 2};
        byte[] value = {3, 4, 5};
        ProducerRecord<byte[], byte[]> out =
                new CopyJob.CopySerializationSchema("out")
                        .serialize(new InputRecord("in", 1, 7, 1234L, key, value), null, 99L);
        assertThat(out.topic()).isEqualTo("out");
        assertThat(out.partition()).isNull();
        assertThat(out.key()).containsExactly(1, 2);
        assertThat(out.value()).containsExactly(3, 4, 5);
        assertThat(out.timestamp()).isEqualTo(1234L);
    }

    @Test
    void shouldLeaveTheTimestampToKafkaWhenTheInputHadNone() {
        ProducerRecord<byte[], byte[]> out =
                new CopyJob.CopySerializationSchema("out")
                        .serialize(
                                new InputRecord("in", 0, 0, -1L, null, new byte[] {9}), null, 5L);
        assertThat(out.timestamp()).isNull();
        assertThat(out.key()).isNull();
    }

    @Test
    void shouldReadTheEdgeJobFlagsAndRaiseMaxRequestSizeForWholeRecords() {
        EdgeJobOptions o =
                EdgeJobOptions.fromArgs(
                        new String[] {
                            "--topic.images", "bench-in",
                            "--topic.maps", "bench-out",
                            "--max.record.bytes", "4000000",
                            "--transaction.timeout.ms", "720000",
                            "--job.name", "bench-copy",
                            "--kafka.linger.ms", "5"
                        });
        assertThat(o.imagesTopic()).isEqualTo("bench-in");
        assertThat(o.mapsTopic()).isEqualTo("bench-out");
        Properties p = CopyJob.producerProperties(o);
        assertThat(p.getProperty("max.request.size"))
                .isEqualTo(String.valueOf(4_000_000 + CopyJob.RECORD_OVERHEAD_BYTES));
        assertThat(p.getProperty("transaction.timeout.ms")).isEqualTo("720000");
        assertThat(p.getProperty("client.id")).isEqualTo("bench-copy-copy");
        assertThat(p.getProperty("linger.ms")).isEqualTo("5");
    }

    @Test
    void shouldKeepALargerConfiguredMaxRequestSize() {
        EdgeJobOptions o =
                EdgeJobOptions.fromArgs(
                        new String[] {
                            "--max.record.bytes", "1000", "--kafka.max.request.size", "50000000"
                        });
        assertThat(CopyJob.producerProperties(o).getProperty("max.request.size"))
                .isEqualTo("50000000");
    }
}
