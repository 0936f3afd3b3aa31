package io.edgestream.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.job.EdgeJobOptions;
import io.edgestream.job.records.InputRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class CopyJobTest {

    private static List<CopyJob.CopyOut> expand(String spec, InputRecord in) {
        List<CopyJob.CopyOut> out = new ArrayList<>();
        new CopyJob.Expand(spec, "m", "s")
                .flatMap(
                        in,
                        new Collector<>() {
                            @Override
                            public void collect(CopyJob.CopyOut r) {
                                out.add(r);
                            }

                            @Override
                            public void close() {}
                        });
        return out;
    }

    @Test
    void shouldWriteExactlyTheProfilesRecordsForEachInput() {
        OutputProfile p = OutputProfile.parse("maps:14:1000*3,maps:14:700*2,stats:14:120*2");
        InputRecord in = new InputRecord("in", 2, 77, 1234L, new byte[] {1}, new byte[] {5, 6, 7});
        List<CopyJob.CopyOut> out = expand(p.spec(), in);

        assertThat(out).hasSize(7);
        assertThat(out.stream().filter(r -> r.topic.equals("m")).map(r -> r.value.length))
                .containsExactly(1000, 1000, 1000, 700, 700);
        assertThat(out.stream().filter(r -> r.topic.equals("s")).map(r -> r.value.length))
                .containsExactly(120, 120);
        assertThat(out).allSatisfy(r -> assertThat(r.key).hasSize(14));
        assertThat(out).allSatisfy(r -> assertThat(r.timestamp).isEqualTo(1234L));
        long bytes = out.stream().mapToLong(r -> r.key.length + r.value.length).sum();
        assertThat(bytes).isEqualTo(p.bytes());
        // One key per input, so all of an image's records share a partition, as the job's do.
        assertThat(out.stream().map(r -> new String(r.key)).distinct()).hasSize(1);
        // Values are the input's bytes repeated (incompressible like maps, not zeros).
        assertThat(out.get(0).value).startsWith(5, 6, 7, 5, 6, 7);
    }

    @Test
    void shouldGiveDifferentInputsDifferentKeysOfTheSameSize() {
        byte[] a = CopyJob.key("in", 0, 1, 14);
        byte[] b = CopyJob.key("in", 0, 2, 14);
        assertThat(a).hasSize(14);
        assertThat(b).hasSize(14);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void shouldCopyTheInputUnchangedWithoutAProfile() {
        InputRecord in =
                new InputRecord("in", 1, 7, 1234L, new byte[] {1, 2}, new byte[] {3, 4, 5});
        List<CopyJob.CopyOut> out = expand(null, in);
        assertThat(out).hasSize(1);
        ProducerRecord<byte[], byte[]> r =
                new CopyJob.CopySerializationSchema("m", "s").serialize(out.get(0), null, 99L);
        assertThat(r.topic()).isEqualTo("m");
        assertThat(r.partition()).isNull();
        assertThat(r.key()).containsExactly(1, 2);
        assertThat(r.value()).containsExactly(3, 4, 5);
        assertThat(r.timestamp()).isEqualTo(1234L);
    }

    @Test
    void shouldLeaveTheTimestampToKafkaWhenTheInputHadNone() {
        ProducerRecord<byte[], byte[]> out =
                new CopyJob.CopySerializationSchema("m", "s")
                        .serialize(new CopyJob.CopyOut("m", null, new byte[] {9}, -1L), null, 5L);
        assertThat(out.timestamp()).isNull();
        assertThat(out.key()).isNull();
    }

    @Test
    void shouldTakeItsProfileFlagAndPassTheRestToTheEdgeJobOptions() {
        CopyJob.Args a =
                CopyJob.Args.split(
                        new String[] {
                            "--topic.images",
                            "bench-in",
                            "--copy.profile",
                            "maps:14:100*2,stats:14:10*1",
                            "--topic.maps",
                            "bench-out"
                        });
        assertThat(a.profile()).isEqualTo("maps:14:100*2,stats:14:10*1");
        EdgeJobOptions o = EdgeJobOptions.fromArgs(a.jobArgs());
        assertThat(o.imagesTopic()).isEqualTo("bench-in");
        assertThat(o.mapsTopic()).isEqualTo("bench-out");
        assertThat(CopyJob.Args.split(new String[] {"--copy.profile=stats:1:2*3"}).profile())
                .isEqualTo("stats:1:2*3");
        assertThatThrownBy(() -> CopyJob.Args.split(new String[] {"--copy.profile"}))
                .hasMessageContaining("needs a value");
    }

    @Test
    void shouldRaiseMaxRequestSizeToTheLargestRecordAndKeepTheJobsProducerSettings() {
        EdgeJobOptions o =
                EdgeJobOptions.fromArgs(
                        new String[] {
                            "--max.record.bytes", "4000000",
                            "--transaction.timeout.ms", "720000",
                            "--job.name", "bench-copy",
                            "--kafka.linger.ms", "5"
                        });
        OutputProfile p = OutputProfile.parse("maps:14:5000000*1,stats:14:100*1");
        Properties props = CopyJob.producerProperties(o, CopyJob.maxRecordBytes(o, p));
        assertThat(props.getProperty("max.request.size"))
                .isEqualTo(String.valueOf(5_000_014 + CopyJob.RECORD_OVERHEAD_BYTES));
        assertThat(props.getProperty("transaction.timeout.ms")).isEqualTo("720000");
        assertThat(props.getProperty("client.id")).isEqualTo("bench-copy-copy");
        assertThat(props.getProperty("linger.ms")).isEqualTo("5");
        assertThat(CopyJob.maxRecordBytes(o, null)).isEqualTo(4_000_000);
    }

    @Test
    void shouldKeepALargerConfiguredMaxRequestSize() {
        EdgeJobOptions o =
                EdgeJobOptions.fromArgs(
                        new String[] {
                            "--max.record.bytes", "1000", "--kafka.max.request.size", "50000000"
                        });
        assertThat(CopyJob.producerProperties(o, 1000).getProperty("max.request.size"))
                .isEqualTo("50000000");
    }
}
