package io.edgestream.clients;

import static io.edgestream.clients.JobOutput.jobOutput;
import static io.edgestream.clients.JobOutput.onTheWire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import io.edgestream.clients.cli.ExitCodes;
import io.edgestream.clients.cli.Progress;
import io.edgestream.clients.cli.ToolException;
import io.edgestream.clients.consume.ConsumeEdges;
import io.edgestream.clients.consume.ConsumeEdgesCommand;
import io.edgestream.clients.consume.NpyReader;
import io.edgestream.clients.consume.NpyWriter;
import io.edgestream.clients.consume.OutputDir;
import io.edgestream.clients.consume.SafeNames;
import io.edgestream.clients.convolve.ConvolveFile;
import io.edgestream.clients.produce.ProduceImages;
import io.edgestream.clients.produce.SyntheticCamera;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.conv.Convolution;
import io.edgestream.imaging.decode.DecodeLimits;
import io.edgestream.imaging.decode.ImageDecoder;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.Filters;
import io.edgestream.imaging.filter.LinearFilter;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.schemas.DeadLetter;
import io.edgestream.schemas.DeadLetterReason;
import io.edgestream.schemas.ImageEncoding;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.MapDataType;
import io.edgestream.schemas.PixelFormat;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.testing.kafka.EmbeddedKafka;
import io.edgestream.testing.kafka.EmbeddedKafkaExtension;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tools against a real in-process Kafka broker: produce files, a directory, RAW and synthetic
 * frames and read them back; feed tiles and stats computed with the imaging core (the way the job
 * computes them) to the consumer and compare its {@code .npy} maps with the core's whole-image
 * result bit for bit. Each test uses its own topics.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClientsRoundTripITCase {

    private static final Map<String, String> TOPIC_CONFIG =
            Map.of("max.message.bytes", String.valueOf(EmbeddedKafka.DEFAULT_MAX_MESSAGE_BYTES));

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();
    private static final PrintStream QUIET =
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    private static byte[] png(BufferedImage img) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(img, "png", out)).isTrue();
        return out.toByteArray();
    }

    private static BufferedImage randomImage(int w, int h, int type, long seed) {
        BufferedImage img = new BufferedImage(w, h, type);
        Random r = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(0x1000000));
            }
        }
        return img;
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        return readAll(KAFKA.broker(), topic, expected);
    }

    /**
     * Every record of {@code topic} (read_committed) once {@code expected} have arrived or 30 s
     * have passed, plus whatever one more poll finds.
     */
    static List<ConsumerRecord<byte[], byte[]>> readAll(
            EmbeddedKafka broker, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                String.valueOf(EmbeddedKafka.DEFAULT_MAX_MESSAGE_BYTES));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts =
                    c.partitionsFor(topic).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (out.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // One more poll: nothing beyond what was expected may be there.
            c.poll(Duration.ofMillis(300)).forEach(out::add);
        }
        return out;
    }

    private static ProduceImages.Options produceTo(String topic) {
        return new ProduceImages.Options()
                .bootstrap(KAFKA.broker().bootstrapServers())
                .topic(topic)
                .progress(Progress.Mode.NONE);
    }

    @Test
    void producesADirectorySkippingWhatIsNotAnImageWithStableIds(@TempDir Path dir)
            throws Exception {
        KAFKA.broker().createTopics(2, TOPIC_CONFIG, "images-dir");
        Path sub = Files.createDirectories(dir.resolve("photos/day1"));
        byte[] a = png(randomImage(40, 30, BufferedImage.TYPE_INT_RGB, 1));
        byte[] b = png(randomImage(17, 9, BufferedImage.TYPE_BYTE_GRAY, 2));
        ByteArrayOutputStream jpg = new ByteArrayOutputStream();
        ImageIO.write(randomImage(24, 16, BufferedImage.TYPE_INT_RGB, 3), "jpg", jpg);
        Files.write(dir.resolve("photos/a.png"), a);
        Files.write(sub.resolve("b.png"), b);
        Files.write(sub.resolve("c.jpg"), jpg.toByteArray());
        Files.writeString(sub.resolve("notes.txt"), "not an image");
        byte[] corrupt = a.clone();
        Files.write(sub.resolve("broken.png"), java.util.Arrays.copyOf(corrupt, 20));

        ProduceImages.Summary s =
                ProduceImages.run(
                        produceTo("images-dir")
                                .inputs(List.of(dir.resolve("photos").toString()))
                                .source("archive-1"),
                        QUIET);

        assertThat(s.sent()).hasSize(3);
        assertThat(s.skipped())
                .extracting(ProduceImages.Skipped::input)
                .anyMatch(i -> i.endsWith("notes.txt"))
                .anyMatch(i -> i.endsWith("broken.png"));
        assertThat(s.exitCode()).isEqualTo(ExitCodes.PARTIAL);
        List<ConsumerRecord<byte[], byte[]>> records = readAll("images-dir", 3);
        assertThat(records).hasSize(3);
        AvroWire<ImageFrame> wire = AvroWire.imageFrames();
        Map<String, byte[]> byId = new java.util.HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("archive-1");
            ImageFrame f = wire.decode(r.value());
            byte[] data = new byte[f.getData().remaining()];
            f.getData().get(data);
            byId.put(f.getImageId(), data);
            assertThat(f.getSourceId()).isEqualTo("archive-1");
            assertThat(f.getChannels()).isZero();
            assertThat(f.getCaptureTimeMs()).isGreaterThan(0);
            if (f.getEncoding() == ImageEncoding.JPEG) {
                assertThat(f.getWidth()).isEqualTo(24);
                assertThat(f.getHeight()).isEqualTo(16);
            }
        }
        assertThat(byId.get("archive-1/" + ProduceImages.contentId(a))).isEqualTo(a);
        assertThat(byId.get("archive-1/" + ProduceImages.contentId(b))).isEqualTo(b);

        // Sending again (a glob, a list on stdin) gives the same ids: a re-send is recognisable.
        ProduceImages.Summary again =
                ProduceImages.run(
                        produceTo("images-dir")
                                .inputs(List.of(dir.resolve("photos").toString()))
                                .glob("*.png")
                                .source("archive-1"),
                        QUIET);
        assertThat(again.imageIds())
                .containsExactlyInAnyOrder(
                        "archive-1/" + ProduceImages.contentId(a),
                        "archive-1/" + ProduceImages.contentId(b));
        String list =
                dir.resolve("photos/a.png") + "\n# comment\n" + dir.resolve("missing.png") + "\n";
        ProduceImages.Summary stdin =
                ProduceImages.run(
                        produceTo("images-dir")
                                .inputs(List.of("-"))
                                .stdin(
                                        new ByteArrayInputStream(
                                                list.getBytes(StandardCharsets.UTF_8)))
                                .source("archive-1"),
                        QUIET);
        assertThat(stdin.imageIds()).containsExactly("archive-1/" + ProduceImages.contentId(a));
        assertThat(stdin.skipped())
                .singleElement()
                .satisfies(k -> assertThat(k.reason()).startsWith("unreadable"));
    }

    @Test
    void rawAndSyntheticFramesCarryPackedPixels(@TempDir Path dir) throws Exception {
        KAFKA.broker().createTopics(1, TOPIC_CONFIG, "images-raw");
        BufferedImage rgb = randomImage(7, 5, BufferedImage.TYPE_INT_RGB, 9);
        Path file = dir.resolve("x.png");
        Files.write(file, png(rgb));
        ProduceImages.Summary raw =
                ProduceImages.run(
                        produceTo("images-raw").inputs(List.of(file.toString())).raw(true), QUIET);
        assertThat(raw.exitCode()).isZero();
        ProduceImages.Summary syn =
                ProduceImages.run(
                        produceTo("images-raw")
                                .synthetic(4, 0, 32, 24, PixelFormat.RGB8)
                                .source("cam-9"),
                        QUIET);
        assertThat(syn.exitCode()).isZero();
        assertThat(syn.imageIds())
                .containsExactly("cam-9/000000", "cam-9/000001", "cam-9/000002", "cam-9/000003");

        List<ConsumerRecord<byte[], byte[]>> records = readAll("images-raw", 5);
        assertThat(records).hasSize(5);
        ImageFrame first = AvroWire.imageFrames().decode(records.get(0).value());
        assertThat(first.getEncoding()).isEqualTo(ImageEncoding.RAW);
        assertThat(first.getPixelFormat()).isEqualTo(PixelFormat.RGB8);
        assertThat(first.getChannels()).isEqualTo(3);
        byte[] px = new byte[first.getData().remaining()];
        first.getData().get(px);
        assertThat(px).hasSize(7 * 5 * 3);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                int v = rgb.getRGB(x, y);
                int at = (y * 7 + x) * 3;
                assertThat(px[at] & 0xFF).isEqualTo((v >> 16) & 0xFF);
                assertThat(px[at + 1] & 0xFF).isEqualTo((v >> 8) & 0xFF);
                assertThat(px[at + 2] & 0xFF).isEqualTo(v & 0xFF);
            }
        }
        SyntheticCamera cam = new SyntheticCamera(32, 24, PixelFormat.RGB8);
        for (int i = 0; i < 4; i++) {
            ImageFrame f = AvroWire.imageFrames().decode(records.get(i + 1).value());
            assertThat(f.getSequence()).isEqualTo(i);
            byte[] d = new byte[f.getData().remaining()];
            f.getData().get(d);
            assertThat(d).isEqualTo(cam.frame(i));
        }
    }

    @Test
    void aRecordOverTheSizeLimitIsCountedNotSent(@TempDir Path dir) throws Exception {
        KAFKA.broker().createTopics(1, TOPIC_CONFIG, "images-big");
        Path file = dir.resolve("noise.png");
        Files.write(file, png(randomImage(200, 200, BufferedImage.TYPE_INT_RGB, 4)));
        ProduceImages.Summary s =
                ProduceImages.run(
                        produceTo("images-big")
                                .inputs(List.of(file.toString()))
                                .maxRequestSize(10_000),
                        QUIET);
        assertThat(s.sent()).isEmpty();
        assertThat(s.oversize()).hasSize(1);
        assertThat(s.exitCode()).isEqualTo(ExitCodes.PARTIAL);
    }

    @Test
    void aMissingTopicIsAClearFailure() {
        assertThatThrownBy(
                        () ->
                                ProduceImages.run(
                                        produceTo("no-such-topic")
                                                .synthetic(1, 0, 16, 16, PixelFormat.GRAY8),
                                        QUIET))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("[no-such-topic] do not exist")
                .hasMessageContaining("scripts/create-topics.sh")
                .hasMessageContaining("--config max.message.bytes=33554432)");
    }

    @Test
    void theConsumerRefusesReadUncommittedUnlessAllowed() throws Exception {
        assertThatThrownBy(
                        () ->
                                ConsumeEdgesCommand.parse(
                                        "--kafka", "isolation.level=read_uncommitted"))
                .isInstanceOf(picocli.CommandLine.ParameterException.class)
                .hasMessageContaining("--allow-uncommitted");
        assertThat(
                        ConsumeEdgesCommand.parse(
                                "--kafka",
                                "isolation.level=read_uncommitted",
                                "--allow-uncommitted"))
                .isNotNull();
        assertThat(
                        ConsumeEdges.consumerProperties(new ConsumeEdges.Options())
                                .getProperty("isolation.level"))
                .isEqualTo("read_committed");
    }

    /**
     * How the job would write each filter's maps with {@code map.encoding
     * FLOAT32,laplacian=FLOAT16,ridge5=INT16,sobel=UINT8}.
     */
    private static MapDataType typeOf(Filter f) {
        return switch (f.name()) {
            case "laplacian" -> MapDataType.FLOAT16_LE;
            case "ridge5" -> MapDataType.INT16_LE;
            case "sobel" -> MapDataType.UINT8;
            default -> MapDataType.FLOAT32_LE;
        };
    }

    @Test
    void theConsumerWritesMapsEqualToTheCoreBitForBitAndIgnoresAbortedOutput(@TempDir Path dir)
            throws Exception {
        String maps = "edge-maps-rt";
        String stats = "edge-stats-rt";
        String images = "images-rt";
        String dlq = "images-dlq-rt";
        KAFKA.broker().createTopics(2, TOPIC_CONFIG, maps, stats, images, dlq);

        // The input image goes through the real producer (the consumer saves its thumbnail).
        Path file = dir.resolve("in/photo.png");
        Files.createDirectories(file.getParent());
        Files.write(file, png(randomImage(53, 37, BufferedImage.TYPE_INT_RGB, 5)));
        ProduceImages.Summary sent =
                ProduceImages.run(
                        produceTo(images).inputs(List.of(file.toString())).source("cam/1"), QUIET);
        String imageId = sent.imageIds().get(0);
        assertThat(imageId).startsWith("cam/1/");
        ImageF32 decoded =
                ImageDecoder.decode(
                                Files.readAllBytes(file),
                                "PNG",
                                0,
                                0,
                                0,
                                null,
                                DecodeLimits.DEFAULT)
                        .toF32();

        ConvParams params = ConvParams.DEFAULT;
        List<Filter> filters =
                List.of(
                        Filters.parse("sobel"),
                        Filters.parse("laplacian"),
                        new LinearFilter(
                                "ridge5",
                                io.edgestream.imaging.kernel.Kernels.parse(
                                        "ridge5",
                                        "0,0,1,0,0;0,1,2,1,0;1,2,-16,2,1;0,1,2,1,0;0,0,1,0,0")));
        Properties tx = new Properties();
        tx.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers());
        tx.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "clients-it-" + System.nanoTime());
        tx.put(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                String.valueOf(EmbeddedKafka.DEFAULT_MAX_MESSAGE_BYTES));
        try (KafkaProducer<byte[], byte[]> p =
                new KafkaProducer<>(tx, new ByteArraySerializer(), new ByteArraySerializer())) {
            p.initTransactions();
            // An aborted attempt: a read_committed consumer must never see it.
            p.beginTransaction();
            for (ProducerRecord<byte[], byte[]> r :
                    jobOutput(
                            maps,
                            stats,
                            "ghost",
                            decoded,
                            Filters.parse("sobel_x"),
                            params,
                            16,
                            1)) {
                p.send(r);
            }
            p.flush();
            p.abortTransaction();
            p.beginTransaction();
            long seed = 2;
            for (Filter f : filters) {
                // Every encoding of the job's option map.encoding, one per filter.
                MapDataType type = typeOf(f);
                for (ProducerRecord<byte[], byte[]> r :
                        jobOutput(
                                maps,
                                stats,
                                imageId,
                                decoded,
                                f,
                                params,
                                16,
                                seed++,
                                type,
                                "photo.png")) {
                    p.send(r);
                }
            }
            DeadLetter dl =
                    DeadLetter.newBuilder()
                            .setSourceTopic(images)
                            .setSourcePartition(0)
                            .setSourceOffset(7)
                            .setKey(null)
                            .setImageId("cam/1/bad")
                            .setReason(DeadLetterReason.UNDECODABLE_IMAGE)
                            .setMessage("corrupt <PNG>")
                            .setFailedAtMs(3)
                            .setPayload(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                            .build();
            p.send(new ProducerRecord<>(dlq, null, AvroWire.deadLetters().encode(dl)));
            p.commitTransaction();
        }

        Path out = dir.resolve("out");
        ConsumeEdges.Options o =
                new ConsumeEdges.Options()
                        .bootstrap(KAFKA.broker().bootstrapServers())
                        .topics(maps, stats, images, dlq)
                        .out(out)
                        .withOriginals(true)
                        .dlq(true)
                        .images(1)
                        .expectFilters(3)
                        .timeout(Duration.ofSeconds(60))
                        .progress(Progress.Mode.NONE);
        ConsumeEdges.Summary s = ConsumeEdges.run(o, QUIET);

        assertThat(s.completeImages()).isEqualTo(1);
        assertThat(s.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(s.images())
                .singleElement()
                .satisfies(i -> assertThat(i.imageId()).isEqualTo(imageId));
        // Named after the file: the job copies the frame's attribute 'file' to sourceName, and
        // the thumbnail (from the frame) lands in the same folder as the maps (from the stats).
        Path imageDir = out.resolve(OutputDir.dirName(imageId, "photo.png"));
        assertThat(imageDir.getFileName().toString()).startsWith("photo.png~");
        assertThat(s.images().get(0).dir()).isEqualTo(imageDir);
        for (Filter f : filters) {
            ImageF32 expected = ConvolveFile.compute(decoded, f, params);
            if (f instanceof LinearFilter lf) {
                // ... which is Convolution.convolve itself for a linear filter.
                assertThat(
                                Convolution.convolve(decoded, lf.kernel(), params)
                                        .contentEquals(expected))
                        .isTrue();
            }
            // What the wire holds, as float32: the map rounded to float16 for the laplacian,
            // dequantized from UINT8 for sobel, exact for INT16 (ridge5) and FLOAT32.
            float[] wire = onTheWire(expected.data, typeOf(f), f, params, decoded.channels);
            if (typeOf(f) == MapDataType.INT16_LE) {
                assertThat(wire).containsExactly(expected.data);
            }
            System.arraycopy(wire, 0, expected.data, 0, wire.length);
            Path npy = imageDir.resolve(f.name() + ".npy");
            ByteArrayOutputStream want = new ByteArrayOutputStream();
            NpyWriter.write(expected, want);
            assertThat(Files.readAllBytes(npy))
                    .as("%s.npy equals the core's map byte for byte", f.name())
                    .isEqualTo(want.toByteArray());
            ImageF32 back = NpyReader.read(npy);
            assertThat(back.width).isEqualTo(53 - f.cols() + 1);
            assertThat(back.height).isEqualTo(37 - f.rows() + 1);
            assertThat(Files.size(imageDir.resolve(f.name() + ".png"))).isGreaterThan(0);
        }
        assertThat(Files.exists(imageDir.resolve("original.png"))).isTrue();
        assertThat(ImageIO.read(imageDir.resolve("original.png").toFile()).getWidth())
                .isEqualTo(53);
        assertThat(Files.exists(out.resolve(SafeNames.of("ghost")))).isFalse();

        List<String> lines = Files.readAllLines(out.resolve("stats.jsonl"));
        assertThat(lines)
                .hasSize(3)
                .allSatisfy(l -> assertThat(l).startsWith("{\"imageId\":\"" + imageId + "\""));
        String html = Files.readString(out.resolve("index.html"));
        assertThat(html)
                .contains("<h2>photo.png</h2>")
                .contains(imageId)
                .contains("sobel.png")
                .contains("laplacian.png")
                .contains("ridge5.png")
                .contains("original.png")
                .contains("corrupt &lt;PNG&gt;");
        assertThat(s.deadLetters())
                .singleElement()
                .satisfies(d -> assertThat(d.reason()).isEqualTo("UNDECODABLE_IMAGE"));
        assertThat(Files.readString(out.resolve("dead-letters.jsonl")))
                .contains("\"payloadBytes\":3");
    }

    /**
     * NumPy, not our own reader, loads the consumer's {@code .npy} files: dtype {@code <f4}, shape
     * {@code (h, w)} and every value equal to the core's map as the wire carried it (a UINT8 map
     * dequantized, a float16 map widened, both to float32). Skips where python3 with NumPy is
     * missing, but fails when {@code CI} is set.
     */
    @Test
    void numpyLoadsTheConsumersNpyFilesWithTheCoresValues(@TempDir Path dir) throws Exception {
        requireNumpy();
        String maps = "edge-maps-np";
        String stats = "edge-stats-np";
        KAFKA.broker().createTopics(1, TOPIC_CONFIG, maps, stats, "images-np", "images-dlq-np");
        Random rnd = new Random(41);
        ImageF32 image = ImageF32.allocate(29, 23, 3);
        for (int i = 0; i < image.data.length; i++) {
            image.data[i] = rnd.nextInt(256);
        }
        String imageId = "np/1";
        List<Filter> filters = List.of(Filters.parse("sobel"), Filters.parse("laplacian"));
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers());
        try (KafkaProducer<byte[], byte[]> p =
                new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer())) {
            long seed = 1;
            for (Filter f : filters) {
                MapDataType type = typeOf(f);
                for (ProducerRecord<byte[], byte[]> r :
                        jobOutput(
                                maps,
                                stats,
                                imageId,
                                image,
                                f,
                                ConvParams.DEFAULT,
                                8,
                                seed++,
                                type)) {
                    p.send(r);
                }
            }
            p.flush();
        }
        Path out = dir.resolve("out");
        ConsumeEdges.Summary s =
                ConsumeEdges.run(
                        new ConsumeEdges.Options()
                                .bootstrap(KAFKA.broker().bootstrapServers())
                                .topics(maps, stats, "images-np", "images-dlq-np")
                                .out(out)
                                .images(1)
                                .expectFilters(2)
                                .timeout(Duration.ofSeconds(60))
                                .progress(Progress.Mode.NONE),
                        QUIET);
        assertThat(s.exitCode()).isEqualTo(ExitCodes.OK);
        Path imageDir = out.resolve(SafeNames.of(imageId));

        List<String> args = new ArrayList<>(List.of("python3", "-c", NUMPY_DUMP));
        for (Filter f : filters) {
            args.add(imageDir.resolve(f.name() + ".npy").toString());
        }
        List<String> lines = runProcess(args);
        assertThat(lines).hasSize(filters.size());
        for (int k = 0; k < filters.size(); k++) {
            Filter f = filters.get(k);
            ImageF32 expected = ConvolveFile.compute(image, f, ConvParams.DEFAULT);
            expected =
                    ImageF32.wrap(
                            onTheWire(expected.data, typeOf(f), f, ConvParams.DEFAULT, 3),
                            expected.width,
                            expected.height,
                            expected.channels);
            assertThat(expected.channels).isEqualTo(1);
            ByteBuffer want =
                    ByteBuffer.allocate(expected.data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            want.asFloatBuffer().put(expected.data);
            String[] got = lines.get(k).split(" ");
            assertThat(got).as("numpy's view of %s.npy", f.name()).hasSize(3);
            assertThat(got[0]).as("dtype of %s.npy", f.name()).isEqualTo("<f4");
            assertThat(got[1])
                    .as("shape of %s.npy", f.name())
                    .isEqualTo(expected.height + "x" + expected.width);
            assertThat(HexFormat.of().parseHex(got[2]))
                    .as("values of %s.npy as NumPy reads them, row-major", f.name())
                    .isEqualTo(want.array());
        }
    }

    /** For each .npy argument: dtype, shape as HxW, and the values in C order as hex bytes. */
    private static final String NUMPY_DUMP =
            "import sys, numpy\n"
                    + "for path in sys.argv[1:]:\n"
                    + "    a = numpy.load(path)\n"
                    + "    print(a.dtype.str, 'x'.join(str(d) for d in a.shape),"
                    + " a.tobytes(order='C').hex())\n";

    /**
     * Runs a command to completion (60 s at most) and returns its output lines; exit 0 required.
     */
    private static List<String> runProcess(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command.get(0)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("exit code of %s; output:%n%s", command, text).isZero();
        return text.lines().toList();
    }

    @Test
    void theConsumerGivesUpAtTheTimeoutWithExitCode2WhenTheTargetIsNotReached(@TempDir Path dir)
            throws Exception {
        KAFKA.broker().createTopics(1, TOPIC_CONFIG, "edge-maps-empty", "edge-stats-empty");
        ConsumeEdges.Options o =
                new ConsumeEdges.Options()
                        .bootstrap(KAFKA.broker().bootstrapServers())
                        .topics("edge-maps-empty", "edge-stats-empty", "images", "images-dlq")
                        .out(dir)
                        .images(1)
                        .timeout(Duration.ofSeconds(2))
                        .progress(Progress.Mode.NONE);
        ConsumeEdges.Summary s = ConsumeEdges.run(o, QUIET);
        assertThat(s.targetReached()).isFalse();
        assertThat(s.exitCode()).isEqualTo(ExitCodes.PARTIAL);
        assertThat(Files.readString(dir.resolve("index.html")))
                .contains("No complete edge maps yet");
    }

    /**
     * Returns when {@code python3 -c 'import numpy'} works. Otherwise the test is skipped, unless
     * the environment variable {@code CI} is set: CI installs NumPy ({@code .ci/run}), so there a
     * missing NumPy is a failure that says what to install.
     */
    private static void requireNumpy() {
        String problem;
        try {
            Process p =
                    new ProcessBuilder("python3", "-c", "import numpy")
                            .redirectErrorStream(true)
                            .start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                problem = "python3 -c 'import numpy' did not finish in 60 s";
            } else if (p.exitValue() != 0) {
                String lines = new String(output, StandardCharsets.UTF_8).strip();
                problem = lines.substring(lines.lastIndexOf('\n') + 1);
            } else {
                return;
            }
        } catch (java.io.IOException e) {
            problem = "python3 cannot be run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        String message =
                "NumPy is needed to check the consumer's .npy files ("
                        + problem
                        + "); install it with: apt-get install -y python3-numpy (Debian/Ubuntu),"
                        + " or pip install numpy for the python3 on PATH";
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank()) {
            fail("CI=" + ci + " is set, so this does not skip: " + message);
        }
        abort(message);
    }
}
