package io.edgestream.clients;

import static io.edgestream.clients.JobOutput.jobOutput;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.clients.cli.Progress;
import io.edgestream.clients.consume.ConsumeEdges;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.Filters;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.schemas.MapDataType;
import io.edgestream.testing.kafka.EmbeddedKafka;
import io.edgestream.testing.kafka.EmbeddedKafkaExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code consume-edges --group} survives being killed: the tool runs as its own JVM, is killed with
 * SIGKILL ({@link Process#destroyForcibly}) twice at chosen points (once after a map's files but
 * before its stats line, once after its stats line but before the offsets past it are committed),
 * and is started again with the same group and output directory. The third run ends by itself, and
 * the output equals that of one uninterrupted run: the same image folders, every {@code .npy} and
 * {@code .png} byte for byte, every map's stats line exactly once, each image once in the gallery.
 * The group's committed offsets after the first kill are past the start, and the last run reads
 * fewer records than there are, so the runs really continued rather than re-reading everything.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ConsumerGroupResumeITCase {

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final String MAPS = "edge-maps-resume";
    private static final String STATS = "edge-stats-resume";
    private static final String GROUP = "gallery-resume";
    private static final int IMAGES = 8;
    private static final String PAUSED = "consume-edges: test hook: paused after map ";
    private static final String HOOK = "edgestream.consume-edges.test.pause-after-map";

    @Test
    void aKilledRunRestartedWithItsGroupWritesEveryImageExactlyOnce(@TempDir Path dir)
            throws Exception {
        KAFKA.broker().createTopics(3, EmbeddedKafka.LARGE_RECORD_TOPIC_CONFIGS, MAPS, STATS);
        int records = produceJobOutput();

        Path reference = dir.resolve("reference");
        ConsumeEdges.Summary ref =
                ConsumeEdges.run(
                        new ConsumeEdges.Options()
                                .bootstrap(KAFKA.broker().bootstrapServers())
                                .topics(MAPS, STATS, "images", "images-dlq")
                                .out(reference)
                                .images(IMAGES)
                                .expectFilters(2)
                                .timeout(Duration.ofSeconds(60))
                                .progress(Progress.Mode.NONE),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(ref.completeImages()).isEqualTo(IMAGES);

        Path out = dir.resolve("out");
        // 1: killed after the 5th map's .npy and .png, before its line in stats.jsonl.
        Run first = start(dir, "1", out, "5:files");
        first.awaitPause();
        first.kill();
        assertThat(Files.readAllLines(out.resolve("stats.jsonl"))).hasSize(4);
        long committed = committedSum();
        assertThat(committed).as("offsets committed before the kill").isPositive();

        // 2: killed after its 3rd map's stats line, before the offsets past it are committed.
        Run second = start(dir, "2", out, "3");
        second.awaitPause();
        second.kill();
        assertThat(Files.readAllLines(out.resolve("stats.jsonl"))).hasSize(7);

        // 3: to the end.
        Run third = start(dir, "3", out, null);
        assertThat(third.process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String printed = third.stdout();
        assertThat(third.process.exitValue()).as("exit code; output:%n%s", printed).isZero();
        assertThat(printed)
                .contains("group '" + GROUP + "': continuing from its committed offsets")
                .contains(IMAGES + " images complete");
        assertThat(readRecords(printed))
                .as("records the last run read (of %d)", records)
                .isLessThan(records);

        String html = Files.readString(out.resolve("index.html"));
        // The same folders and files as one uninterrupted run, byte for byte.
        assertThat(files(out)).isEqualTo(files(reference));
        for (Map.Entry<String, byte[]> e : contents(reference).entrySet()) {
            assertThat(Files.readAllBytes(out.resolve(e.getKey())))
                    .as(e.getKey())
                    .isEqualTo(e.getValue());
        }
        // Folders after the file names: the three images called board.jpg get three.
        assertThat(
                        files(out).stream()
                                .map(f -> f.substring(0, f.indexOf('/')))
                                .distinct()
                                .filter(d -> d.startsWith("board.jpg~")))
                .hasSize(3);
        assertThat(files(out)).anySatisfy(f -> assertThat(f).startsWith("Straße_1.png~"));
        assertThat(html).contains("<h2>board.jpg</h2>").contains("<h2>Straße 4.png</h2>");
        // Every map's stats exactly once (in completion order, which may differ).
        assertThat(Files.readAllLines(out.resolve("stats.jsonl")))
                .hasSize(IMAGES * 2)
                .containsExactlyInAnyOrderElementsOf(
                        Files.readAllLines(reference.resolve("stats.jsonl")));
        assertThat(html.split("<section class=\"image\"", -1)).hasSize(IMAGES + 1);
    }

    /**
     * Job output of {@link #IMAGES} images, two filters each, in three transactions (as three
     * checkpoints), image after image; returns the number of records.
     */
    private static int produceJobOutput() throws Exception {
        Properties tx = new Properties();
        tx.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers());
        tx.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "resume-it");
        tx.put(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                String.valueOf(EmbeddedKafka.DEFAULT_MAX_MESSAGE_BYTES));
        List<Filter> filters = List.of(Filters.parse("sobel"), Filters.parse("laplacian"));
        Random random = new Random(11);
        int n = 0;
        try (KafkaProducer<byte[], byte[]> p =
                new KafkaProducer<>(tx, new ByteArraySerializer(), new ByteArraySerializer())) {
            p.initTransactions();
            for (int i = 0; i < IMAGES; i++) {
                if (i % 3 == 0) {
                    if (i > 0) {
                        p.commitTransaction();
                    }
                    p.beginTransaction();
                }
                ImageF32 img = ImageF32.allocate(40 + i, 30, 1);
                for (int k = 0; k < img.data.length; k++) {
                    img.data[k] = random.nextInt(256);
                }
                // The filters' records interleave, as the job's tasks interleave them.
                List<ProducerRecord<byte[], byte[]>> image = new ArrayList<>();
                long seed = i * 10L;
                for (Filter f : filters) {
                    image.addAll(
                            jobOutput(
                                    MAPS,
                                    STATS,
                                    "cam-" + (i % 2) + "/" + String.format("%06d", i),
                                    img,
                                    f,
                                    ConvParams.DEFAULT,
                                    16,
                                    seed++,
                                    MapDataType.FLOAT32_LE,
                                    name(i)));
                }
                java.util.Collections.shuffle(image, new Random(i));
                for (ProducerRecord<byte[], byte[]> r : image) {
                    p.send(r);
                    n++;
                }
            }
            p.commitTransaction();
        }
        return n;
    }

    /**
     * The file name image {@code i} came from: three images are all called {@code board.jpg}, some
     * have names in other scripts, some none (their folders are named after their ids).
     */
    private static String name(int i) {
        return switch (i % 3) {
            case 0 -> "board.jpg";
            case 1 -> "Straße " + i + ".png";
            default -> null;
        };
    }

    /** The tool as its own JVM, its output in files. */
    private record Run(Process process, Path stdoutFile, Path stderr) {
        void awaitPause() throws Exception {
            try (WatchService watch = FileSystems.getDefault().newWatchService()) {
                stderr.getParent().register(watch, StandardWatchEventKinds.ENTRY_MODIFY);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (!Files.readString(stderr).contains(PAUSED)) {
                    assertThat(process.isAlive())
                            .as(
                                    "still running; output:%n%s%n%s",
                                    stdout(), Files.readString(stderr))
                            .isTrue();
                    assertThat(System.nanoTime()).as("paused in time").isLessThan(deadline);
                    // Wakes on the next write to the output files (or after a second, to look at
                    // the process again).
                    var key = watch.poll(1, TimeUnit.SECONDS);
                    if (key != null) {
                        key.pollEvents();
                        key.reset();
                    }
                }
            }
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        public String stdout() throws IOException {
            return Files.readString(stdoutFile);
        }
    }

    private static Run start(Path dir, String name, Path out, String pauseAt) throws IOException {
        Path logs = Files.createDirectories(dir.resolve("run-" + name));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("-XX:TieredStopAtLevel=1");
        if (pauseAt != null) {
            cmd.add("-D" + HOOK + "=" + pauseAt);
        }
        cmd.add("-cp");
        String cp = System.getProperty("surefire.test.class.path");
        cmd.add(cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(
                List.of(
                        "consume-edges",
                        "--bootstrap",
                        KAFKA.broker().bootstrapServers(),
                        "--maps-topic",
                        MAPS,
                        "--stats-topic",
                        STATS,
                        "--group",
                        GROUP,
                        "--out",
                        out.toString(),
                        "--images",
                        String.valueOf(IMAGES),
                        "--expect-filters",
                        "2",
                        "--timeout",
                        "100s",
                        "--progress",
                        "none",
                        // Small polls: offsets are committed many times during a run.
                        "--kafka",
                        "max.poll.records=5"));
        Process p =
                new ProcessBuilder(cmd)
                        .redirectOutput(logs.resolve("stdout.txt").toFile())
                        .redirectError(logs.resolve("stderr.txt").toFile())
                        .start();
        return new Run(p, logs.resolve("stdout.txt"), logs.resolve("stderr.txt"));
    }

    /** The sum of the group's committed offsets over all partitions. */
    private static long committedSum() throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(GROUP)
                            .partitionsToOffsetAndMetadata()
                            .get(30, TimeUnit.SECONDS);
            return offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        }
    }

    /** Tiles plus stats records a run says it read: {@code (N tiles, M stats records}. */
    private static long readRecords(String printed) {
        var m =
                java.util.regex.Pattern.compile("\\((\\d+) tiles, (\\d+) stats records")
                        .matcher(printed);
        assertThat(m.find()).as("summary in:%n%s", printed).isTrue();
        return Long.parseLong(m.group(1)) + Long.parseLong(m.group(2));
    }

    /** Every file below {@code root} but the gallery page, relative, sorted. */
    private static List<String> files(Path root) throws IOException {
        return new ArrayList<>(contents(root).keySet());
    }

    private static TreeMap<String, byte[]> contents(Path root) throws IOException {
        TreeMap<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                String rel = root.relativize(f).toString();
                if (!rel.equals("index.html") && !rel.equals("stats.jsonl")) {
                    files.put(rel, Files.readAllBytes(f));
                }
            }
        }
        return files;
    }
}
