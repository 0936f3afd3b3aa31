package io.edgestream.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgestream.clients.consume.NpyReader;
import io.edgestream.clients.consume.OutputDir;
import io.edgestream.clients.convolve.ConvolveFile;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.decode.DecodeLimits;
import io.edgestream.imaging.decode.ImageDecoder;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.Filters;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.job.EdgeJob;
import io.edgestream.job.EdgeJobOptions;
import io.edgestream.job.functions.MapEncoding;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.MapDataType;
import io.edgestream.schemas.registry.RegistryConfig;
import io.edgestream.schemas.registry.RegistryWire;
import io.edgestream.schemas.registry.SchemaRegistryClient;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.schemas.wire.MapSamples;
import io.edgestream.testing.kafka.EmbeddedKafka;
import io.edgestream.testing.kafka.EmbeddedKafkaExtension;
import io.edgestream.testing.registry.ApicurioRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Python package against the running job, as a camera team and a Python reader use it: {@code
 * python3 -m edgestream push} sends a folder (a PNG, a JPEG and two NumPy arrays sent RAW) into
 * {@code images} of an in-process broker while the job runs on a MiniCluster; {@code python3 -m
 * edgestream read} waits for the maps and their stats (read_committed) and writes them as {@code
 * .npy}; every map equals the imaging core's whole-image result for the frame Java decodes from
 * {@code images}, bit for bit (for FLOAT16 maps: that result rounded to binary16). A value that is
 * no ImageFrame comes back, decoded by Python, as a dead letter. The package runs from the checkout
 * ({@code PYTHONPATH=python}); skips without python3, NumPy, python3-avro and confluent-kafka,
 * fails instead under CI (see {@link PythonRuntime}).
 */
class PythonPipelineITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(2)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final String FILTERS = "vertical,sobel";

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @EnumSource(names = {"FLOAT32", "FLOAT16"})
    @Timeout(300)
    void framesPushedFromPythonComeBackAsMapsEqualToTheJavaCore(
            MapEncoding encoding, @TempDir Path tmp) throws Exception {
        pipeline(encoding, null, tmp);
    }

    /**
     * The same in the schema-registry framing, against a real Apicurio Registry process: Python
     * registers ImageFrame under {@code <images>-value} and pushes {@code 00}-framed frames, the
     * job runs with {@code wire.format=registry} and writes its outputs (and the dead letter)
     * registry-framed, and Python reads them back with {@code --registry}. Skips without a Java 21+
     * for the registry (fails under CI), as {@code ApicurioRegistryExtension} does.
     */
    @Test
    @Timeout(360)
    void registryFramedFramesPushedFromPythonComeBackAsMapsEqualToTheJavaCore(@TempDir Path tmp)
            throws Exception {
        PythonRuntime.require(PythonRuntime.PACKAGE_MODULES);
        Optional<String> why = ApicurioRegistry.unavailableReason();
        if (why.isPresent() && System.getenv("CI") != null) {
            throw new IllegalStateException(
                    "no Apicurio Registry possible here although CI is set: " + why.get());
        }
        assumeTrue(why.isEmpty(), () -> "no Apicurio Registry possible here: " + why.get());
        try (ApicurioRegistry registry =
                ApicurioRegistry.start(ApicurioRegistry.settings().name("PythonPipelineITCase"))) {
            pipeline(MapEncoding.FLOAT32, registry.ccompatUrl(), tmp);
        }
    }

    /**
     * Runs the job, pushes and reads with Python, and checks every map against the core.
     *
     * @param registryUrl null for single-object encoding everywhere, else the registry of the
     *     registry framing everywhere
     */
    private void pipeline(MapEncoding encoding, String registryUrl, Path tmp) throws Exception {
        boolean registered = registryUrl != null;
        String python = PythonRuntime.require(PythonRuntime.PACKAGE_MODULES);
        String id = "py-" + UUID.randomUUID().toString().substring(0, 8);
        String images = id + "-images";
        String maps = id + "-edge-maps";
        String stats = id + "-edge-stats";
        String dlq = id + "-images-dlq";
        KAFKA.broker()
                .createTopics(
                        2,
                        Map.of(
                                "max.message.bytes",
                                String.valueOf(EmbeddedKafka.DEFAULT_MAX_MESSAGE_BYTES)),
                        images,
                        maps,
                        stats,
                        dlq);
        Path in = inputs(tmp.resolve("in"));
        Path out = tmp.resolve("out");

        Map<String, String> options = new LinkedHashMap<>();
        options.put(EdgeJobOptions.BOOTSTRAP_SERVERS.key(), KAFKA.bootstrapServers());
        options.put(EdgeJobOptions.TOPIC_IMAGES.key(), images);
        options.put(EdgeJobOptions.TOPIC_MAPS.key(), maps);
        options.put(EdgeJobOptions.TOPIC_STATS.key(), stats);
        options.put(EdgeJobOptions.TOPIC_DLQ.key(), dlq);
        options.put(EdgeJobOptions.GROUP_ID.key(), id);
        options.put(EdgeJobOptions.JOB_NAME.key(), id);
        options.put(EdgeJobOptions.STARTING_OFFSETS.key(), "earliest");
        options.put(EdgeJobOptions.PARALLELISM.key(), "4");
        options.put(EdgeJobOptions.FILTERS.key(), FILTERS);
        options.put(EdgeJobOptions.TILE_SIZE.key(), "64");
        options.put(EdgeJobOptions.MAP_ENCODING.key(), encoding.name());
        options.put(EdgeJobOptions.CHECKPOINT_INTERVAL_MS.key(), "300");
        options.put(EdgeJobOptions.CHECKPOINT_TIMEOUT_MS.key(), "20000");
        options.put(EdgeJobOptions.TRANSACTION_TIMEOUT_MS.key(), "90000");
        // Bounded: a few restarts, 200 ms apart, then FAILED.
        options.put(EdgeJobOptions.RESTART_STRATEGY.key(), "FIXED_DELAY");
        options.put(EdgeJobOptions.RESTART_ATTEMPTS.key(), "3");
        options.put(EdgeJobOptions.RESTART_DELAY_MS.key(), "200");
        if (registered) {
            options.put(EdgeJobOptions.WIRE_FORMAT.key(), "registry");
            options.put(EdgeJobOptions.REGISTRY_URL.key(), registryUrl);
        }
        EdgeJobOptions o = EdgeJobOptions.of(options);
        StreamExecutionEnvironment env = EdgeJob.environment(o);
        EdgeJob.withKafka(o).build(env);
        JobClient job = env.executeAsync(o.jobName());
        List<Filter> filters = Filters.parseList(FILTERS);
        PythonRuntime.Result pushed;
        PythonRuntime.Result read;
        try {
            // 1. A camera team pushes a folder.
            // With a registry: Python registers ImageFrame under <images>-value, frames with its
            // id.
            List<String> pushFraming =
                    registered
                            ? List.of("--wire-format", "registry", "--registry", registryUrl)
                            : List.of();
            pushed =
                    python(
                            python,
                            pushFraming,
                            "push",
                            "--bootstrap",
                            KAFKA.bootstrapServers(),
                            "--topic",
                            images,
                            "--source-id",
                            "py-cam",
                            in.toString());
            // 2. Someone writes a value that is no ImageFrame.
            sendGarbage(images);
            // 3. A Python reader waits for every map with its stats, and the dead letter.
            read =
                    python(
                            python,
                            registered ? List.of("--registry", registryUrl) : List.of(),
                            "read",
                            "--bootstrap",
                            KAFKA.bootstrapServers(),
                            "--maps-topic",
                            maps,
                            "--stats-topic",
                            stats,
                            "--dlq-topic",
                            dlq,
                            "--out",
                            out.toString(),
                            "--maps",
                            String.valueOf(4 * filters.size()),
                            "--dead-letters",
                            "1",
                            "--timeout",
                            "180");
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
        assertThat(read.output()).contains("read 8 map(s), 1 dead letter(s), gave up on 0");

        // What Python sent: one JSON line per frame.
        Map<String, JsonNode> sent = new HashMap<>();
        for (String line : pushed.output().split("\n")) {
            if (line.startsWith("{")) {
                JsonNode n = JSON.readTree(line);
                sent.put(n.get("imageId").asText(), n);
            }
        }
        assertThat(sent).as(pushed.output()).hasSize(4);

        // Java decodes every frame Python encoded; each map equals the core's result for it.
        List<ImageFrame> frames = new ArrayList<>();
        SchemaRegistryClient client =
                registered ? new SchemaRegistryClient(RegistryConfig.of(registryUrl)) : null;
        for (ConsumerRecord<byte[], byte[]> r : drain(images)) {
            ImageFrame f;
            if (registered && r.value()[0] == RegistryWire.MAGIC) {
                // Framed with the id of the ImageFrame schema Python registered (the same
                // schema in canonical form; Java's generated one carries avro.java.string).
                assertThat(
                                AvroWire.fingerprint(
                                        client.schemaById(RegistryWire.schemaId(r.value()))))
                        .isEqualTo(AvroWire.fingerprint(ImageFrame.getClassSchema()));
                f = RegistryWire.forTopic(ImageFrame.class, client, images).decode(r.value());
            } else if (!registered && r.value()[0] == AvroWire.MAGIC_0) {
                f = AvroWire.imageFrames().decode(r.value());
            } else {
                continue; // the garbage value
            }
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("py-cam");
            frames.add(f);
        }
        assertThat(frames).extracting(ImageFrame::getImageId).hasSameElementsAs(sent.keySet());
        assertThat(frames)
                .extracting(f -> f.getEncoding().name())
                .containsExactlyInAnyOrder("PNG", "JPEG", "RAW", "RAW");
        for (ImageFrame f : frames) {
            ImageF32 input =
                    ImageDecoder.decode(
                                    bytes(f.getData()),
                                    f.getEncoding().name(),
                                    f.getWidth(),
                                    f.getHeight(),
                                    f.getChannels(),
                                    f.getPixelFormat() == null ? null : f.getPixelFormat().name(),
                                    DecodeLimits.DEFAULT)
                            .toF32();
            for (Filter flt : filters) {
                ImageF32 expected =
                        asStored(
                                ConvolveFile.compute(input, flt, ConvParams.DEFAULT),
                                encoding.dataType());
                // Named as the Java consumer names it: the file name the job copied from the
                // frame's attribute 'file' into EdgeStats.sourceName, and the id's hash.
                String file = f.getAttributes().get("file");
                assertThat(file).as("the push set the attribute 'file'").isNotBlank();
                Path npy =
                        out.resolve(OutputDir.dirName(f.getImageId(), file))
                                .resolve(flt.name() + ".npy");
                ImageF32 got = NpyReader.read(npy);
                assertThat(got.contentEquals(expected))
                        .as(
                                "%s of %s (%s, %s) read by Python equals the core's map bit for bit",
                                flt.name(), f.getImageId(), f.getAttributes().get("file"), encoding)
                        .isTrue();
            }
        }

        // Every map came with its stats; the dead letter was decoded with its reason.
        List<String> mapLines = Files.readAllLines(out.resolve("maps.jsonl"));
        assertThat(mapLines).hasSize(4 * filters.size());
        for (String line : mapLines) {
            JsonNode m = JSON.readTree(line);
            assertThat(m.get("dataType").asText()).isEqualTo(encoding.dataType().name());
            assertThat(m.get("stats").get("imageId").asText()).isEqualTo(m.get("imageId").asText());
            assertThat(m.get("stats").get("filter").asText()).isEqualTo(m.get("filter").asText());
            assertThat(m.get("stats").get("tileCount").asInt()).isGreaterThan(1);
            assertThat(m.get("sourceName").asText())
                    .isEqualTo(m.get("stats").get("sourceName").asText())
                    .isEqualTo(
                            Path.of(sent.get(m.get("imageId").asText()).get("file").asText())
                                    .getFileName()
                                    .toString());
        }
        List<String> deadLetters = Files.readAllLines(out.resolve("dead-letters.jsonl"));
        assertThat(deadLetters).hasSize(1);
        JsonNode dead = JSON.readTree(deadLetters.get(0));
        assertThat(dead.get("reason").asText()).isEqualTo("NOT_WIRE_FORMAT");
        assertThat(dead.get("sourceTopic").asText()).isEqualTo(images);

        // The job wrote every output in the framing asked for: registry ids of our schemas under
        // <topic>-value, or single-object.
        for (String topic : List.of(maps, stats, dlq)) {
            List<ConsumerRecord<byte[], byte[]>> written = drain(topic);
            assertThat(written).as(topic).isNotEmpty();
            for (ConsumerRecord<byte[], byte[]> r : written) {
                if (registered) {
                    assertThat(r.value()[0]).as("first byte of a %s value", topic).isZero();
                    assertThat(client.schemaById(RegistryWire.schemaId(r.value())).getName())
                            .isIn("FeatureMapTile", "EdgeStats", "DeadLetter");
                } else {
                    assertThat(r.value()[0]).as(topic).isEqualTo(AvroWire.MAGIC_0);
                }
            }
        }
        if (registered) {
            assertThat(
                            AvroWire.fingerprint(
                                    client.schemaById(
                                            RegistryWire.schemaId(drain(maps).get(0).value()))))
                    .isEqualTo(AvroWire.fingerprint(FeatureMapTile.getClassSchema()));
        }
    }

    /**
     * The folder a camera team pushes: a PNG and a JPEG of the samples, an 8-bit grey array and a
     * 16-bit RGB array (both sent RAW).
     */
    private static Path inputs(Path dir) throws Exception {
        Files.createDirectories(dir);
        for (String file : List.of("pic1.png", "home.jpg")) {
            Files.copy(PythonRuntime.REPO.resolve("samples").resolve(file), dir.resolve(file));
        }
        Random rnd = new Random(11);
        byte[] grey = new byte[61 * 83];
        rnd.nextBytes(grey);
        Files.write(dir.resolve("grey8.npy"), npy("|u1", new int[] {61, 83}, grey));
        byte[] rgb16 = new byte[47 * 70 * 3 * 2];
        rnd.nextBytes(rgb16);
        Files.write(dir.resolve("rgb16.npy"), npy("<u2", new int[] {47, 70, 3}, rgb16));
        return dir;
    }

    /** A NumPy .npy file (format 1.0) of C-ordered {@code data}. */
    private static byte[] npy(String dtype, int[] shape, byte[] data) {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String header =
                "{'descr': '"
                        + dtype
                        + "', 'fortran_order': False, 'shape': ("
                        + dims.toString().strip()
                        + "), }";
        int total = 10 + header.length() + 1;
        header = header + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteBuffer b =
                ByteBuffer.allocate(10 + header.length() + data.length)
                        .order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII));
        b.put((byte) 1).put((byte) 0).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII)).put(data);
        return b.array();
    }

    /** {@code map} as the job stores it in {@code type} and a reader widens it back. */
    private static ImageF32 asStored(ImageF32 map, MapDataType type) {
        float[] back =
                MapSamples.decode(
                        ByteBuffer.wrap(MapSamples.encode(map.data, type, 1f, 0f)), type, 1f, 0f);
        System.arraycopy(back, 0, map.data, 0, back.length);
        return map;
    }

    /** {@code python3 -m edgestream ARGS... EXTRA...}, which must exit with 0. */
    private static PythonRuntime.Result python(String python, List<String> extra, String... args)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(python, "-m", "edgestream"));
        command.addAll(List.of(args));
        command.addAll(extra);
        PythonRuntime.Result r =
                PythonRuntime.run(
                        command,
                        PythonRuntime.REPO,
                        Map.of("PYTHONPATH", PythonRuntime.PACKAGE_DIR.toString()),
                        Duration.ofSeconds(240));
        assertThat(r.exitCode())
                .as(
                        "python3 -m edgestream %s exited with %d; it printed:%n%s",
                        args[0], r.exitCode(), r.output())
                .isZero();
        return r;
    }

    private static void sendGarbage(String topic) throws Exception {
        try (KafkaProducer<byte[], byte[]> p =
                new KafkaProducer<>(
                        KAFKA.clientProperties(),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            p.send(
                            new ProducerRecord<>(
                                    topic,
                                    "py-cam".getBytes(StandardCharsets.UTF_8),
                                    "{\"not\": \"an ImageFrame\"}"
                                            .getBytes(StandardCharsets.UTF_8)))
                    .get(60, TimeUnit.SECONDS);
        }
    }

    /** Every record of {@code topic} up to its current end. */
    private static List<ConsumerRecord<byte[], byte[]>> drain(String topic) {
        Properties p = KAFKA.clientProperties();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 << 20));
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
                assertThat(System.nanoTime())
                        .as("reading %s up to %s", topic, end)
                        .isLessThan(deadline);
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }
}
