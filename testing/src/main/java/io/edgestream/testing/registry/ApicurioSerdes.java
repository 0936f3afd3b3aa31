package io.edgestream.testing.registry;

import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import io.apicurio.registry.serde.Default4ByteIdHandler;
import io.apicurio.registry.serde.config.SerdeConfig;
import io.apicurio.registry.serde.kafka.config.KafkaSerdeConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * Settings for Apicurio's Kafka Avro serde (a third-party producer and reader of the registry
 * framing) against an {@link ApicurioRegistry}, shared by the registry interop ITs. The serde
 * library is an optional dependency of this module: a user adds {@code
 * apicurio-registry-avro-serde-kafka} in test scope itself.
 */
public final class ApicurioSerdes {
    private ApicurioSerdes() {}

    /**
     * The serde configured for the Confluent framing: it talks to the registry's own v3 API and
     * auto-registers (TopicNameStrategy), and writes magic 0 and a 4-byte content id in the value
     * (what Apicurio's ccompat API calls a schema id), no Kafka headers. A new mutable map per
     * call.
     */
    public static Map<String, Object> confluentFraming(ApicurioRegistry registry) {
        Map<String, Object> c = new HashMap<>();
        c.put(SchemaResolverConfig.REGISTRY_URL, registry.baseUrl() + "/apis/registry/v3");
        c.put(SchemaResolverConfig.AUTO_REGISTER_ARTIFACT, "true");
        // Confluent framing: magic 0 and a 4-byte content id in the value, no headers.
        c.put(KafkaSerdeConfig.ENABLE_HEADERS, "false");
        c.put(SerdeConfig.ID_HANDLER, Default4ByteIdHandler.class.getName());
        c.put(SerdeConfig.USE_ID, "contentId");
        return c;
    }
}
