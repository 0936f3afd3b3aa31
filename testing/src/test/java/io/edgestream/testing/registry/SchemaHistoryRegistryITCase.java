package io.edgestream.testing.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.schemas.DeadLetter;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.registry.Compatibility;
import io.edgestream.schemas.registry.RegistryConfig;
import io.edgestream.schemas.registry.SchemaRegistryClient;
import io.edgestream.schemas.wire.SchemaHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The schema history ({@code schemas/.../history/}) checked by the registry itself, the way our
 * subjects are run: every released version of each record, registered in order under a subject
 * whose rule is BACKWARD (the rule the job gives {@code <topic>-value}), is accepted, each version
 * gets a new id, and the schema the job registers (the generated class's) is accepted after them.
 * {@code SchemaHistoryTest} checks the same history with Avro's own compatibility rules; this
 * proves the registry agrees, so a release that passes that test never fails the job's start-up
 * against a registry.
 */
class SchemaHistoryRegistryITCase {
    @RegisterExtension
    static final ApicurioRegistryExtension REGISTRY = new ApicurioRegistryExtension();

    @ParameterizedTest
    @ValueSource(strings = {"ImageFrame", "FeatureMapTile", "EdgeStats", "DeadLetter"})
    void everyHistoricalVersionIsAcceptedInOrderUnderBackward(String record) {
        SchemaRegistryClient registry =
                new SchemaRegistryClient(RegistryConfig.of(REGISTRY.ccompatUrl()));
        String subject = "history-" + record + "-" + UUID.randomUUID() + "-value";
        registry.setCompatibility(subject, Compatibility.BACKWARD);
        assertThat(registry.compatibility(subject)).isEqualTo(Compatibility.BACKWARD);

        List<Schema> versions = SchemaHistory.versions(record);
        assertThat(versions).as("history of " + record).isNotEmpty();
        List<Integer> ids = new ArrayList<>();
        for (int v = 0; v < versions.size(); v++) {
            Schema schema = versions.get(v);
            assertThat(registry.isCompatible(subject, schema))
                    .as("%s version %d is BACKWARD compatible with version %d", record, v + 1, v)
                    .isTrue();
            // register() throws IncompatibleSchemaException if the registry refuses it.
            ids.add(registry.register(subject, schema));
        }
        assertThat(ids).as("one new id per version").doesNotHaveDuplicates();
        // The job registers the generated class's schema, which carries Java-only properties
        // (avro.java.string) the history files lack: the same canonical form, accepted after them.
        Schema current = current(record);
        assertThat(SchemaNormalization.toParsingForm(current))
                .isEqualTo(SchemaNormalization.toParsingForm(versions.get(versions.size() - 1)));
        assertThat(registry.isCompatible(subject, current)).isTrue();
        registry.register(subject, current);
    }

    private static Schema current(String record) {
        return switch (record) {
            case "ImageFrame" -> ImageFrame.getClassSchema();
            case "FeatureMapTile" -> FeatureMapTile.getClassSchema();
            case "EdgeStats" -> EdgeStats.getClassSchema();
            case "DeadLetter" -> DeadLetter.getClassSchema();
            default -> throw new IllegalArgumentException(record);
        };
    }
}
