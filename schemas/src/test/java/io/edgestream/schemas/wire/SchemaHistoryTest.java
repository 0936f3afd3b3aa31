package io.edgestream.schemas.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.schemas.DeadLetter;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.ImageFrame;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SchemaHistoryTest {

    static List<Schema> currentSchemas() {
        return List.of(
                ImageFrame.getClassSchema(),
                FeatureMapTile.getClassSchema(),
                EdgeStats.getClassSchema(),
                DeadLetter.getClassSchema());
    }

    @ParameterizedTest
    @MethodSource("currentSchemas")
    void newestHistoryFileIsExactlyTheCurrentSchema(Schema current) {
        List<Schema> history = SchemaHistory.versions(current.getName());
        assertThat(history)
                .as(
                        "history of %s: copy src/main/avro/%s.avsc to %s after every change",
                        current.getName(),
                        current.getName(),
                        SchemaHistory.resourceName(current.getName(), history.size() + 1))
                .isNotEmpty();
        // toString() includes docs and defaults: defaults decide what old records read as.
        assertThat(withoutJavaProps(history.get(history.size() - 1)))
                .as(
                        "src/main/avro/%s.avsc changed but was not recorded as a new version in"
                                + " %s",
                        current.getName(), SchemaHistory.RESOURCE_FOLDER)
                .isEqualTo(withoutJavaProps(current));
    }

    /**
     * The schema's JSON without the {@code avro.java.string} properties that the code generator
     * adds for stringType=String; they only steer Java code generation.
     */
    static String withoutJavaProps(Schema schema) {
        return schema.toString()
                .replace("{\"type\":\"string\",\"avro.java.string\":\"String\"}", "\"string\"")
                .replace(",\"avro.java.string\":\"String\"", "");
    }

    @ParameterizedTest
    @MethodSource("currentSchemas")
    void everyVersionIsFullyCompatibleWithTheCurrentOne(Schema current) {
        for (Schema old : SchemaHistory.versions(current.getName())) {
            // Current readers read old records (backward) ...
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, old).getType())
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
            // ... and consumers still on an old version read current records (forward), except
            // for enum symbols added on purpose: an old reader fails loudly on a record that
            // carries one (it could not interpret it) and reads all other records.
            SchemaCompatibility.SchemaPairCompatibility forward =
                    SchemaCompatibility.checkReaderWriterCompatibility(old, current);
            if (forward.getType() != SchemaCompatibilityType.COMPATIBLE) {
                assertThat(forward.getResult().getIncompatibilities())
                        .as("forward incompatibilities of %s", current.getName())
                        .allSatisfy(
                                i -> {
                                    assertThat(i.getType())
                                            .isEqualTo(
                                                    SchemaCompatibility.SchemaIncompatibilityType
                                                            .MISSING_ENUM_SYMBOLS);
                                    List<String> added =
                                            ADDED_ENUM_SYMBOLS.get(
                                                    current.getName() + " " + i.getLocation());
                                    assertThat(added)
                                            .as("added enum symbols at %s", i.getLocation())
                                            .isNotNull();
                                    assertThat(missingSymbols(i.getMessage()))
                                            .as(
                                                    "symbols an old reader misses at %s",
                                                    i.getLocation())
                                            .isNotEmpty()
                                            .isSubsetOf(added);
                                });
            }
        }
    }

    /**
     * Enum symbols added after version 1, by record and location: the only forward
     * incompatibilities allowed. An old reader fails loudly on a record carrying one of them.
     */
    private static final java.util.Map<String, List<String>> ADDED_ENUM_SYMBOLS =
            java.util.Map.of(
                    "FeatureMapTile /fields/12/type/symbols",
                    List.of("FLOAT16_LE", "INT16_LE", "UINT8"));

    /** The symbols in the checker's message {@code [A, B]}. */
    private static List<String> missingSymbols(String message) {
        String inner = message.replaceAll("^\\[|\\]$", "").trim();
        return inner.isEmpty() ? List.of() : List.of(inner.split(",\\s*"));
    }

    @org.junit.jupiter.api.Test
    void featureMapDataTypesHaveNoEnumDefault() {
        // A default would let an old reader take an unknown type for a known one and misread the
        // bytes: it must fail instead.
        Schema dataType = FeatureMapTile.getClassSchema().getField("dataType").schema();
        assertThat(dataType.getEnumDefault()).isNull();
        assertThat(dataType.getEnumSymbols())
                .containsExactly("FLOAT32_LE", "FLOAT16_LE", "INT16_LE", "UINT8");
    }

    @ParameterizedTest
    @MethodSource("currentSchemas")
    void versionsHaveDistinctFingerprintsAndTheSameName(Schema current) {
        List<Schema> history = SchemaHistory.versions(current.getName());
        Set<Long> fingerprints =
                history.stream().map(AvroWire::fingerprint).collect(Collectors.toSet());
        assertThat(fingerprints).hasSameSizeAs(history);
        assertThat(history)
                .allSatisfy(s -> assertThat(s.getFullName()).isEqualTo(current.getFullName()));
    }

    @ParameterizedTest
    @MethodSource("currentSchemas")
    void everyFieldIsDocumented(Schema current) {
        assertDocumented(current);
    }

    private static void assertDocumented(Schema schema) {
        switch (schema.getType()) {
            case RECORD -> {
                assertThat(schema.getDoc()).as("doc of %s", schema.getFullName()).isNotBlank();
                for (Schema.Field field : schema.getFields()) {
                    assertThat(field.doc())
                            .as("doc of %s.%s", schema.getName(), field.name())
                            .isNotBlank();
                    assertDocumented(field.schema());
                }
            }
            case ENUM ->
                    assertThat(schema.getDoc()).as("doc of %s", schema.getFullName()).isNotBlank();
            case UNION -> schema.getTypes().forEach(SchemaHistoryTest::assertDocumented);
            case ARRAY -> assertDocumented(schema.getElementType());
            case MAP -> assertDocumented(schema.getValueType());
            default -> {}
        }
    }

    @org.junit.jupiter.api.Test
    void everyDeadLetterReasonIsDocumented() {
        String doc = io.edgestream.schemas.DeadLetterReason.getClassSchema().getDoc();
        for (String symbol :
                io.edgestream.schemas.DeadLetterReason.getClassSchema().getEnumSymbols()) {
            assertThat(doc).contains(symbol + ":");
        }
    }
}
