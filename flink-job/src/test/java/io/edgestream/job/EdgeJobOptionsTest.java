package io.edgestream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.imaging.conv.ColorMode;
import io.edgestream.imaging.conv.Padding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdgeJobOptionsTest {

    @Test
    void shouldUseDocumentedDefaults() {
        EdgeJobOptions o = EdgeJobOptions.fromArgs(new String[0]);
        assertThat(o.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(o.imagesTopic()).isEqualTo("images");
        assertThat(o.mapsTopic()).isEqualTo("edge-maps");
        assertThat(o.statsTopic()).isEqualTo("edge-stats");
        assertThat(o.dlqTopic()).isEqualTo("images-dlq");
        assertThat(o.transactionTimeoutMs()).isEqualTo(600_000);
        assertThat(o.transactionalIdPrefix()).isEqualTo("edgestream-edge-job");
        assertThat(o.startingOffsets()).isEqualTo(EdgeJobOptions.StartingOffsets.COMMITTED);
        assertThat(o.bounded()).isFalse();
        assertThat(o.processing().padding).isEqualTo(Padding.VALID);
        assertThat(o.processing().tileWidth).isEqualTo(256);
        assertThat(o.processing().edgeThreshold).isNull();
        assertThat(o.processing().filterCount()).isEqualTo(3);
    }

    @Test
    void shouldLetFlagsOverrideTheConfigFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.properties");
        Files.writeString(
                file,
                "bootstrap.servers=file:9092\n"
                        + "topic.images=from-file\n"
                        + "tile.size=64x32\n"
                        + "kafka.security.protocol=SASL_SSL\n");
        EdgeJobOptions o =
                EdgeJobOptions.fromArgs(
                        new String[] {
                            "--config",
                            file.toString(),
                            "--bootstrap.servers",
                            "flag:9092",
                            "--color.mode",
                            "grey",
                            "--bounded"
                        });
        assertThat(o.bootstrapServers()).isEqualTo("flag:9092");
        assertThat(o.imagesTopic()).isEqualTo("from-file");
        assertThat(o.processing().tileWidth).isEqualTo(64);
        assertThat(o.processing().tileHeight).isEqualTo(32);
        assertThat(o.processing().colorMode).isEqualTo(ColorMode.GREY);
        assertThat(o.bounded()).isTrue();
        Properties kafka = o.kafkaProperties();
        assertThat(kafka).containsEntry("security.protocol", "SASL_SSL").hasSize(1);
    }

    @Test
    void shouldMaskSecretsWhenDescribingTheConfiguration() {
        EdgeJobOptions o =
                EdgeJobOptions.of(
                        Map.of(
                                "kafka.sasl.jaas.config", "PlainLoginModule password=\"hunter2\"",
                                "kafka.ssl.key.password", "s3cret",
                                "kafka.ssl.truststore.password", "tspass",
                                "kafka.sasl.oauthbearer.token.endpoint.url", "https://idp",
                                "kafka.security.protocol", "SASL_SSL"));
        String d = o.describe();
        assertThat(d).doesNotContain("hunter2", "s3cret", "tspass");
        assertThat(d).contains("kafka.sasl.jaas.config = ******");
        assertThat(d).contains("kafka.security.protocol = SASL_SSL");
        assertThat(d).contains("topic.images = images");
        assertThat(EdgeJobOptions.isSecret("kafka.key.serializer")).isFalse();
        assertThat(EdgeJobOptions.isSecret("kafka.ssl.keystore.key")).isTrue();
        // The pass-through itself is untouched.
        assertThat(o.kafkaProperties()).containsEntry("ssl.key.password", "s3cret");
    }

    @Test
    void shouldRejectBadOptionsWithClearMessages() {
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("tile.sise", "8")))
                .hasMessageContaining("unknown option 'tile.sise'");
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("padding", "full")))
                .hasMessageContaining("'padding' must be one of [VALID, SAME]");
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("map.encoding", "int8")))
                .hasMessageContaining("'map.encoding' must be one of [FLOAT32, FLOAT16]");
        assertThat(EdgeJobOptions.of(Map.of()).mapEncoding())
                .isEqualTo(EdgeJobOptions.MapEncoding.FLOAT32);
        assertThat(EdgeJobOptions.of(Map.of("map.encoding", "float16")).mapEncoding().dataType())
                .isEqualTo(io.edgestream.schemas.MapDataType.FLOAT16_LE);
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("filters", "sobel|nope")))
                .hasMessageContaining("option 'filters' is invalid")
                .hasMessageContaining("unknown filter 'nope'");
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("stride", "0")))
                .hasMessageContaining("'stride' must be at least 1");
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("tile.size", "0x8")))
                .hasMessageContaining("'tile.size' must be N or WxH");
        assertThatThrownBy(
                        () ->
                                EdgeJobOptions.of(
                                        Map.of(
                                                "transaction.timeout.ms", "1000",
                                                "checkpoint.interval.ms", "5000")))
                .hasMessageContaining("must be larger than 'checkpoint.interval.ms'");
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("topic.maps", "images")))
                .hasMessageContaining("the four topics must differ");
        assertThatThrownBy(
                        () ->
                                EdgeJobOptions.of(
                                        Map.of(
                                                "max.kernel.size",
                                                "3",
                                                "filters",
                                                "k5=1,1,1,1,1;1,1,1,1,1;1,1,1,1,1;1,1,1,1,1;1,1,1,1,1")))
                .hasMessageContaining("larger than 'max.kernel.size' = 3");
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("max.filters", "1")))
                .hasMessageContaining("more than 'max.filters' = 1");
        assertThatThrownBy(() -> EdgeJobOptions.fromArgs(new String[] {"stray"}))
                .hasMessageContaining("unexpected argument 'stray'");
        assertThatThrownBy(
                        () ->
                                EdgeJobOptions.fromArgs(
                                        new String[] {"--config", "/does/not/exist.properties"}))
                .hasMessageContaining("cannot read the configuration file");
    }

    @Test
    void shouldRejectTilesThatCannotFitOneKafkaRecord() {
        assertThatThrownBy(
                        () ->
                                EdgeJobOptions.of(
                                        Map.of("tile.size", "512", "color.mode", "per_channel")))
                .hasMessageContaining("too large for the producers' max.request.size")
                .hasMessageContaining("lower --tile.size");
        EdgeJobOptions ok =
                EdgeJobOptions.of(
                        Map.of(
                                "tile.size", "512",
                                "color.mode", "per_channel",
                                "kafka.max.request.size", "8388608"));
        assertThat(ok.processing().tileWidth).isEqualTo(512);
    }

    @Test
    void shouldGiveEachSinkItsOwnTransactionalIdAndTimeout() {
        EdgeJobOptions o =
                EdgeJobOptions.of(
                        Map.of(
                                "transactional.id.prefix",
                                "cam-job",
                                "max.record.bytes",
                                "4000000"));
        Properties dlq = KafkaConnections.producerProperties(o, KafkaConnections.DLQ_SINK);
        assertThat(dlq).containsEntry("transaction.timeout.ms", "600000");
        // A dead letter carries the original record, so its producer must accept that size.
        assertThat(Long.parseLong(dlq.getProperty("max.request.size")))
                .isGreaterThanOrEqualTo(4_000_000);
        assertThat(o.transactionalIdPrefix()).isEqualTo("cam-job");
    }
}
