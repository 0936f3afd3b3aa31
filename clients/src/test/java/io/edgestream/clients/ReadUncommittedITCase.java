package io.edgestream.clients;

import static io.edgestream.clients.JobOutput.jobOutput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.clients.cli.ExitCodes;
import io.edgestream.clients.cli.Progress;
import io.edgestream.clients.cli.ToolException;
import io.edgestream.clients.consume.ConsumeEdges;
import io.edgestream.clients.consume.NpyWriter;
import io.edgestream.clients.consume.SafeNames;
import io.edgestream.clients.consume.StatsJson;
import io.edgestream.clients.convolve.ConvolveFile;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.Filters;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.testing.kafka.EmbeddedKafka;
import io.edgestream.testing.kafka.EmbeddedKafkaExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code consume-edges} and aborted job transactions, against a real in-process broker. The job
 * writes {@code edge-maps} and {@code edge-stats} in Kafka transactions and aborts those of an
 * attempt that failed between two checkpoints; the aborted records stay in the log. Here the topics
 * hold, in this order: image A's tiles and stats (committed), an attempt at image B (aborted), and
 * the replay of B (committed). The aborted attempt's maps are computed from other pixels than the
 * replay's, so the {@code .npy} files show whose values the tool wrote.
 *
 * <ul>
 *   <li>By default (read_committed) the tool writes exactly the committed maps and stats; the
 *       aborted records are not even delivered to it.
 *   <li>{@code --kafka isolation.level=read_uncommitted} without {@code --allow-uncommitted} is a
 *       usage error (exit 64), before anything is read or written.
 *   <li>With {@code --allow-uncommitted} it does read the aborted attempt, and the first complete
 *       set of tiles of a map wins: B's maps are the aborted attempt's, the replay's tiles are
 *       ignored as duplicates. That is what the flag's help warns about.
 * </ul>
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReadUncommittedITCase {

    private static final String MAPS = "edge-maps";
    private static final String STATS = "edge-stats";
    private static final String IMAGES = "images";
    private static final String DLQ = "images-dlq";
    private static final ConvParams PARAMS = ConvParams.DEFAULT;
    private static final List<Filter> FILTERS =
            List.of(Filters.parse("sobel"), Filters.parse("laplacian"));
    private static final String A = "cam/a";
    private static final String B = "cam/b";

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();
    private static ImageF32 imageA;
    private static ImageF32 imageB;
    private static ImageF32 abortedB;

    /** stats.jsonl lines as the tool writes them, by image and filter: committed, and aborted. */
    private static final Map<String, String> committedStats = new LinkedHashMap<>();

    private static final Map<String, String> abortedStats = new LinkedHashMap<>();
    private static int committedTiles;

    @BeforeAll
    static void writeACommittedAnAbortedAndAReplayedTransaction() throws Exception {
        KAFKA.broker()
                .createTopics(
                        1, EmbeddedKafka.LARGE_RECORD_TOPIC_CONFIGS, MAPS, STATS, IMAGES, DLQ);
        imageA = randomImage(41, 29, 1);
        imageB = randomImage(37, 33, 2);
        abortedB = randomImage(37, 33, 3);

        Properties p = KAFKA.broker().clientProperties();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "edge-job-attempts");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            // A checkpoint's worth of output, committed ...
            producer.beginTransaction();
            send(producer, outputOf(A, imageA), committedStats);
            producer.commitTransaction();
            // ... the output of an attempt that failed: in the log, then aborted ...
            producer.beginTransaction();
            send(producer, outputOf(B, abortedB), abortedStats);
            producer.flush();
            producer.abortTransaction();
            // ... and the replay of the same input after the restart, committed.
            producer.beginTransaction();
            send(producer, outputOf(B, imageB), committedStats);
            producer.commitTransaction();
        }
        assertThat(committedStats).hasSize(4);
        assertThat(abortedStats).hasSize(2);
    }

    private static ImageF32 randomImage(int w, int h, long seed) {
        Random r = new Random(seed);
        ImageF32 img = ImageF32.allocate(w, h, 3);
        for (int i = 0; i < img.data.length; i++) {
            img.data[i] = r.nextInt(256);
        }
        return img;
    }

    /** The job's output for every filter of one image, tiles of 16 (several per map). */
    private static List<ProducerRecord<byte[], byte[]>> outputOf(String imageId, ImageF32 image) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        long seed = 7;
        for (Filter f : FILTERS) {
            records.addAll(jobOutput(MAPS, STATS, imageId, image, f, PARAMS, 16, seed++));
        }
        return records;
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer,
            List<ProducerRecord<byte[], byte[]>> records,
            Map<String, String> statsLines) {
        for (ProducerRecord<byte[], byte[]> r : records) {
            producer.send(r);
            if (r.topic().equals(STATS)) {
                var s = AvroWire.edgeStats().decode(r.value());
                statsLines.put(s.getImageId() + "/" + s.getFilter(), StatsJson.line(s));
            } else if (statsLines == committedStats) {
                committedTiles++;
            }
        }
    }

    /** The tool as run from the command line, with its exit code and what it printed. */
    private record Run(int exitCode, String out, String err) {}

    private static Run consumeEdges(Path out, String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                ConsumeEdges.TOOL,
                                "--bootstrap",
                                KAFKA.broker().bootstrapServers(),
                                "--out",
                                out.toString(),
                                "--images",
                                "2",
                                "--expect-filters",
                                String.valueOf(FILTERS.size()),
                                "--timeout",
                                "60s",
                                "--progress",
                                "none"));
        args.addAll(List.of(extra));
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code =
                Main.run(
                        args.toArray(String[]::new),
                        new PrintStream(o, true, StandardCharsets.UTF_8),
                        new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Run(
                code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    /** The .npy file the tool must write for {@code image}'s map of {@code f}, byte for byte. */
    private static byte[] npyOf(ImageF32 image, Filter f) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        NpyWriter.write(ConvolveFile.compute(image, f, PARAMS), b);
        return b.toByteArray();
    }

    private static byte[] written(Path out, String imageId, Filter f) throws Exception {
        return Files.readAllBytes(out.resolve(SafeNames.of(imageId)).resolve(f.name() + ".npy"));
    }

    @Test
    void byDefaultTheToolWritesExactlyTheCommittedMapsAndStats(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Run run = consumeEdges(out);

        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
        for (Filter f : FILTERS) {
            assertThat(npyOf(abortedB, f))
                    .as("the aborted attempt's %s map differs from the replay's", f.name())
                    .isNotEqualTo(npyOf(imageB, f));
            assertThat(written(out, A, f)).as("A/%s", f.name()).isEqualTo(npyOf(imageA, f));
            assertThat(written(out, B, f))
                    .as("B/%s: the committed replay's map", f.name())
                    .isEqualTo(npyOf(imageB, f));
        }
        assertThat(Files.readAllLines(out.resolve("stats.jsonl")))
                .containsExactlyInAnyOrderElementsOf(committedStats.values());
        // Only the committed records were delivered: no aborted tile counted, none dropped.
        assertThat(run.out())
                .contains("2 images complete, 4 maps written")
                .contains("(" + committedTiles + " tiles, 4 stats records)")
                .doesNotContain("duplicates ignored");
    }

    @Test
    void readUncommittedIsRefusedWithoutAllowUncommitted(@TempDir Path dir) {
        Path out = dir.resolve("out");
        Run run = consumeEdges(out, "--kafka", "isolation.level=read_uncommitted");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE).isEqualTo(64);
        assertThat(run.err())
                .contains(
                        "consume-edges: isolation.level=read_uncommitted would show output of"
                                + " aborted job transactions")
                .contains("add --allow-uncommitted if that is really wanted");
        assertThat(run.out()).isEmpty();
        assertThat(out).doesNotExist();

        // The same from Java, whatever the options were built by.
        ConsumeEdges.Options o =
                new ConsumeEdges.Options()
                        .bootstrap(KAFKA.broker().bootstrapServers())
                        .topics(MAPS, STATS, IMAGES, DLQ)
                        .out(out)
                        .kafka(Map.of("isolation.level", "READ_UNCOMMITTED"))
                        .progress(Progress.Mode.NONE);
        assertThatThrownBy(() -> ConsumeEdges.run(o, new PrintStream(new ByteArrayOutputStream())))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("--allow-uncommitted")
                .satisfies(e -> assertThat(((ToolException) e).exitCode()).isEqualTo(64));
        assertThat(out).doesNotExist();
    }

    @Test
    void withAllowUncommittedTheAbortedAttemptsMapsAreWrittenAndTheReplayIsDropped(
            @TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Run run =
                consumeEdges(
                        out, "--kafka", "isolation.level=read_uncommitted", "--allow-uncommitted");

        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
        for (Filter f : FILTERS) {
            assertThat(written(out, A, f)).as("A/%s", f.name()).isEqualTo(npyOf(imageA, f));
            // B's aborted tiles precede the replay's in the log: they complete the map first, and
            // the replay's tiles of the same indices are then dropped as duplicates. The output
            // is the aborted attempt's, not what the job committed.
            assertThat(written(out, B, f))
                    .as("B/%s read uncommitted: the aborted attempt's map", f.name())
                    .isEqualTo(npyOf(abortedB, f))
                    .isNotEqualTo(npyOf(imageB, f));
        }
        // One stats line per map still, but for B it may be either attempt's (whichever stats
        // record the map had when its tiles completed): the tool cannot tell them apart.
        List<String> lines = Files.readAllLines(out.resolve("stats.jsonl"));
        assertThat(lines).hasSize(4);
        for (Filter f : FILTERS) {
            assertThat(lines).contains(committedStats.get(A + "/" + f.name()));
            assertThat(lines)
                    .containsAnyOf(
                            committedStats.get(B + "/" + f.name()),
                            abortedStats.get(B + "/" + f.name()));
        }
        assertThat(run.out()).contains("2 images complete, 4 maps written");
    }
}
