package io.edgestream.testing.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.schemas.DeadLetterReason;
import io.edgestream.schemas.ImageEncoding;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.PixelFormat;
import io.edgestream.schemas.registry.Compatibility;
import io.edgestream.schemas.registry.IncompatibleSchemaException;
import io.edgestream.schemas.registry.RegistryConfig;
import io.edgestream.schemas.registry.RegistryUnreachableException;
import io.edgestream.schemas.registry.RegistryWire;
import io.edgestream.schemas.registry.SchemaRegistryClient;
import io.edgestream.schemas.registry.SubjectNames;
import io.edgestream.schemas.registry.UnknownSchemaIdException;
import io.edgestream.schemas.wire.SchemaHistory;
import io.edgestream.schemas.wire.WireFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The registry client and the registry wire framing against a real Apicurio Registry process (its
 * Confluent-compatible API, global rule BACKWARD). Each test uses its own subjects.
 */
class SchemaRegistryITCase {
    @RegisterExtension
    static final ApicurioRegistryExtension REGISTRY = new ApicurioRegistryExtension();

    private SchemaRegistryClient client() {
        return new SchemaRegistryClient(RegistryConfig.of(REGISTRY.ccompatUrl()));
    }

    static ImageFrame frame(String id) {
        return ImageFrame.newBuilder()
                .setImageId(id)
                .setSourceId("cam-7")
                .setCaptureTimeMs(1_700_000_000_123L)
                .setSequence(42)
                .setBatchId("batch-1")
                .setWidth(3)
                .setHeight(2)
                .setChannels(1)
                .setPixelFormat(PixelFormat.GRAY8)
                .setEncoding(ImageEncoding.RAW)
                .setData(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, (byte) 250}))
                .setAttributes(Map.of("lens", "wide"))
                .build();
    }

    @Test
    void registersLooksUpAndCachesById() {
        SchemaRegistryClient client = client();
        String subject = SubjectNames.topicValue("register-lookup");
        Schema schema = ImageFrame.getClassSchema();

        int id = client.register(subject, schema);
        assertThat(client.register(subject, schema)).isEqualTo(id);

        // A fresh client (empty cache) reads it from the registry.
        SchemaRegistryClient other = client();
        Schema fetched = other.schemaById(id);
        assertThat(fetched).isEqualTo(schema);
        // Cached: the same instance comes back without asking again.
        assertThat(other.schemaById(id)).isSameAs(fetched);
        assertThat(other.compatibility(subject)).isEqualTo(Compatibility.BACKWARD);
    }

    @Test
    void backwardRuleRejectsAnIncompatibleChange() {
        SchemaRegistryClient client = client();
        String subject = SubjectNames.topicValue("backward-rule");
        client.setCompatibility(subject, Compatibility.BACKWARD);
        assertThat(client.compatibility(subject)).isEqualTo(Compatibility.BACKWARD);
        Schema v1 = SchemaBuilder.record("Reading").fields().requiredInt("x").endRecord();
        // A new required field without a default: old data cannot be read with it.
        Schema breaking =
                SchemaBuilder.record("Reading")
                        .fields()
                        .requiredInt("x")
                        .requiredInt("y")
                        .endRecord();
        Schema compatible =
                SchemaBuilder.record("Reading")
                        .fields()
                        .requiredInt("x")
                        .name("y")
                        .type()
                        .intType()
                        .intDefault(0)
                        .endRecord();
        int id1 = client.register(subject, v1);

        assertThat(client.isCompatible(subject, breaking)).isFalse();
        assertThat(client.isCompatible(subject, compatible)).isTrue();
        assertThatThrownBy(() -> client.register(subject, breaking))
                .isInstanceOfSatisfying(
                        IncompatibleSchemaException.class,
                        e -> {
                            assertThat(e.subject()).isEqualTo(subject);
                            assertThat(e.httpStatus()).isEqualTo(409);
                        })
                .hasMessageContaining(REGISTRY.ccompatUrl())
                .hasMessageContaining(subject)
                .hasMessageContaining("incompatible");
        assertThat(client.register(subject, compatible)).isNotEqualTo(id1);
    }

    @Test
    void framingRoundTripOfAnImageFrame() {
        RegistryWire<ImageFrame> wire =
                RegistryWire.forTopic(ImageFrame.class, client(), "round-trip");
        ImageFrame frame = frame("img-1");

        byte[] value = wire.encode(frame);

        assertThat(value[0]).isZero();
        int id = RegistryWire.schemaId(value);
        assertThat(id).isEqualTo(wire.writerId());
        assertThat(client().schemaById(id)).isEqualTo(ImageFrame.getClassSchema());
        // Decoded by a codec with its own client: the writer schema comes from the registry.
        RegistryWire<ImageFrame> reader =
                RegistryWire.forTopic(ImageFrame.class, client(), "round-trip");
        assertThat(reader.decode(value)).isEqualTo(frame);
    }

    @Test
    void recordWrittenWithAnOlderVersionDecodesIntoTheCurrentSchema() throws IOException {
        SchemaRegistryClient client = client();
        String subject = SubjectNames.topicValue("older-version");
        Schema v1 = SchemaHistory.versions("ImageFrame").get(0);
        assertThat(v1.getField("attributes")).isNull();
        int v1Id = client.register(subject, v1);
        // The current schema is a BACKWARD-compatible successor of v1.
        int currentId = client.register(subject, ImageFrame.getClassSchema());
        assertThat(currentId).isNotEqualTo(v1Id);

        GenericRecord old = new GenericData.Record(v1);
        old.put("imageId", "img-old");
        old.put("sourceId", "cam-1");
        old.put("captureTimeMs", 5L);
        old.put("sequence", 6L);
        old.put("width", 3);
        old.put("height", 2);
        old.put("channels", 1);
        old.put(
                "pixelFormat",
                new GenericData.EnumSymbol(
                        v1.getField("pixelFormat").schema().getTypes().get(1), "GRAY8"));
        old.put("encoding", new GenericData.EnumSymbol(v1.getField("encoding").schema(), "RAW"));
        old.put("data", ByteBuffer.wrap(new byte[] {9, 8, 7, 6, 5, 4}));
        byte[] value = framed(v1Id, v1, old);

        ImageFrame decoded =
                RegistryWire.forTopic(ImageFrame.class, client(), "older-version").decode(value);

        assertThat(decoded.getImageId()).isEqualTo("img-old");
        assertThat(decoded.getSequence()).isEqualTo(6L);
        assertThat(decoded.getPixelFormat()).isEqualTo(PixelFormat.GRAY8);
        assertThat(decoded.getData()).isEqualTo(ByteBuffer.wrap(new byte[] {9, 8, 7, 6, 5, 4}));
        // Fields added after v1 take their defaults.
        assertThat(decoded.getBatchId()).isNull();
        assertThat(decoded.getAttributes()).isEmpty();
    }

    @Test
    void writerSchemaThatCannotBeReadAsOursIsUnknownSchema() throws IOException {
        SchemaRegistryClient client = client();
        Schema other = SchemaBuilder.record("Reading").fields().requiredInt("x").endRecord();
        int id = client.register(SubjectNames.topicValue("other-type"), other);
        GenericRecord r = new GenericData.Record(other);
        r.put("x", 1);

        assertThatThrownBy(
                        () ->
                                RegistryWire.forTopic(ImageFrame.class, client, "other-type")
                                        .decode(framed(id, other, r)))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA))
                .hasMessageContaining("Registry schema id " + id)
                .hasMessageContaining("cannot be read as io.edgestream.schemas.ImageFrame");
    }

    @Test
    void unknownIdIsTypedByTheClientAndDeadLetteredByTheCodec() {
        int unknown = 987_654;
        assertThatThrownBy(() -> client().schemaById(unknown))
                .isInstanceOfSatisfying(
                        UnknownSchemaIdException.class,
                        e -> {
                            assertThat(e.schemaId()).isEqualTo(unknown);
                            assertThat(e.httpStatus()).isEqualTo(404);
                            assertThat(e.errorCode()).isEqualTo(40403);
                        })
                .hasMessageContaining("Schema id 987654 is unknown");
        byte[] value = new byte[] {0, 0, 0x0F, 0x12, 0x06, 2, 4};
        assertThat(RegistryWire.schemaId(value)).isEqualTo(unknown);
        assertThatThrownBy(
                        () ->
                                RegistryWire.forTopic(ImageFrame.class, client(), "unknown-id")
                                        .decode(value))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA))
                .hasMessageContaining("987654");
    }

    @Test
    void unreachableRegistryIsTypedAndNamesTheUrl() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort + "/apis/ccompat/v7";
        SchemaRegistryClient client =
                new SchemaRegistryClient(
                        RegistryConfig.of(url)
                                .withBasicAuth("alice:n0t-printed")
                                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)));

        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOf(RegistryUnreachableException.class)
                .hasMessageContaining(url)
                .hasMessageContaining("unreachable")
                .hasMessageNotContaining("n0t-printed");
        // The codec lets it through: a broken environment is not a bad record.
        byte[] value = new byte[] {0, 0, 0, 0, 1, 2};
        assertThatThrownBy(() -> RegistryWire.forTopic(ImageFrame.class, client, "x").decode(value))
                .isInstanceOf(RegistryUnreachableException.class);
    }

    /** {@code 00}, the id, then {@code record}'s Avro body written with {@code schema}. */
    static byte[] framed(int id, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(RegistryWire.header(id));
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, enc);
        enc.flush();
        return out.toByteArray();
    }
}
