package io.edgestream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgestream.clients.consume.ConsumeEdges;
import io.edgestream.clients.consume.NpyReader;
import io.edgestream.clients.convolve.ConvolveFile;
import io.edgestream.clients.produce.ProduceImages;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.Filters;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.job.EdgeJobOptions;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.kafka.RecordLimits;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.testing.stack.FlinkRestClient;
import io.edgestream.testing.stack.LocalStack;
import io.edgestream.testing.stack.LocalStackExtension;
import io.edgestream.testing.stack.Waits;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on the real multi-process stack, as a user runs it: a broker process ({@code
 * kafka-local.sh}) and a session cluster of a JobManager and two TaskManager JVMs ({@code
 * flink-local.sh}), the topics of {@code stack/topics.properties} ({@code create-topics.sh}), the
 * shaded job jar submitted through the REST API ({@code submit-job.sh}), and the producer and
 * consumer tools against the running job:
 *
 * <ol>
 *   <li>{@code create-topics.sh} creates the four topics with the record limit of {@link
 *       RecordLimits}, and a second run leaves them as they are;
 *   <li>{@code submit-job.sh} submits the job (a second submission with {@code --skip-if-running}
 *       reports the running job instead), and every operator runs subtasks on both TaskManagers;
 *   <li>batch A of PNG files goes in through the producer tool, the consumer tool writes its maps,
 *       and each map equals the imaging core's whole-image convolution bit for bit;
 *   <li>the job is stopped with a savepoint and resubmitted from it; batch B follows, and all maps
 *       of both batches equal the core's;
 *   <li>after the job is stopped, a read_committed reader finds every (image, filter) exactly once:
 *       one EdgeStats each, every tile index once, nothing dead-lettered;
 *   <li>the extension then stops the stack and fails the class if any process of it is left.
 * </ol>
 */
class StackEndToEndITCase {

    @RegisterExtension static final LocalStackExtension STACK = new LocalStackExtension();

    private static final String FILTERS = "vertical,horizontal,sobel";
    private static final int PER_BATCH = 6;
    private static final List<String> TOPICS =
            List.of("images", "edge-maps", "edge-stats", "images-dlq");
    private static final List<String> IMAGE_TOPICS = List.of("images", "edge-maps", "images-dlq");
    private static final Duration OUTPUT = Duration.ofSeconds(180);

    @Test
    @Timeout(900)
    void imagesCrossTheRealStackExactlyOnceAndEqualTheCoreAcrossASavepointUpgrade(
            LocalStack stack, @TempDir Path tmp) throws Exception {
        try (PrintStream tools = toolLog(stack)) {
            run(stack, tmp, tools);
        }
    }

    private static void run(LocalStack stack, Path tmp, PrintStream tools) throws Exception {
        long t0 = System.nanoTime();
        List<Filter> filters = Filters.parseList(FILTERS);
        int parallelism = stack.settings().taskManagers() * stack.settings().slotsPerTaskManager();
        String rest = stack.rest().base();
        Path jar = LocalStack.jobJar();
        List<String> jobOptions =
                List.of(
                        "--" + EdgeJobOptions.BOOTSTRAP_SERVERS.key(),
                        stack.bootstrap(),
                        "--" + EdgeJobOptions.FILTERS.key(),
                        FILTERS,
                        "--" + EdgeJobOptions.CHECKPOINT_INTERVAL_MS.key(),
                        "2000");

        // ---- topics: created from stack/topics.properties, left alone the second time
        ok(stack.script("create-topics.sh", "--bootstrap", stack.bootstrap()));
        String again = ok(stack.script("create-topics.sh", "--bootstrap", stack.bootstrap()));
        for (String t : TOPICS) {
            assertThat(again).as("second create-topics.sh run").contains("exists:  " + t + " ");
        }
        assertTopicsCarryTheRecordLimit(stack, parallelism);

        // ---- submission through the REST API
        String job =
                lastLine(
                        ok(
                                stack.script(
                                        "submit-job.sh",
                                        args(
                                                List.of(
                                                        "--rest",
                                                        rest,
                                                        "--jar",
                                                        jar,
                                                        "--parallelism",
                                                        parallelism,
                                                        "--"),
                                                jobOptions))));
        assertThat(job).as("job id printed by submit-job.sh").matches("[0-9a-f]{32}");
        assertThat(stack.rest().allTasksRunning(job)).as("every task of %s runs", job).isTrue();
        String jobName = stack.rest().job(job).path("name").asText();
        String same =
                lastLine(
                        ok(
                                stack.script(
                                        "submit-job.sh",
                                        args(
                                                List.of(
                                                        "--rest",
                                                        rest,
                                                        "--jar",
                                                        jar,
                                                        "--skip-if-running",
                                                        jobName,
                                                        "--"),
                                                jobOptions))));
        assertThat(same).as("--skip-if-running reports the running job").isEqualTo(job);
        assertThat(activeJobs(stack)).as("jobs not finished").containsExactly(job);

        // ---- placement: every operator on both TaskManagers
        Set<String> taskManagers = new TreeSet<>(stack.rest().taskManagers());
        assertThat(taskManagers).hasSize(stack.settings().taskManagers());
        Map<String, Set<String>> placement = placement(stack.rest(), job);
        assertThat(placement).isNotEmpty();
        placement.forEach(
                (operator, tms) ->
                        assertThat(tms)
                                .as("TaskManagers running %s", operator)
                                .isEqualTo(taskManagers));
        String printed = ok(stack.script("submit-job.sh", "--rest", rest, "--placement", job));
        for (String operator : placement.keySet()) {
            String line =
                    printed.lines()
                            .filter(l -> l.startsWith(operator + " ("))
                            .findFirst()
                            .orElse("");
            assertThat(line).as("--placement line of %s in:%n%s", operator, printed).isNotEmpty();
            taskManagers.forEach(tm -> assertThat(line).contains(tm));
        }

        // ---- batch A: producer tool in, consumer tool out, maps equal to the core
        Map<String, Path> batchA = produce(stack, pngs(tmp.resolve("images-a"), "a"), tools);
        ConsumeEdges.Summary gotA = consume(stack, tmp.resolve("out-a"), batchA.size(), tools);
        assertMapsEqualTheCore(gotA, batchA, filters);

        // ---- upgrade: stop with a savepoint, resubmit from it
        String savepoint =
                lastLine(
                        ok(
                                stack.script(
                                        "submit-job.sh",
                                        "--rest",
                                        rest,
                                        "--savepoint-and-stop",
                                        job)));
        assertThat(savepoint).as("savepoint path printed by submit-job.sh").startsWith("file:");
        assertThat(stack.rest().state(job)).isEqualTo("FINISHED");
        String job2 =
                lastLine(
                        ok(
                                stack.script(
                                        "submit-job.sh",
                                        args(
                                                List.of(
                                                        "--rest",
                                                        rest,
                                                        "--jar",
                                                        jar,
                                                        "--parallelism",
                                                        parallelism,
                                                        "--from-savepoint",
                                                        savepoint,
                                                        "--"),
                                                jobOptions))));
        assertThat(job2).matches("[0-9a-f]{32}").isNotEqualTo(job);
        FlinkRestClient.Checkpoints restored = stack.rest().checkpoints(job2);
        assertThat(restored.restoredPath()).as("restored from; %s", restored).isEqualTo(savepoint);
        assertThat(restored.restoredFromSavepoint()).isTrue();
        assertThat(activeJobs(stack)).containsExactly(job2);

        // ---- batch B on the upgraded job; every map of both batches equals the core's
        Map<String, Path> batchB = produce(stack, pngs(tmp.resolve("images-b"), "b"), tools);
        Map<String, Path> all = new LinkedHashMap<>(batchA);
        all.putAll(batchB);
        assertThat(all).hasSize(2 * PER_BATCH);
        ConsumeEdges.Summary got = consume(stack, tmp.resolve("out-all"), all.size(), tools);
        assertMapsEqualTheCore(got, all, filters);
        assertThat(got.tiles())
                .as("tiles the consumer read = tiles the maps need (no duplicate delivered)")
                .isEqualTo(tileCountOf(got));
        assertThat(got.stats()).isEqualTo((long) all.size() * filters.size());

        // ---- the upgraded job saw batch B only, and submit-job.sh --metrics prints it
        Waits.until(
                "job " + job2 + " to report " + PER_BATCH + " images in",
                Duration.ofSeconds(60),
                () ->
                        stack.rest()
                                .operatorMetricSum(job2, ".imagesIn")
                                .orElse(-1.0)
                                .equals((double) PER_BATCH));
        String metrics = ok(stack.script("submit-job.sh", "--rest", rest, "--metrics", job2));
        assertThat(metrics.lines().filter(l -> l.contains(".imagesIn ")))
                .as("--metrics output:%n%s", metrics)
                .singleElement()
                .satisfies(l -> assertThat(l.strip()).endsWith(" " + (double) PER_BATCH));

        // ---- exactly once: stop the job, then read every committed output
        ok(stack.script("submit-job.sh", "--rest", rest, "--savepoint-and-stop", job2));
        assertThat(activeJobs(stack)).isEmpty();
        assertExactlyOnce(stack, all.keySet(), filters);
        assertScriptsPrintedNoWarnings(stack);

        System.out.printf(
                "end to end on the real stack: %d images x %d filters, jobs %s -> %s (savepoint"
                        + " %s), %.0f s%n",
                all.size(), filters.size(), job, job2, savepoint, (System.nanoTime() - t0) / 1e9);
    }

    // ---------------------------------------------------------------- scripts

    /**
     * What every stack script printed in this test (the broker's and the cluster's start, topics,
     * submissions, savepoints; LocalStack keeps each run's output in harness/NN-script-arg.log)
     * carries no log line of Flink or Kafka at WARN and no JDK incubator-module notice: their
     * processes log to files, and the scripts print progress, results and errors only.
     */
    private static void assertScriptsPrintedNoWarnings(LocalStack stack) throws IOException {
        List<Path> logs;
        try (var files = Files.list(stack.dir().resolve("harness"))) {
            logs =
                    files.filter(p -> p.getFileName().toString().matches("\\d{2,}-.*\\.log"))
                            .sorted()
                            .toList();
        }
        assertThat(logs).as("script outputs in %s", stack.dir().resolve("harness")).isNotEmpty();
        List<String> warnings = new ArrayList<>();
        for (Path log : logs) {
            Files.readAllLines(log).stream()
                    .filter(l -> l.matches(".*\\bWARN\\b.*") || l.contains("incubator modules"))
                    .forEach(l -> warnings.add(log.getFileName() + ": " + l));
        }
        assertThat(warnings).as("warnings printed by the stack scripts").isEmpty();
    }

    private static Object[] args(List<?> head, List<String> tail) {
        List<Object> all = new ArrayList<>(head);
        all.addAll(tail);
        return all.toArray();
    }

    private static String ok(LocalStack.ScriptResult r) {
        if (!r.ok()) {
            throw r.failure();
        }
        return r.output();
    }

    /** The last line a script printed: submit-job.sh's result (job id or savepoint path). */
    private static String lastLine(String output) {
        List<String> lines = output.strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
    }

    // ---------------------------------------------------------------- cluster

    private static List<String> activeJobs(LocalStack stack) throws IOException {
        return stack.rest().jobs().entrySet().stream()
                .filter(j -> !FlinkRestClient.TERMINAL.contains(j.getValue()))
                .map(Map.Entry::getKey)
                .toList();
    }

    /** For each operator (by name), the TaskManagers that run at least one of its subtasks. */
    private static Map<String, Set<String>> placement(FlinkRestClient rest, String job)
            throws IOException {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (JsonNode v : rest.job(job).path("vertices")) {
            Set<String> tms = new TreeSet<>();
            JsonNode r =
                    rest.get(
                            "/jobs/"
                                    + job
                                    + "/vertices/"
                                    + v.path("id").asText()
                                    + "/taskmanagers");
            for (JsonNode t : r.path("taskmanagers")) {
                int subtasks = 0;
                for (JsonNode c : t.path("status-counts")) {
                    subtasks += c.asInt();
                }
                if (subtasks > 0) {
                    tms.add(t.path("taskmanager-id").asText());
                }
            }
            out.put(v.path("name").asText(), tms);
        }
        return out;
    }

    // ---------------------------------------------------------------- topics

    private static Properties client(LocalStack stack) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap());
        return p;
    }

    /**
     * The broker and the image topics accept a record of {@link
     * RecordLimits#TOPIC_MAX_MESSAGE_BYTES} (what the job and the tools are sized for); every topic
     * has one partition per slot.
     */
    private static void assertTopicsCarryTheRecordLimit(LocalStack stack, int partitions)
            throws Exception {
        String limit = String.valueOf(RecordLimits.TOPIC_MAX_MESSAGE_BYTES);
        try (Admin admin = Admin.create(client(stack))) {
            Map<String, TopicDescription> described =
                    admin.describeTopics(TOPICS).allTopicNames().get(60, TimeUnit.SECONDS);
            for (String t : TOPICS) {
                assertThat(described.get(t).partitions())
                        .as("partitions of %s", t)
                        .hasSize(partitions);
            }
            List<ConfigResource> resources = new ArrayList<>();
            for (String t : IMAGE_TOPICS) {
                resources.add(new ConfigResource(ConfigResource.Type.TOPIC, t));
            }
            String brokerId =
                    String.valueOf(
                            admin.describeCluster()
                                    .nodes()
                                    .get(60, TimeUnit.SECONDS)
                                    .iterator()
                                    .next()
                                    .id());
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, brokerId);
            resources.add(broker);
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(resources).all().get(60, TimeUnit.SECONDS);
            for (String t : IMAGE_TOPICS) {
                assertThat(
                                configs.get(new ConfigResource(ConfigResource.Type.TOPIC, t))
                                        .get("max.message.bytes")
                                        .value())
                        .as("max.message.bytes of %s", t)
                        .isEqualTo(limit);
            }
            assertThat(configs.get(broker).get("message.max.bytes").value())
                    .as("the broker's message.max.bytes")
                    .isEqualTo(limit);
        }
    }

    // ---------------------------------------------------------------- images and tools

    /** Where the tools print: {@code <stack>/harness/tools.log}, next to the harness's logs. */
    private static PrintStream toolLog(LocalStack stack) throws IOException {
        OutputStream out =
                Files.newOutputStream(stack.dir().resolve("harness").resolve("tools.log"));
        return new PrintStream(out, true, StandardCharsets.UTF_8);
    }

    /**
     * {@link #PER_BATCH} different RGB PNG files that need several tiles each: stripes, a gradient
     * and a disc, so every filter finds edges of several orientations.
     */
    private static Path pngs(Path dir, String batch) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < PER_BATCH; i++) {
            int w = 560 + 29 * i;
            int h = 400 + 17 * i;
            int seed = batch.hashCode() * 131 + i * 977;
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int cx = w / 2;
            int cy = h / 2;
            int r = Math.min(w, h) / 3;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int red = ((x + seed) / 23 + y / 19) % 2 == 0 ? 40 : 255;
                    int green = Math.floorMod(3 * x + 5 * y + seed, 256);
                    int dx = x - cx;
                    int dy = y - cy;
                    int blue = dx * dx + dy * dy < r * r ? 200 : 10;
                    img.setRGB(x, y, (red << 16) | (green << 8) | blue);
                }
            }
            ImageIO.write(img, "png", dir.resolve(batch + "-" + i + ".png").toFile());
        }
        return dir;
    }

    /** Sends every file of {@code dir} with the producer tool; returns image id to file. */
    private static Map<String, Path> produce(LocalStack stack, Path dir, PrintStream log) {
        ProduceImages.Summary sent =
                ProduceImages.run(
                        new ProduceImages.Options()
                                .bootstrap(stack.bootstrap())
                                .inputs(List.of(dir.toString())),
                        log);
        assertThat(sent.exitCode()).as("producer exit code; %s", sent).isZero();
        assertThat(sent.sent()).hasSize(PER_BATCH);
        Map<String, Path> ids = new LinkedHashMap<>();
        for (ProduceImages.SentImage s : sent.sent()) {
            ids.put(s.imageId(), Path.of(s.origin()));
        }
        assertThat(ids).as("distinct image ids").hasSize(PER_BATCH);
        return ids;
    }

    /** Reads with the consumer tool until {@code images} images are complete. */
    private static ConsumeEdges.Summary consume(
            LocalStack stack, Path out, int images, PrintStream log) {
        ConsumeEdges.Summary got =
                ConsumeEdges.run(
                        new ConsumeEdges.Options()
                                .bootstrap(stack.bootstrap())
                                .out(out)
                                .dlq(true)
                                .images(images)
                                .expectFilters(Filters.parseList(FILTERS).size())
                                .timeout(OUTPUT),
                        log);
        assertThat(got.targetReached())
                .as(
                        "%d complete images within %s; incomplete: %s",
                        images, OUTPUT, got.incompleteMaps())
                .isTrue();
        assertThat(got.completeImages()).isEqualTo(images);
        assertThat(got.deadLetters()).as("dead letters").isEmpty();
        assertThat(got.unreadable()).as("unreadable records").isEmpty();
        return got;
    }

    /** Each input has one map per filter, equal to the core's whole-image result bit for bit. */
    private static void assertMapsEqualTheCore(
            ConsumeEdges.Summary got, Map<String, Path> inputs, List<Filter> filters)
            throws IOException {
        Map<String, ConsumeEdges.ImageResult> byId = new HashMap<>();
        for (ConsumeEdges.ImageResult r : got.images()) {
            byId.put(r.imageId(), r);
        }
        assertThat(byId.keySet()).as("images with maps").containsAll(inputs.keySet());
        for (Map.Entry<String, Path> in : inputs.entrySet()) {
            ConsumeEdges.ImageResult r = byId.get(in.getKey());
            ImageF32 input = ConvolveFile.read(in.getValue());
            assertThat(r.maps().stream().map(ConsumeEdges.MapResult::filter))
                    .as("filters of %s", in.getValue())
                    .containsExactlyInAnyOrderElementsOf(
                            filters.stream().map(Filter::name).toList());
            for (ConsumeEdges.MapResult m : r.maps()) {
                ImageF32 want =
                        ConvolveFile.compute(input, Filters.parse(m.filter()), ConvParams.DEFAULT);
                assertThat(NpyReader.read(m.npy()).contentEquals(want))
                        .as(
                                "%s map of %s (%s) equals the core's bit for bit",
                                m.filter(), in.getValue(), m.npy())
                        .isTrue();
            }
        }
    }

    private static long tileCountOf(ConsumeEdges.Summary got) {
        long n = 0;
        for (ConsumeEdges.ImageResult r : got.images()) {
            for (ConsumeEdges.MapResult m : r.maps()) {
                n += m.stats().getTileCount();
            }
        }
        return n;
    }

    // ---------------------------------------------------------------- exactly once

    /**
     * Every committed output, read to the end: one EdgeStats per (image, filter) of the inputs and
     * nothing else, each map's tile indices 0..tileCount-1 exactly once, no dead letter.
     */
    private static void assertExactlyOnce(
            LocalStack stack, Collection<String> imageIds, List<Filter> filters) {
        Set<String> want = new TreeSet<>();
        for (String id : imageIds) {
            for (Filter f : filters) {
                want.add(id + " / " + f.name());
            }
        }
        AvroWire<EdgeStats> statsWire = AvroWire.edgeStats();
        Map<String, Integer> statsSeen = new HashMap<>();
        Map<String, Integer> tileCount = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : readCommitted(stack, "edge-stats")) {
            EdgeStats s = statsWire.decode(r.value());
            String key = s.getImageId() + " / " + s.getFilter();
            statsSeen.merge(key, 1, Integer::sum);
            tileCount.put(key, s.getTileCount());
        }
        assertThat(new TreeSet<>(statsSeen.keySet()))
                .as("(image, filter) with stats")
                .isEqualTo(want);
        assertThat(statsSeen.entrySet().stream().filter(e -> e.getValue() != 1))
                .as("(image, filter) with more than one EdgeStats")
                .isEmpty();

        AvroWire<FeatureMapTile> tileWire = AvroWire.featureMapTiles();
        Map<String, List<Integer>> tiles = new HashMap<>();
        long read = 0;
        for (ConsumerRecord<byte[], byte[]> r : readCommitted(stack, "edge-maps")) {
            FeatureMapTile t = tileWire.decode(r.value());
            tiles.computeIfAbsent(t.getImageId() + " / " + t.getFilter(), k -> new ArrayList<>())
                    .add(t.getTileIndex());
            read++;
        }
        assertThat(new TreeSet<>(tiles.keySet())).as("(image, filter) with tiles").isEqualTo(want);
        for (String key : want) {
            List<Integer> indices = new ArrayList<>(tiles.get(key));
            indices.sort(null);
            assertThat(indices)
                    .as("tile indices of %s", key)
                    .isEqualTo(IntStream.range(0, tileCount.get(key)).boxed().toList());
        }
        assertThat(read)
                .as("tile records in all")
                .isEqualTo(tileCount.values().stream().mapToLong(Integer::longValue).sum());
        assertThat(readCommitted(stack, "images-dlq")).as("dead letters").isEmpty();
        Set<String> inputs =
                readCommitted(stack, "images").stream()
                        .map(r -> AvroWire.imageFrames().decode(r.value()).getImageId())
                        .collect(Collectors.toCollection(LinkedHashSet::new));
        assertThat(inputs)
                .as("inputs on the images topic")
                .containsExactlyInAnyOrderElementsOf(imageIds);
    }

    /** Every committed record of {@code topic} up to its current last stable offsets. */
    private static List<ConsumerRecord<byte[], byte[]>> readCommitted(
            LocalStack stack, String topic) {
        Properties p = client(stack);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                String.valueOf(
                        RecordLimits.TOPIC_MAX_MESSAGE_BYTES + RecordLimits.RECORD_OVERHEAD_BYTES));
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
            Waits.until(
                    "reading " + topic + " to its last stable offsets " + end,
                    Duration.ofSeconds(120),
                    () -> {
                        c.poll(Duration.ofMillis(200)).forEach(out::add);
                        return parts.stream().allMatch(tp -> c.position(tp) >= end.get(tp));
                    });
        }
        return out;
    }
}
