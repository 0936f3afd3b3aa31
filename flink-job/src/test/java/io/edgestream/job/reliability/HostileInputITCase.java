package io.edgestream.job.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.edgestream.imaging.decode.DecodedImage;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.tile.MapAssembler;
import io.edgestream.job.EdgeJobOptions;
import io.edgestream.job.functions.ProcessingSpec;
import io.edgestream.job.testing.HostileCases;
import io.edgestream.job.testing.HostileCases.Case;
import io.edgestream.job.testing.PipelineHarness;
import io.edgestream.job.testing.PipelineHarness.Topics;
import io.edgestream.job.testing.Reference;
import io.edgestream.job.testing.TestImages;
import io.edgestream.schemas.DeadLetter;
import io.edgestream.schemas.DeadLetterReason;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.PixelFormat;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.testing.kafka.EmbeddedKafkaExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hostile-input corpus (files in {@code src/test/resources/hostile/}, records built around them
 * here) pushed through ONE run of the job; each case is then reported as its own test. Every case
 * is either processed correctly (one EdgeStats per filter, a complete map equal to the imaging
 * core's whole-image result) or a dead letter with the expected reason code, its key, offset and
 * original bytes. The job never restarts because of input, and the counts reconcile: inputs =
 * images processed + dead letters.
 *
 * <p>This complements {@code EdgeJobDeadLetterITCase} (one record per reason code): here the inputs
 * are the named hostile files and malformed records a camera or an attacker could send.
 */
class HostileInputITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineHarness.miniCluster();

    /** Input limit of this run; the oversized case is just above it. */
    private static final int MAX_RECORD_BYTES = 200_000;

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    /** A good control, the shared classic corpus, and a record just above this run's limit. */
    static List<Case> corpus() {
        List<Case> cases = new ArrayList<>();
        cases.add(
                Case.processed(
                        "good-control",
                        HostileCases.raw(
                                "good-control",
                                PixelFormat.GRAY8,
                                40,
                                30,
                                1,
                                TestImages.rawGray8(40, 30, 1))));
        cases.addAll(HostileCases.classic());
        int side = 500; // 250000 bytes of pixels, above MAX_RECORD_BYTES
        cases.add(
                Case.deadFrame(
                        "record-larger-than-input-limit",
                        HostileCases.raw(
                                "record-larger-than-input-limit",
                                PixelFormat.GRAY8,
                                side,
                                side,
                                1,
                                TestImages.rawGray8(side, side, 4)),
                        DeadLetterReason.RECORD_TOO_LARGE));
        return cases;
    }

    @TestFactory
    @Timeout(150)
    Stream<DynamicTest> corpusIsProcessedOrDeadLetteredWithoutRestarts(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        Topics t = Topics.fresh("hostile");
        PipelineHarness.createTopics(KAFKA.broker().clientProperties(), t, 2);
        List<Case> cases = corpus();
        List<Map.Entry<byte[], byte[]>> records = new ArrayList<>();
        for (Case c : cases) {
            records.add(new java.util.AbstractMap.SimpleImmutableEntry<>(c.key(), c.value()));
        }
        List<RecordMetadata> written =
                PipelineHarness.produce(KAFKA.broker().clientProperties(), t.images(), records);

        Map<String, String> opts =
                PipelineHarness.options(KAFKA.broker().bootstrapServers(), t, Map.of());
        opts.put(EdgeJobOptions.BOUNDED.key(), "true");
        opts.put(EdgeJobOptions.MAX_RECORD_BYTES.key(), String.valueOf(MAX_RECORD_BYTES));
        EdgeJobOptions o = EdgeJobOptions.of(opts);
        JobClient job = PipelineHarness.submit(o);
        job.getJobExecutionResult().get(120, TimeUnit.SECONDS);
        int restarts = PipelineHarness.restarts(cluster, job.getJobID());

        Outputs out = Outputs.read(t);
        ProcessingSpec spec = o.processing();
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            RecordMetadata where = written.get(i);
            String label =
                    c.name()
                            + (c.expected() == null
                                    ? " is processed"
                                    : " is dead-lettered as " + c.expected());
            tests.add(
                    dynamicTest(
                            label,
                            () -> {
                                if (c.expected() == null) {
                                    assertProcessed(c, out, spec);
                                } else {
                                    assertDeadLetter(c, where, t, out);
                                }
                            }));
        }
        tests.add(
                dynamicTest(
                        "the job never restarted because of input",
                        () -> assertThat(restarts).as("restarts").isZero()));
        tests.add(
                dynamicTest(
                        "inputs = images processed + dead letters",
                        () -> {
                            long processed = out.statsByImage.keySet().size();
                            assertThat(processed + out.deadLetters.size()).isEqualTo(cases.size());
                            assertThat(processed)
                                    .isEqualTo(
                                            cases.stream()
                                                    .filter(c -> c.expected() == null)
                                                    .count());
                            // No partial output for a dead-lettered image.
                            for (Case c : cases) {
                                if (c.expected() != null && c.frame() != null) {
                                    String id = c.frame().getImageId();
                                    assertThat(out.tilesByMap.keySet())
                                            .as("tiles of dead-lettered " + id)
                                            .noneMatch(k -> k.startsWith(id + "/"));
                                }
                            }
                        }));
        return tests.stream();
    }

    private static void assertDeadLetter(Case c, RecordMetadata where, Topics t, Outputs out) {
        List<ConsumerRecord<byte[], byte[]>> mine =
                out.deadLetters.stream()
                        .filter(r -> java.util.Arrays.equals(r.key(), c.key()))
                        .toList();
        assertThat(mine).as("dead letters keyed " + c.name()).hasSize(1);
        DeadLetter d = AvroWire.deadLetters().decode(mine.get(0).value());
        assertThat(d.getReason()).as("reason; message: " + d.getMessage()).isEqualTo(c.expected());
        byte[] original = c.value() == null ? new byte[0] : c.value();
        assertThat(d.getOriginalSize()).as("original size").isEqualTo(original.length);
        // The payload cap is max.record.bytes: only a record above it is left out of its dead
        // letter, which then says how large it was and where it is.
        boolean tooLarge = c.expected() == DeadLetterReason.RECORD_TOO_LARGE;
        assertThat(d.getPayloadTruncated()).as("payload left out").isEqualTo(tooLarge);
        assertThat(PipelineHarness.bytes(d.getPayload()))
                .as("original bytes")
                .isEqualTo(tooLarge ? new byte[0] : original);
        assertThat(d.getSourceTopic()).isEqualTo(t.images());
        assertThat(d.getSourcePartition()).isEqualTo(where.partition());
        assertThat(d.getSourceOffset()).isEqualTo(where.offset());
        assertThat(d.getMessage()).isNotBlank();
        // A record over the size limit is not parsed; every other case names its image (an
        // all-NaN FLOAT32 image too: it is refused with its id before statistics are planned).
        if (c.frame() != null && c.expected() != DeadLetterReason.RECORD_TOO_LARGE) {
            assertThat(d.getImageId()).isEqualTo(c.frame().getImageId());
        }
        assertThat(out.statsByImage).doesNotContainKey(c.name());
    }

    private static void assertProcessed(Case c, Outputs out, ProcessingSpec spec) throws Exception {
        String id = c.frame().getImageId();
        assertThat(out.deadLetters.stream().filter(r -> java.util.Arrays.equals(r.key(), c.key())))
                .as("dead letters of " + id)
                .isEmpty();
        DecodedImage decoded = PipelineHarness.decode(c.frame());
        List<EdgeStats> stats = out.statsByImage.getOrDefault(id, List.of());
        assertThat(stats).as("EdgeStats of " + id).hasSize(spec.filterList().size());
        for (Filter f : spec.filterList()) {
            String map = id + "/" + f.name();
            List<EdgeStats> mine =
                    stats.stream().filter(s -> s.getFilter().equals(f.name())).toList();
            assertThat(mine).as("EdgeStats of " + map).hasSize(1);
            EdgeStats s = mine.get(0);
            Reference.assertStatsEqual(s, Reference.stats(f, decoded, spec));
            List<FeatureMapTile> tiles = out.tilesByMap.get(map);
            assertThat(tiles).as("tiles of " + map).isNotNull();
            assertThat(tiles.stream().map(FeatureMapTile::getTileIndex).toList())
                    .doesNotHaveDuplicates()
                    .hasSize(s.getTileCount());
            MapAssembler a = PipelineHarness.reassemble(tiles);
            assertThat(a.isComplete()).as(map + " complete").isTrue();
            Reference.assertSameBits(
                    map, a.result(), Reference.map(f, decoded.toF32(), spec.convParams()));
            if (c.name().startsWith("float32")) {
                long values = (long) s.getMapWidth() * s.getMapHeight() * s.getChannels();
                assertThat(s.getPixelCount())
                        .as("non-finite responses are excluded from the stats")
                        .isLessThan(values)
                        .isPositive();
                assertThat(
                                Double.isFinite(s.getMin())
                                        && Double.isFinite(s.getMax())
                                        && Double.isFinite(s.getMean()))
                        .isTrue();
            }
        }
        if (c.name().equals("png-16-bit-small")) {
            assertThat(decoded.maxValue()).as("16-bit range kept").isEqualTo(65535f);
        }
        if (c.name().equals("png-rgba-small")) {
            assertThat(decoded.channels()).isEqualTo(4);
        }
        if (c.name().equals("jpeg-cmyk-small")) {
            assertThat(decoded.channels()).as("CMYK converted to RGB").isEqualTo(3);
        }
    }

    /** Every committed output of the run, grouped. */
    record Outputs(
            Map<String, List<EdgeStats>> statsByImage,
            Map<String, List<FeatureMapTile>> tilesByMap,
            List<ConsumerRecord<byte[], byte[]>> deadLetters) {
        static Outputs read(Topics t) {
            Map<String, List<EdgeStats>> stats = new LinkedHashMap<>();
            for (ConsumerRecord<byte[], byte[]> r :
                    PipelineHarness.drain(KAFKA.broker().clientProperties(), t.stats())) {
                EdgeStats s = AvroWire.edgeStats().decode(r.value());
                stats.computeIfAbsent(s.getImageId(), k -> new ArrayList<>()).add(s);
            }
            Map<String, List<FeatureMapTile>> tiles = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r :
                    PipelineHarness.drain(KAFKA.broker().clientProperties(), t.maps())) {
                FeatureMapTile m = AvroWire.featureMapTiles().decode(r.value());
                tiles.computeIfAbsent(m.getImageId() + "/" + m.getFilter(), k -> new ArrayList<>())
                        .add(m);
            }
            return new Outputs(
                    stats,
                    tiles,
                    PipelineHarness.drain(KAFKA.broker().clientProperties(), t.dlq()));
        }
    }
}
