package io.edgestream.clients;

import static io.edgestream.clients.JobOutput.jobOutput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.clients.cli.ExitCodes;
import io.edgestream.clients.cli.ToolException;
import io.edgestream.clients.consume.ConsumeEdges;
import io.edgestream.clients.consume.ConsumeEdgesCommand;
import io.edgestream.clients.consume.NpyWriter;
import io.edgestream.clients.consume.SafeNames;
import io.edgestream.clients.convolve.ConvolveFile;
import io.edgestream.clients.produce.ProduceImages;
import io.edgestream.clients.produce.ProduceImagesCommand;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.Filters;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.registry.RegistryConfig;
import io.edgestream.schemas.registry.RegistryWire;
import io.edgestream.schemas.registry.SchemaRegistryClient;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.testing.kafka.EmbeddedKafka;
import io.edgestream.testing.kafka.EmbeddedKafkaExtension;
import io.edgestream.testing.registry.ApicurioRegistryExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tools with {@code --registry} against a real in-process Kafka broker and a real Apicurio
 * Registry process: the producer writes registry-framed frames whose schema id is the one
 * registered under {@code <topic>-value}; the consumer reads tiles and stats of both framings from
 * the same topics (recognised per record) into maps equal to the core's bit for bit; a framing
 * excluded by {@code --wire-format}, or a registry-framed record without {@code --registry}, is
 * unreadable with a reason; an unreachable registry stops the producer before anything is sent,
 * without printing its credentials.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClientsRegistryITCase {

    private static final Map<String, String> TOPIC_CONFIG =
            Map.of("max.message.bytes", String.valueOf(EmbeddedKafka.DEFAULT_MAX_MESSAGE_BYTES));

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @RegisterExtension
    static final ApicurioRegistryExtension REGISTRY = new ApicurioRegistryExtension();

    private static final PrintStream QUIET =
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        return ClientsRoundTripITCase.readAll(KAFKA.broker(), topic, expected);
    }

    private static String[] produceArgs(String topic, String... more) {
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "--bootstrap",
                                KAFKA.broker().bootstrapServers(),
                                "--topic",
                                topic,
                                "--synthetic",
                                "--count",
                                "3",
                                "--fps",
                                "0",
                                "--size",
                                "32x24",
                                "--format",
                                "rgb8",
                                "--progress",
                                "none"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static Map<String, ImageFrame> byId(List<ImageFrame> frames) {
        Map<String, ImageFrame> m = new HashMap<>();
        frames.forEach(f -> m.put(f.getImageId(), f));
        return m;
    }

    @Test
    void theProducerWritesRegistryFramingWithTheIdRegisteredUnderTheTopicsValueSubject() {
        KAFKA.broker().createTopics(1, TOPIC_CONFIG, "images-reg", "images-so");
        ProduceImages.Summary reg =
                ProduceImages.run(
                        ProduceImagesCommand.parse(
                                produceArgs("images-reg", "--registry", REGISTRY.ccompatUrl())),
                        QUIET);
        ProduceImages.Summary single =
                ProduceImages.run(
                        ProduceImagesCommand.parse(
                                produceArgs(
                                        "images-so",
                                        "--registry",
                                        REGISTRY.ccompatUrl(),
                                        "--wire-format",
                                        "single-object")),
                        QUIET);
        assertThat(reg.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(reg.sent()).hasSize(3);

        SchemaRegistryClient client =
                new SchemaRegistryClient(RegistryConfig.of(REGISTRY.ccompatUrl()));
        // Registering the same schema again answers the id the producer registered.
        int id = client.register("images-reg-value", ImageFrame.getClassSchema());
        RegistryWire<ImageFrame> registryWire =
                RegistryWire.forTopic(ImageFrame.class, client, "images-reg");
        List<ImageFrame> viaRegistry = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll("images-reg", 3)) {
            assertThat(r.value()[0]).isZero();
            assertThat(RegistryWire.schemaId(r.value())).isEqualTo(id);
            viaRegistry.add(registryWire.decode(r.value()));
        }
        List<ImageFrame> viaSingleObject = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll("images-so", 3)) {
            assertThat(r.value()[0]).isEqualTo(AvroWire.MAGIC_0);
            assertThat(r.value()[1]).isEqualTo(AvroWire.MAGIC_1);
            viaSingleObject.add(AvroWire.imageFrames().decode(r.value()));
        }
        assertThat(viaRegistry)
                .extracting(ImageFrame::getImageId)
                .containsExactlyInAnyOrderElementsOf(reg.imageIds());
        // The same synthetic frames in either framing: ids and pixels equal.
        Map<String, ImageFrame> a = byId(viaRegistry);
        Map<String, ImageFrame> b = byId(viaSingleObject);
        assertThat(a.keySet()).isEqualTo(b.keySet());
        for (String imageId : a.keySet()) {
            assertThat(a.get(imageId).getData()).isEqualTo(b.get(imageId).getData());
            assertThat(a.get(imageId).getPixelFormat()).isEqualTo(b.get(imageId).getPixelFormat());
            assertThat(a.get(imageId).getWidth()).isEqualTo(32);
        }
    }

    /** {@code records} with tiles and stats re-encoded in the registry framing. */
    private static List<ProducerRecord<byte[], byte[]>> registryFramed(
            List<ProducerRecord<byte[], byte[]>> records,
            SchemaRegistryClient client,
            String maps,
            String stats) {
        RegistryWire<FeatureMapTile> tiles =
                RegistryWire.forTopic(FeatureMapTile.class, client, maps);
        RegistryWire<EdgeStats> statsWire = RegistryWire.forTopic(EdgeStats.class, client, stats);
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : records) {
            byte[] v =
                    r.topic().equals(maps)
                            ? tiles.encode(AvroWire.featureMapTiles().decode(r.value()))
                            : statsWire.encode(AvroWire.edgeStats().decode(r.value()));
            out.add(new ProducerRecord<>(r.topic(), r.key(), v));
        }
        return out;
    }

    private static ImageF32 randomImage(int w, int h, int channels, long seed) {
        ImageF32 img = ImageF32.allocate(w, h, channels);
        Random r = new Random(seed);
        for (int i = 0; i < img.data.length; i++) {
            img.data[i] = r.nextInt(256);
        }
        return img;
    }

    private static byte[] npy(ImageF32 map) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpyWriter.write(map, out);
        return out.toByteArray();
    }

    @Test
    void theConsumerReadsBothFramingsFromOneTopicIntoTheCoresMapsBitForBit(@TempDir Path dir)
            throws Exception {
        String maps = "edge-maps-mix";
        String stats = "edge-stats-mix";
        KAFKA.broker().createTopics(2, TOPIC_CONFIG, maps, stats, "images-mix", "images-dlq-mix");
        SchemaRegistryClient client =
                new SchemaRegistryClient(RegistryConfig.of(REGISTRY.ccompatUrl()));
        Filter sobel = Filters.parse("sobel");
        ConvParams params = ConvParams.DEFAULT;
        ImageF32 viaRegistry = randomImage(45, 31, 3, 11);
        ImageF32 viaSingleObject = randomImage(38, 27, 1, 12);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        records.addAll(
                registryFramed(
                        jobOutput(maps, stats, "reg/a", viaRegistry, sobel, params, 16, 3),
                        client,
                        maps,
                        stats));
        records.addAll(jobOutput(maps, stats, "so/b", viaSingleObject, sobel, params, 16, 4));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(r);
            }
            producer.flush();
        }
        String[] common = {
            "--bootstrap",
            KAFKA.broker().bootstrapServers(),
            "--maps-topic",
            maps,
            "--stats-topic",
            stats,
            "--progress",
            "none",
            "--timeout",
            "60s"
        };

        Path out = dir.resolve("both");
        ConsumeEdges.Summary both =
                ConsumeEdges.run(
                        ConsumeEdgesCommand.parse(
                                concat(
                                        common,
                                        "--out",
                                        out.toString(),
                                        "--images",
                                        "2",
                                        "--registry",
                                        REGISTRY.ccompatUrl())),
                        QUIET);
        assertThat(both.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(both.unreadable()).isEmpty();
        assertThat(Files.readAllBytes(out.resolve(SafeNames.of("reg/a")).resolve("sobel.npy")))
                .as("the registry-framed map equals the core's")
                .isEqualTo(npy(ConvolveFile.compute(viaRegistry, sobel, params)));
        assertThat(Files.readAllBytes(out.resolve(SafeNames.of("so/b")).resolve("sobel.npy")))
                .as("the single-object map equals the core's")
                .isEqualTo(npy(ConvolveFile.compute(viaSingleObject, sobel, params)));

        // Without --registry the registry-framed records are unreadable, and say what to add.
        Path noRegistry = dir.resolve("no-registry");
        ConsumeEdges.Summary without =
                ConsumeEdges.run(
                        ConsumeEdgesCommand.parse(
                                concat(common, "--out", noRegistry.toString(), "--images", "1")),
                        QUIET);
        assertThat(without.images())
                .extracting(ConsumeEdges.ImageResult::imageId)
                .containsExactly("so/b");
        assertThat(without.unreadable())
                .hasSize(records.size() / 2)
                .allSatisfy(u -> assertThat(u).contains("registry-framed").contains("--registry"));
        assertThat(without.exitCode()).isEqualTo(ExitCodes.PARTIAL);

        // --wire-format single-object with a registry: the registry-framed records are refused.
        ConsumeEdges.Summary strict =
                ConsumeEdges.run(
                        ConsumeEdgesCommand.parse(
                                concat(
                                        common,
                                        "--out",
                                        dir.resolve("strict").toString(),
                                        "--images",
                                        "1",
                                        "--registry",
                                        REGISTRY.ccompatUrl(),
                                        "--wire-format",
                                        "single-object")),
                        QUIET);
        assertThat(strict.images())
                .extracting(ConsumeEdges.ImageResult::imageId)
                .containsExactly("so/b");
        assertThat(strict.unreadable())
                .hasSize(records.size() / 2)
                .allSatisfy(u -> assertThat(u).contains("--wire-format single-object"));
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    @Test
    void anUnreachableRegistryStopsTheToolsBeforeAnythingIsSentAndNeverShowsTheCredentials()
            throws Exception {
        KAFKA.broker()
                .createTopics(1, TOPIC_CONFIG, "images-down", "edge-maps-down", "edge-stats-down");
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closed + "/apis/ccompat/v7";
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        assertThatThrownBy(
                        () ->
                                ProduceImages.run(
                                        ProduceImagesCommand.parse(
                                                produceArgs(
                                                        "images-down",
                                                        "--registry",
                                                        url,
                                                        "--registry-user-info",
                                                        "edge:s3cret-pw",
                                                        "--verbose")),
                                        out))
                .isInstanceOf(ToolException.class)
                .satisfies(
                        e -> assertThat(((ToolException) e).exitCode()).isEqualTo(ExitCodes.FAILED))
                .hasMessageContaining("images-down-value")
                .hasMessageContaining(url)
                .hasMessageNotContaining("s3cret");
        assertThat(readAll("images-down", 0)).isEmpty();
        assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain("s3cret");

        assertThatThrownBy(
                        () ->
                                ConsumeEdges.run(
                                        ConsumeEdgesCommand.parse(
                                                "--bootstrap",
                                                KAFKA.broker().bootstrapServers(),
                                                "--maps-topic",
                                                "edge-maps-down",
                                                "--stats-topic",
                                                "edge-stats-down",
                                                "--progress",
                                                "none",
                                                "--registry",
                                                url,
                                                "--registry-user-info",
                                                "edge:s3cret-pw",
                                                "--verbose"),
                                        out))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining(url)
                .hasMessageNotContaining("s3cret");
        assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain("s3cret");
    }

    @Test
    void verboseOutputNamesTheFramingAndTheRegistryButNotItsCredentials() {
        KAFKA.broker().createTopics(1, TOPIC_CONFIG, "images-verbose");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ProduceImages.Summary s =
                ProduceImages.run(
                        ProduceImagesCommand.parse(
                                produceArgs(
                                        "images-verbose",
                                        "--registry",
                                        REGISTRY.ccompatUrl(),
                                        "--registry-user-info",
                                        "edge:s3cret-pw",
                                        "--verbose")),
                        new PrintStream(printed, true, StandardCharsets.UTF_8));
        // The registry runs without authentication: it ignores the credentials sent.
        assertThat(s.exitCode()).isEqualTo(ExitCodes.OK);
        String text = printed.toString(StandardCharsets.UTF_8);
        assertThat(text)
                .contains("Wire format: registry, writer schema id ")
                .contains("Schema registry: RegistryConfig{url=" + REGISTRY.ccompatUrl())
                .contains("basic-auth credentials (value not shown)")
                .doesNotContain("s3cret");
    }
}
