package io.edgestream.job.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.edgestream.job.EdgeJobOptions;
import io.edgestream.job.RegistrySubjects;
import io.edgestream.job.testing.PipelineHarness;
import io.edgestream.job.testing.PipelineHarness.Topics;
import io.edgestream.job.testing.TestImages;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.ImageEncoding;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.registry.Compatibility;
import io.edgestream.schemas.registry.RegistryConfig;
import io.edgestream.schemas.registry.RegistryWire;
import io.edgestream.schemas.registry.SchemaRegistryClient;
import io.edgestream.schemas.registry.SubjectNames;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.testing.kafka.EmbeddedKafkaExtension;
import io.edgestream.testing.registry.ApicurioRegistryExtension;
import io.edgestream.testing.registry.ApicurioSerdes;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job with the schema-registry wire format, against a real Apicurio Registry process (its
 * Confluent-compatible API, global rule BACKWARD), an in-process broker and a MiniCluster. The
 * third-party side is Apicurio's own Kafka Avro serde, configured for the Confluent framing (id in
 * the value, 4 bytes, content ids): it writes the input and reads the outputs, with no code of
 * ours. Every test has its own topics and so its own subjects.
 */
class EdgeJobRegistryITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineHarness.miniCluster();

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @RegisterExtension
    static final ApicurioRegistryExtension REGISTRY = new ApicurioRegistryExtension();

    private static final byte[] KEY = "camera-1".getBytes(StandardCharsets.UTF_8);

    private static Properties client() {
        return PipelineHarness.client(KAFKA.broker().bootstrapServers());
    }

    /** {@code frames} as Apicurio's serializer writes them for {@code topic}. */
    private static List<byte[]> apicurioSerialized(String topic, List<ImageFrame> frames) {
        List<byte[]> values = new ArrayList<>();
        try (AvroKafkaSerializer<ImageFrame> serializer = new AvroKafkaSerializer<>()) {
            serializer.configure(ApicurioSerdes.confluentFraming(REGISTRY.registry()), false);
            for (ImageFrame f : frames) {
                values.add(serializer.serialize(topic, f));
            }
        }
        return values;
    }

    /** Every committed value of {@code topic} as Apicurio's deserializer reads it. */
    private static List<GenericRecord> apicurioRead(String topic) {
        List<GenericRecord> out = new ArrayList<>();
        try (AvroKafkaDeserializer<GenericRecord> deserializer = new AvroKafkaDeserializer<>()) {
            deserializer.configure(ApicurioSerdes.confluentFraming(REGISTRY.registry()), false);
            for (ConsumerRecord<byte[], byte[]> r : PipelineHarness.drain(client(), topic)) {
                assertThat(r.value()[0]).as("registry framing starts with 00").isZero();
                out.add(deserializer.deserialize(topic, r.value()));
            }
        }
        return out;
    }

    private static Map<String, String> registryOptions(String... more) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(EdgeJobOptions.WIRE_FORMAT.key(), "registry");
        m.put(EdgeJobOptions.REGISTRY_URL.key(), REGISTRY.ccompatUrl());
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return m;
    }

    private static List<ImageFrame> frames(String prefix) {
        return List.of(
                AbstractEdgeJobITCase.raw8(prefix + "-large", 150, 110, 1),
                AbstractEdgeJobITCase.raw8(prefix + "-small", 12, 9, 2),
                TestImages.frame(
                        prefix + "-png",
                        ImageEncoding.PNG,
                        null,
                        0,
                        0,
                        0,
                        TestImages.pngRgb8(40, 30, 3)));
    }

    @Test
    @Timeout(240)
    void framesOfAThirdPartySerializerGiveOutputsItsDeserializerReadsEqualToSingleObject()
            throws Exception {
        Map<String, String> processing =
                Map.of(
                        EdgeJobOptions.FILTERS.key(),
                        AbstractEdgeJobITCase.FILTERS,
                        EdgeJobOptions.TILE_SIZE.key(),
                        "32");
        // The same frames, once single-object encoded and once written by Apicurio's serializer.
        List<ImageFrame> frames = frames("img");
        Topics single = Topics.fresh("reg-single");
        PipelineHarness.createTopics(client(), single, 2);
        PipelineHarness.produceFrames(client(), single.images(), frames);
        Topics registry = Topics.fresh("reg-framed");
        PipelineHarness.createTopics(client(), registry, 2);
        PipelineHarness.produce(
                client(), registry.images(), KEY, apicurioSerialized(registry.images(), frames));

        EdgeJobOptions singleRun =
                PipelineHarness.boundedOptions(
                        KAFKA.broker().bootstrapServers(), single, processing);
        PipelineHarness.runToEnd(singleRun);
        Map<String, String> registryExtra = registryOptions();
        registryExtra.putAll(processing);
        EdgeJobOptions registryRun =
                PipelineHarness.boundedOptions(
                        KAFKA.broker().bootstrapServers(), registry, registryExtra);
        PipelineHarness.runToEnd(registryRun);

        // The single-object run is right (bit for bit against the whole-image reference) ...
        PipelineHarness.assertExactlyOnce(client(), single, singleRun.processing(), frames);

        // ... and the registry run wrote the same values, readable without our code.
        Map<String, String> expectedMaps = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : PipelineHarness.drain(client(), single.maps())) {
            FeatureMapTile t = AvroWire.featureMapTiles().decode(r.value());
            expectedMaps.put(
                    t.getImageId() + "/" + t.getFilter() + "/" + t.getTileIndex(), t.toString());
        }
        Map<String, String> gotMaps = new HashMap<>();
        for (GenericRecord t : apicurioRead(registry.maps())) {
            assertThat(t.getSchema()).isEqualTo(FeatureMapTile.getClassSchema());
            String id = t.get("imageId") + "/" + t.get("filter") + "/" + t.get("tileIndex");
            assertThat(gotMaps.put(id, t.toString())).as("tile %s once", id).isNull();
        }
        assertThat(gotMaps).isEqualTo(expectedMaps);

        // Wall-clock times differ between the runs; everything else must be the same bits (the
        // merge of tile statistics is in tile order, whatever order the tiles arrive in).
        Map<String, String> expectedStats = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : PipelineHarness.drain(client(), single.stats())) {
            EdgeStats s = AvroWire.edgeStats().decode(r.value());
            s.setIngestTimeMs(0);
            s.setCompletedTimeMs(0);
            expectedStats.put(s.getImageId() + "/" + s.getFilter(), s.toString());
        }
        Map<String, String> gotStats = new HashMap<>();
        for (GenericRecord s : apicurioRead(registry.stats())) {
            s.put("ingestTimeMs", 0L);
            s.put("completedTimeMs", 0L);
            gotStats.put(s.get("imageId") + "/" + s.get("filter"), s.toString());
        }
        assertThat(gotStats).hasSize(frames.size() * 3).isEqualTo(expectedStats);
        assertThat(PipelineHarness.drain(client(), registry.dlq())).isEmpty();

        // Our schemas are registered under the TopicNameStrategy subjects, rule BACKWARD.
        SchemaRegistryClient c = new SchemaRegistryClient(RegistryConfig.of(REGISTRY.ccompatUrl()));
        String mapsSubject = SubjectNames.topicValue(registry.maps());
        int mapsId = c.register(mapsSubject, FeatureMapTile.getClassSchema());
        byte[] anyTile = PipelineHarness.drain(client(), registry.maps()).get(0).value();
        assertThat(RegistryWire.schemaId(anyTile)).isEqualTo(mapsId);
        assertThat(c.compatibility(mapsSubject)).isEqualTo(Compatibility.BACKWARD);
    }

    @Test
    @Timeout(180)
    void unknownIdsIncompatibleWritersAndSingleObjectValuesAreDeadLetteredAndTheJobGoesOn()
            throws Exception {
        Topics t = Topics.fresh("reg-dlq");
        PipelineHarness.createTopics(client(), t, 1);
        List<ImageFrame> good =
                List.of(
                        AbstractEdgeJobITCase.raw8("good-1", 20, 18, 1),
                        AbstractEdgeJobITCase.raw8("good-2", 22, 16, 2));
        List<byte[]> goodValues = apicurioSerialized(t.images(), good);

        byte[] unknownId = concat(RegistryWire.header(987_654), new byte[] {2, 'x'});
        // A writer schema of the same name that cannot be read as ours (imageId is a long).
        Schema foreign =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"ImageFrame\",\"namespace\":"
                                        + "\"io.edgestream.schemas\",\"fields\":[{\"name\":"
                                        + "\"imageId\",\"type\":\"long\"}]}");
        int foreignId =
                new SchemaRegistryClient(RegistryConfig.of(REGISTRY.ccompatUrl()))
                        .register(t.id() + "-foreign-value", foreign);
        GenericRecord r = new GenericData.Record(foreign);
        r.put("imageId", 42L);
        byte[] incompatible = concat(RegistryWire.header(foreignId), avro(foreign, r));
        byte[] singleObject = AvroWire.imageFrames().encode(good.get(0));

        PipelineHarness.produce(
                client(),
                t.images(),
                KEY,
                List.of(
                        goodValues.get(0),
                        unknownId,
                        incompatible,
                        singleObject,
                        goodValues.get(1)));
        // No restart allowed: any failure of the job fails the test.
        PipelineHarness.runToEnd(
                PipelineHarness.boundedOptions(
                        KAFKA.broker().bootstrapServers(),
                        t,
                        registryOptions(EdgeJobOptions.RESTART_ATTEMPTS.key(), "0")));

        List<GenericRecord> letters = apicurioRead(t.dlq());
        assertThat(letters).hasSize(3);
        Map<Long, GenericRecord> byOffset = new HashMap<>();
        for (GenericRecord dl : letters) {
            byOffset.put((Long) dl.get("sourceOffset"), dl);
        }
        assertThat(byOffset.get(1L).get("reason").toString()).isEqualTo("UNKNOWN_SCHEMA");
        assertThat(byOffset.get(1L).get("message").toString())
                .contains("Schema id 987654 is unknown");
        assertThat(byOffset.get(2L).get("reason").toString()).isEqualTo("UNKNOWN_SCHEMA");
        assertThat(byOffset.get(2L).get("message").toString())
                .contains("schema id " + foreignId)
                .contains("cannot be read as io.edgestream.schemas.ImageFrame");
        assertThat(byOffset.get(3L).get("reason").toString()).isEqualTo("NOT_WIRE_FORMAT");
        assertThat(byOffset.get(3L).get("message").toString())
                .contains("wire-format mismatch")
                .contains("--wire.format.images single-object");
        assertThat(PipelineHarness.bytes((java.nio.ByteBuffer) byOffset.get(3L).get("payload")))
                .isEqualTo(singleObject);

        // The good frames around them were processed: one EdgeStats per frame and filter.
        assertThat(apicurioRead(t.stats()))
                .extracting(s -> s.get("imageId").toString())
                .containsOnly("good-1", "good-2")
                .hasSize(2 * 3); // the job's three default filters
    }

    @Test
    @Timeout(180)
    void anUnreachableRegistryWhileRunningFailsTheTaskInsteadOfDeadLettering() throws Exception {
        Topics t = Topics.fresh("reg-down");
        PipelineHarness.createTopics(client(), t, 1);
        List<byte[]> values =
                apicurioSerialized(
                        t.images(), List.of(AbstractEdgeJobITCase.raw8("kept", 20, 18, 1)));
        PipelineHarness.produce(client(), t.images(), KEY, values);

        // Submitted without the start-up check, as if the registry went away after it.
        EdgeJobOptions o =
                PipelineHarness.boundedOptions(
                        KAFKA.broker().bootstrapServers(),
                        t,
                        Map.of(
                                EdgeJobOptions.WIRE_FORMAT_IMAGES.key(), "registry",
                                EdgeJobOptions.REGISTRY_URL.key(), closedPortUrl(),
                                EdgeJobOptions.REGISTRY_TIMEOUT_MS.key(), "2000",
                                EdgeJobOptions.RESTART_ATTEMPTS.key(), "1"));
        JobClient job = PipelineHarness.submit(o);
        Throwable failure = null;
        try {
            job.getJobExecutionResult().get(150, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            failure = e;
        }
        assertThat(failure).as("the job fails once its restarts are used up").isNotNull();
        assertThat(ExceptionUtils.findThrowableWithMessage(failure, "is not dead-lettered"))
                .as("the failure says why, in: %s", ExceptionUtils.stringifyException(failure))
                .isPresent();
        assertThat(ExceptionUtils.stringifyException(failure))
                .contains("is unreachable")
                .contains("restarts from its last checkpoint");
        assertThat(PipelineHarness.drain(client(), t.dlq()))
                .as("a good record is never dead-lettered for a registry outage")
                .isEmpty();
    }

    @Test
    @Timeout(60)
    void startUpFailsOnAnUnreachableRegistryNamingTheOptionWithoutTheCredentials()
            throws Exception {
        String password = "pw-" + System.nanoTime();
        Topics t = Topics.fresh("reg-start");
        String url = closedPortUrl();
        EdgeJobOptions o =
                PipelineHarness.boundedOptions(
                        KAFKA.broker().bootstrapServers(),
                        t,
                        Map.of(
                                EdgeJobOptions.WIRE_FORMAT.key(),
                                "registry",
                                EdgeJobOptions.REGISTRY_URL.key(),
                                url,
                                EdgeJobOptions.REGISTRY_BASIC_AUTH.key(),
                                "job:" + password));
        assertThat(o.describe()).doesNotContain(password).contains("registry.basic.auth = ******");
        assertThatThrownBy(() -> RegistrySubjects.prepare(o))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the schema registry at " + url)
                .hasMessageContaining("option 'registry.url'")
                .hasMessageContaining("cannot be reached")
                .hasMessageNotContaining(password)
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .doesNotContain(password));
        // Without registry.url the options themselves are refused, naming the option.
        assertThatThrownBy(
                        () ->
                                PipelineHarness.boundedOptions(
                                        KAFKA.broker().bootstrapServers(),
                                        t,
                                        Map.of(EdgeJobOptions.WIRE_FORMAT.key(), "registry")))
                .hasMessageContaining("option 'registry.url' is not set");
    }

    @Test
    @Timeout(60)
    void startUpFailsWhenTheOutputSubjectHoldsAnIncompatibleSchema() {
        Topics t = Topics.fresh("reg-incompat");
        String subject = SubjectNames.topicValue(t.stats());
        Schema other =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"EdgeStats\",\"namespace\":"
                                        + "\"io.edgestream.schemas\",\"fields\":[{\"name\":"
                                        + "\"imageId\",\"type\":\"int\"}]}");
        new SchemaRegistryClient(RegistryConfig.of(REGISTRY.ccompatUrl())).register(subject, other);

        EdgeJobOptions o =
                PipelineHarness.boundedOptions(
                        KAFKA.broker().bootstrapServers(), t, registryOptions());
        assertThatThrownBy(() -> RegistrySubjects.prepare(o))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("subject '" + subject + "' holds a schema")
                .hasMessageContaining("not compatible");
        // The other outputs' subjects were prepared before it; the maps subject is BACKWARD.
        SchemaRegistryClient c = new SchemaRegistryClient(RegistryConfig.of(REGISTRY.ccompatUrl()));
        assertThat(c.compatibility(SubjectNames.topicValue(t.maps())))
                .isEqualTo(Compatibility.BACKWARD);
    }

    /** A URL on a loopback port nothing listens on. */
    private static String closedPortUrl() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    private static byte[] avro(Schema schema, GenericRecord r) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(r, enc);
        enc.flush();
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
