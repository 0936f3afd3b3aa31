package io.edgestream.job.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.decode.DecodeLimits;
import io.edgestream.imaging.decode.DecodedImage;
import io.edgestream.imaging.decode.ImageDecoder;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.tile.MapAssembler;
import io.edgestream.job.EdgeJob;
import io.edgestream.job.EdgeJobOptions;
import io.edgestream.job.KafkaConnections;
import io.edgestream.job.RegistrySubjects;
import io.edgestream.job.functions.ProcessingSpec;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.MapDataType;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.schemas.wire.Float16;
import io.edgestream.schemas.wire.MapSamples;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Steps shared by the job's integration tests (end-to-end, dead-letter, reliability, hostile input,
 * security): a MiniCluster, fresh topics, producing input, running the job bounded or unbounded,
 * reading outputs with read_committed, reassembling maps, and the exactly-once accounting (every
 * input image has exactly one EdgeStats per filter and a complete, correct set of tiles).
 *
 * <p>Every Kafka call takes the client {@link Properties} explicitly, so the same steps work
 * against a PLAINTEXT broker ({@link #client(String)}) and against a SASL broker with per-principal
 * credentials.
 */
public final class PipelineHarness {
    private PipelineHarness() {}

    /** A MiniCluster of 2 TaskManagers x 2 slots, the shape every integration test runs on. */
    public static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(2)
                        .setNumberSlotsPerTaskManager(2)
                        .build());
    }

    /** Client settings for a PLAINTEXT broker: just its bootstrap servers. */
    public static Properties client(String bootstrap) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }

    /** Fresh topic names (and group/job ids) for one test, so tests never share state. */
    public record Topics(String images, String maps, String stats, String dlq, String id) {
        public static Topics fresh(String test) {
            String id = test + "-" + UUID.randomUUID().toString().substring(0, 8);
            return new Topics(
                    id + "-images", id + "-edge-maps", id + "-edge-stats", id + "-images-dlq", id);
        }

        public List<String> outputs() {
            return List.of(maps, stats, dlq);
        }
    }

    /** Creates the four topics (outputs with 2 partitions, the DLQ with 1). */
    public static void createTopics(Properties admin, Topics t, int inputPartitions)
            throws Exception {
        try (Admin a = Admin.create(admin)) {
            a.createTopics(
                            List.of(
                                    new NewTopic(t.images(), inputPartitions, (short) 1),
                                    new NewTopic(t.maps(), 2, (short) 1),
                                    new NewTopic(t.stats(), 2, (short) 1),
                                    new NewTopic(t.dlq(), 1, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * Sends {@code key -> value} pairs in order with an idempotent producer (a retried send is
     * never written twice, so each input exists exactly once) and returns where each landed.
     */
    public static List<RecordMetadata> produce(
            Properties client, String topic, List<Map.Entry<byte[], byte[]>> records)
            throws Exception {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(4 * 1024 * 1024));
        List<RecordMetadata> out = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Map.Entry<byte[], byte[]> r : records) {
                out.add(
                        producer.send(new ProducerRecord<>(topic, r.getKey(), r.getValue()))
                                .get(60, TimeUnit.SECONDS));
            }
        }
        return out;
    }

    /** Sends every value, all keyed by {@code key}, in order (see {@link #produce}). */
    public static List<RecordMetadata> produce(
            Properties client, String topic, byte[] key, List<byte[]> values) throws Exception {
        List<Map.Entry<byte[], byte[]>> records = new ArrayList<>();
        for (byte[] v : values) {
            records.add(new AbstractMap.SimpleImmutableEntry<>(key, v));
        }
        return produce(client, topic, records);
    }

    /** Produces encoded frames keyed by their image id. */
    public static void produceFrames(Properties client, String topic, List<ImageFrame> frames)
            throws Exception {
        List<Map.Entry<byte[], byte[]>> records = new ArrayList<>();
        for (ImageFrame f : frames) {
            records.add(
                    Map.entry(
                            f.getImageId().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            AvroWire.imageFrames().encode(f)));
        }
        produce(client, topic, records);
    }

    /**
     * Job options for {@code t}: unbounded from the earliest offsets, parallelism 4, checkpoints
     * every 300 ms (20 s timeout), bounded fixed-delay restarts; {@code extra} overrides.
     */
    public static Map<String, String> options(
            String bootstrap, Topics t, Map<String, String> extra) {
        Map<String, String> m = topicOptions(bootstrap, t);
        m.put(EdgeJobOptions.CHECKPOINT_INTERVAL_MS.key(), "300");
        m.put(EdgeJobOptions.RESTART_ATTEMPTS.key(), "5");
        m.put(EdgeJobOptions.TILE_SIZE.key(), "16");
        m.put(EdgeJobOptions.FILTERS.key(), "vertical|sobel");
        // Short enough that a transaction orphaned by a killed TaskManager cannot hold back
        // read_committed readers for long, long enough for any checkpoint (20 s at most) and
        // restart here: the job checks 300 + 20000 + 200 + 60000 ms <= 90000 ms.
        m.put(EdgeJobOptions.CHECKPOINT_TIMEOUT_MS.key(), "20000");
        m.put(EdgeJobOptions.TRANSACTION_TIMEOUT_MS.key(), "90000");
        m.putAll(extra);
        return m;
    }

    /**
     * Job options for a bounded run over {@code t} from the earliest offsets: parallelism 4,
     * checkpoints every 500 ms, at most 2 restarts, the job's default filters and tile size; {@code
     * extra} overrides.
     */
    public static EdgeJobOptions boundedOptions(
            String bootstrap, Topics t, Map<String, String> extra) {
        Map<String, String> m = topicOptions(bootstrap, t);
        m.put(EdgeJobOptions.BOUNDED.key(), "true");
        m.put(EdgeJobOptions.CHECKPOINT_INTERVAL_MS.key(), "500");
        m.put(EdgeJobOptions.RESTART_ATTEMPTS.key(), "2");
        m.putAll(extra);
        return EdgeJobOptions.of(m);
    }

    /** What every run here shares: broker, the topics of {@code t}, ids, start, parallelism. */
    private static Map<String, String> topicOptions(String bootstrap, Topics t) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(EdgeJobOptions.BOOTSTRAP_SERVERS.key(), bootstrap);
        m.put(EdgeJobOptions.TOPIC_IMAGES.key(), t.images());
        m.put(EdgeJobOptions.TOPIC_MAPS.key(), t.maps());
        m.put(EdgeJobOptions.TOPIC_STATS.key(), t.stats());
        m.put(EdgeJobOptions.TOPIC_DLQ.key(), t.dlq());
        m.put(EdgeJobOptions.GROUP_ID.key(), t.id());
        m.put(EdgeJobOptions.JOB_NAME.key(), t.id());
        m.put(EdgeJobOptions.STARTING_OFFSETS.key(), "earliest");
        m.put(EdgeJobOptions.PARALLELISM.key(), "4");
        // Tests bound every job: a few restarts, 200 ms apart, then FAILED.
        m.put(EdgeJobOptions.RESTART_STRATEGY.key(), "FIXED_DELAY");
        m.put(EdgeJobOptions.RESTART_DELAY_MS.key(), "200");
        return m;
    }

    /**
     * Builds the job from {@code o} in the context environment (the MiniCluster) and submits it.
     */
    public static JobClient submit(EdgeJobOptions o) throws Exception {
        return environment(o).executeAsync(o.jobName());
    }

    /**
     * Checks the broker and prepares the registry subjects like main() does, then runs the bounded
     * job to its end.
     */
    public static void runToEnd(EdgeJobOptions o) throws Exception {
        KafkaConnections.checkBroker(o, Duration.ofSeconds(30));
        RegistrySubjects.prepare(o);
        environment(o).execute(o.jobName());
    }

    private static StreamExecutionEnvironment environment(EdgeJobOptions o) {
        StreamExecutionEnvironment env = EdgeJob.environment(o);
        EdgeJob.withKafka(o).build(env);
        return env;
    }

    /** Every committed record of {@code topic} up to its current end (read_committed). */
    public static List<ConsumerRecord<byte[], byte[]>> drain(Properties client, String topic) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = committedReader(client)) {
            List<TopicPartition> parts = partitions(c, topic);
            c.assign(parts);
            c.seekToBeginning(parts);
            // With read_committed, the end offsets are the last stable offsets.
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(
                            "could not read " + topic + " up to its end offsets " + end);
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** Polls {@code topic} (read_committed) until it holds at least {@code count} records. */
    public static void awaitCommitted(
            Properties client, String topic, int count, Duration timeout, JobClient job) {
        try (KafkaConsumer<byte[], byte[]> c = committedReader(client)) {
            List<TopicPartition> parts = partitions(c, topic);
            c.assign(parts);
            c.seekToBeginning(parts);
            int seen = 0;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (seen < count) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(
                            "only "
                                    + seen
                                    + " of "
                                    + count
                                    + " committed records on "
                                    + topic
                                    + " after "
                                    + timeout
                                    + " (job status "
                                    + status(job)
                                    + ")");
                }
                seen += c.poll(Duration.ofMillis(200)).count();
            }
        }
    }

    private static String status(JobClient job) {
        if (job == null) {
            return "n/a";
        }
        try {
            return String.valueOf(job.getJobStatus().get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            return "unknown: " + e;
        }
    }

    private static KafkaConsumer<byte[], byte[]> committedReader(Properties client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 * 1024 * 1024));
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
        return c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(topic, i.partition()))
                .toList();
    }

    /** Waits for {@code condition}, failing with {@code what} after {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(50); // polling interval of a condition with a deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    /** Cancels the job and waits until it is gone, so no transaction of it stays open. */
    public static void cancel(JobClient job) throws Exception {
        JobStatus s = job.getJobStatus().get(30, TimeUnit.SECONDS);
        if (!s.isGloballyTerminalState()) {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
        PipelineHarness.await(
                "job " + job.getJobID() + " to terminate",
                Duration.ofSeconds(60),
                () -> {
                    try {
                        return job.getJobStatus()
                                .get(10, TimeUnit.SECONDS)
                                .isGloballyTerminalState();
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot get the status of " + job, e);
                    }
                });
    }

    /**
     * Stops {@code job} with a canonical savepoint under {@code dir}, checks that it FINISHED, and
     * returns the savepoint's path; cancels the job if that fails.
     */
    public static String stopWithSavepoint(JobClient job, Path dir) throws Exception {
        String savepoint;
        try {
            savepoint =
                    job.stopWithSavepoint(
                                    false, dir.toUri().toString(), SavepointFormatType.CANONICAL)
                            .get(60, TimeUnit.SECONDS);
        } catch (Exception | AssertionError e) {
            cancel(job);
            throw e;
        }
        JobStatus s = job.getJobStatus().get(10, TimeUnit.SECONDS);
        if (s != JobStatus.FINISHED) {
            throw new AssertionError("job " + job.getJobID() + " is " + s + " after its savepoint");
        }
        return savepoint;
    }

    /** Builds the job from {@code o} and submits it restored from {@code savepoint}. */
    public static JobClient resume(EdgeJobOptions o, String savepoint) throws Exception {
        StreamExecutionEnvironment env = EdgeJob.environment(o);
        EdgeJob.withKafka(o).build(env);
        StreamGraph graph = env.getStreamGraph();
        graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
        return env.executeAsync(graph);
    }

    /** Completed checkpoints of a running job (0 if the graph is not available). */
    public static long completedCheckpoints(MiniCluster cluster, JobID job) {
        try {
            AccessExecutionGraph g = cluster.getExecutionGraph(job).get(10, TimeUnit.SECONDS);
            var stats = g.getCheckpointStatsSnapshot();
            return stats == null ? 0 : stats.getCounts().getNumberOfCompletedCheckpoints();
        } catch (Exception e) {
            return 0;
        }
    }

    /**
     * How often the job restarted: the highest execution attempt number over all its subtasks (0 if
     * no task ever ran twice).
     */
    public static int restarts(MiniCluster cluster, JobID job) throws Exception {
        AccessExecutionGraph g = cluster.getExecutionGraph(job).get(10, TimeUnit.SECONDS);
        int max = 0;
        for (AccessExecutionVertex v : g.getAllExecutionVertices()) {
            max = Math.max(max, v.getCurrentExecutionAttempt().getAttemptNumber());
        }
        if (g.getStatusTimestamp(JobStatus.RESTARTING) > 0) {
            max = Math.max(max, 1);
        }
        return max;
    }

    /**
     * The exactly-once accounting: for every input frame and configured filter exactly one
     * EdgeStats and a complete set of tiles (each index exactly once) that reassembles into the
     * imaging core's whole-image result bit for bit; no output for anything else; no dead letters.
     */
    public static void assertExactlyOnce(
            Properties client, Topics t, ProcessingSpec spec, List<ImageFrame> inputs)
            throws Exception {
        List<Filter> filters = spec.filterList();
        AvroWire<FeatureMapTile> mapWire = AvroWire.featureMapTiles();
        Map<String, List<FeatureMapTile>> tiles = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : drain(client, t.maps())) {
            FeatureMapTile m = mapWire.decode(r.value());
            tiles.computeIfAbsent(m.getImageId() + "/" + m.getFilter(), k -> new ArrayList<>())
                    .add(m);
        }
        AvroWire<EdgeStats> statsWire = AvroWire.edgeStats();
        Map<String, Integer> statsCount = new HashMap<>();
        Map<String, EdgeStats> stats = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : drain(client, t.stats())) {
            EdgeStats s = statsWire.decode(r.value());
            String id = s.getImageId() + "/" + s.getFilter();
            statsCount.merge(id, 1, Integer::sum);
            stats.put(id, s);
        }
        assertThat(drain(client, t.dlq())).as("dead letters of good images").isEmpty();

        List<String> expectedIds = new ArrayList<>();
        for (ImageFrame f : inputs) {
            for (Filter flt : filters) {
                expectedIds.add(f.getImageId() + "/" + flt.name());
            }
        }
        assertThat(statsCount.keySet())
                .as("images/filters with EdgeStats")
                .containsExactlyInAnyOrderElementsOf(expectedIds);
        assertThat(tiles.keySet())
                .as("images/filters with tiles")
                .containsExactlyInAnyOrderElementsOf(expectedIds);
        for (Map.Entry<String, Integer> e : statsCount.entrySet()) {
            assertThat(e.getValue()).as("EdgeStats records for %s", e.getKey()).isEqualTo(1);
        }
        for (ImageFrame f : inputs) {
            DecodedImage decoded = decode(f);
            for (Filter flt : filters) {
                String id = f.getImageId() + "/" + flt.name();
                List<FeatureMapTile> ts = tiles.get(id);
                int tileCount = ts.get(0).getTileCount();
                assertThat(ts.stream().map(FeatureMapTile::getTileIndex).toList())
                        .as("tile indices of %s (each exactly once)", id)
                        .doesNotHaveDuplicates()
                        .hasSize(tileCount);
                assertThat(stats.get(id).getTileCount())
                        .as(id + " stats tile count")
                        .isEqualTo(tileCount);
                assertMapEqualsReference(id, ts, flt, decoded, spec.convParams());
            }
        }
    }

    /** The map of {@code tiles} (all of one image and filter) put back together. */
    public static MapAssembler reassemble(List<FeatureMapTile> tiles) {
        FeatureMapTile first = tiles.get(0);
        MapAssembler a =
                new MapAssembler(first.getMapWidth(), first.getMapHeight(), first.getChannels());
        for (FeatureMapTile m : tiles) {
            a.add(m.getX(), m.getY(), m.getWidth(), m.getHeight(), samples(m));
        }
        return a;
    }

    /**
     * Asserts that {@code tiles}, the map {@code id} of filter {@code f}, reassemble into a
     * complete map equal to the imaging core's whole-image result for {@code decoded}: bit for bit
     * for FLOAT32_LE and INT16_LE, bit for bit to the result rounded to binary16 for FLOAT16_LE,
     * and within half a step (plus float32 rounding) for UINT8, whose tiles must all share one
     * scale and offset.
     */
    public static void assertMapEqualsReference(
            String id,
            List<FeatureMapTile> tiles,
            Filter f,
            DecodedImage decoded,
            ConvParams params) {
        MapAssembler a = reassemble(tiles);
        assertThat(a.isComplete()).as(id + " complete").isTrue();
        ImageF32 expected = Reference.map(f, decoded.toF32(), params);
        MapDataType type = tiles.get(0).getDataType();
        assertThat(tiles).extracting(FeatureMapTile::getDataType).containsOnly(type);
        if (type == MapDataType.UINT8) {
            float scale = tiles.get(0).getScale();
            float offset = tiles.get(0).getOffset();
            assertThat(tiles).extracting(FeatureMapTile::getScale).containsOnly(scale);
            assertThat(tiles).extracting(FeatureMapTile::getOffset).containsOnly(offset);
            double top = Math.max(Math.abs(offset), Math.abs(offset + 255.0 * scale));
            double bound = scale / 2.0 + Math.ulp((float) top);
            float[] got = a.result().data;
            float[] want = expected.data;
            for (int i = 0; i < want.length; i++) {
                assertThat(Math.abs((double) got[i] - want[i]))
                        .as("%s sample %d: UINT8 %s vs float32 %s", id, i, got[i], want[i])
                        .isLessThanOrEqualTo(bound);
            }
            return;
        }
        assertThat(tiles)
                .as(id + ": exact types carry scale 1 and offset 0")
                .allSatisfy(
                        t -> {
                            assertThat(t.getScale()).isEqualTo(1f);
                            assertThat(t.getOffset()).isEqualTo(0f);
                        });
        if (type == MapDataType.FLOAT16_LE) {
            // The float32 result rounded to nearest binary16, sample by sample.
            float[] d = expected.data;
            for (int i = 0; i < d.length; i++) {
                d[i] = Float16.toFloat(Float16.fromFloat(d[i]));
            }
        }
        assertThat(a.result().contentEquals(expected))
                .as(id + " equals the whole-image convolution bit for bit (as " + type + ")")
                .isTrue();
    }

    /** The samples of a map tile as float32, whatever its data type ({@link MapSamples}). */
    public static float[] samples(FeatureMapTile m) {
        int n = m.getWidth() * m.getHeight() * m.getChannels();
        float[] values = MapSamples.decode(m);
        assertThat(values).as("samples of tile %s", m.getTileIndex()).hasSize(n);
        return values;
    }

    public static DecodedImage decode(ImageFrame f) throws Exception {
        return ImageDecoder.decode(
                bytes(f.getData()),
                f.getEncoding().name(),
                f.getWidth(),
                f.getHeight(),
                f.getChannels(),
                f.getPixelFormat() == null ? null : f.getPixelFormat().name(),
                DecodeLimits.DEFAULT);
    }

    public static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }
}
