package io.edgestream.testing.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.registry.RegistryConfig;
import io.edgestream.schemas.registry.RegistryWire;
import io.edgestream.schemas.registry.SchemaRegistryClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Interoperability with a third-party registry serde: Apicurio's Kafka Avro serializer (its own v3
 * API, auto-registering under TopicNameStrategy) writes values our {@link RegistryWire} decodes
 * through the Confluent-compatible API, and its deserializer reads what we write. The serde is
 * configured for the Confluent framing: the id in the payload (no Kafka headers), 4 bytes, the
 * content id (which is what Apicurio's ccompat API calls a schema id).
 */
class RegistryInteropITCase {
    @RegisterExtension
    static final ApicurioRegistryExtension REGISTRY = new ApicurioRegistryExtension();

    private static RegistryWire<ImageFrame> ourWire(String topic) {
        return RegistryWire.forTopic(
                ImageFrame.class,
                new SchemaRegistryClient(RegistryConfig.of(REGISTRY.ccompatUrl())),
                topic);
    }

    @Test
    void apicurioSerializerWritesWhatWeDecode() throws Exception {
        ImageFrame frame = SchemaRegistryITCase.frame("img-from-apicurio");
        byte[] value;
        try (AvroKafkaSerializer<ImageFrame> serializer = new AvroKafkaSerializer<>()) {
            serializer.configure(ApicurioSerdes.confluentFraming(REGISTRY.registry()), false);
            value = serializer.serialize("interop-in", frame);
        }

        assertThat(value[0]).isZero();
        ImageFrame decoded = ourWire("interop-in").decode(value);

        assertThat(decoded).isEqualTo(frame);
        // Apicurio's serializer registers the nested named types (the enums) as schema
        // references, so this also proves the client resolves references.
        assertThat(rawSchemaById(RegistryWire.schemaId(value)))
                .contains("\"references\"")
                .contains("io.edgestream.schemas.PixelFormat");
        // The serializer registered under the subject our TopicNameStrategy names.
        assertThat(RegistryWire.schemaId(value)).isEqualTo(ourWire("interop-in").writerId());
    }

    private static String rawSchemaById(int id) throws Exception {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        REGISTRY.ccompatUrl()
                                                                + "/schemas/ids/"
                                                                + id))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Test
    void apicurioDeserializerReadsWhatWeEncode() {
        ImageFrame frame = SchemaRegistryITCase.frame("img-to-apicurio");
        byte[] value = ourWire("interop-out").encode(frame);

        GenericRecord read;
        try (AvroKafkaDeserializer<GenericRecord> deserializer = new AvroKafkaDeserializer<>()) {
            deserializer.configure(ApicurioSerdes.confluentFraming(REGISTRY.registry()), false);
            read = deserializer.deserialize("interop-out", value);
        }

        assertThat(read.getSchema()).isEqualTo(ImageFrame.getClassSchema());
        assertThat(read.get("imageId").toString()).isEqualTo("img-to-apicurio");
        assertThat(read.get("sequence")).isEqualTo(42L);
        assertThat(read.get("data")).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, -6}));
    }
}
