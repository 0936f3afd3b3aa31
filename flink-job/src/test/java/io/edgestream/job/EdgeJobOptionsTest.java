package io.edgestream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.imaging.conv.ColorMode;
import io.edgestream.imaging.conv.Padding;
import io.edgestream.job.functions.InputLimits;
import io.edgestream.job.functions.MapEncoding;
import io.edgestream.job.records.TopicWire;
import io.edgestream.schemas.registry.Compatibility;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
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
        // Every image is convolved where it was decoded (spreading never paid, measured).
        assertThat(o.tilesSpreadMin()).isEqualTo(Integer.MAX_VALUE);
        assertThat(o.processing().staysLocal(1)).isTrue();
        assertThat(o.processing().staysLocal(4096 * 4096)).isTrue();
        EdgeJobOptions three =
                EdgeJobOptions.of(Map.of(EdgeJobOptions.TILES_SPREAD_MIN.key(), "3"));
        assertThat(three.processing().staysLocal(2)).isTrue();
        assertThat(three.processing().staysLocal(3)).isFalse();
    }

    @Test
    void shouldSpreadEveryImageWithSpreadMinOneAndRejectZero() {
        EdgeJobOptions o = EdgeJobOptions.of(Map.of(EdgeJobOptions.TILES_SPREAD_MIN.key(), "1"));
        assertThat(o.processing().staysLocal(1)).isFalse();
        assertThatThrownBy(
                        () -> EdgeJobOptions.of(Map.of(EdgeJobOptions.TILES_SPREAD_MIN.key(), "0")))
                .hasMessageContaining("'tiles.spread.min' must be at least 1");
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
    void shouldReadEveryTopicAsSingleObjectByDefaultAndChooseTheFormatPerTopic() {
        EdgeJobOptions d = EdgeJobOptions.of(Map.of());
        assertThat(d.usesRegistry()).isFalse();
        assertThat(d.registryConfig()).isNull();
        assertThat(List.of(d.imagesWire(), d.mapsWire(), d.statsWire(), d.dlqWire()))
                .noneMatch(TopicWire::isRegistry);

        EdgeJobOptions all =
                EdgeJobOptions.of(
                        Map.of(
                                "wire.format", "registry",
                                "registry.url", "http://127.0.0.1:8081/apis/ccompat/v7/",
                                "wire.format.dlq", "single-object"));
        assertThat(all.imagesWire().isRegistry()).isTrue();
        assertThat(all.mapsWire().isRegistry()).isTrue();
        assertThat(all.statsWire().subject()).isEqualTo("edge-stats-value");
        assertThat(all.dlqWire().isRegistry()).as("per-topic override").isFalse();
        assertThat(all.registryConfig().url()).isEqualTo("http://127.0.0.1:8081/apis/ccompat/v7");

        EdgeJobOptions mapsOnly =
                EdgeJobOptions.of(
                        Map.of("wire.format.maps", "REGISTRY", "registry.url", "http://r:8081"));
        assertThat(mapsOnly.usesRegistry()).isTrue();
        assertThat(mapsOnly.mapsWire().isRegistry()).isTrue();
        assertThat(mapsOnly.imagesWire().isRegistry()).isFalse();
        assertThat(mapsOnly.mapsWire().option()).isEqualTo("wire.format.maps");
    }

    @Test
    void shouldRefuseTheRegistryFormatWithoutRegistryUrlNamingTheOption() {
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("wire.format", "registry")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("option 'registry.url' is not set");
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("wire.format.stats", "registry")))
                .hasMessageContaining("'registry.url'");
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("wire.format", "avro")))
                .hasMessageContaining("option 'wire.format' must be one of");
    }

    @Test
    void shouldNeverPrintRegistryCredentials() {
        String password = "pw-" + System.nanoTime();
        String token = "tok-" + System.nanoTime();
        EdgeJobOptions basic =
                EdgeJobOptions.of(
                        Map.of(
                                "wire.format", "registry",
                                "registry.url", "http://r:8081",
                                "registry.basic.auth", "job:" + password));
        assertThat(basic.describe())
                .doesNotContain(password)
                .contains("registry.basic.auth = ******")
                .contains("registry.url = http://r:8081")
                .contains("wire.format = REGISTRY");
        assertThat(basic.registryConfig().toString()).doesNotContain(password);
        assertThat(basic.statsWire().toString()).doesNotContain(password);
        EdgeJobOptions bearer =
                EdgeJobOptions.of(
                        Map.of(
                                "wire.format.maps", "registry",
                                "registry.url", "http://r:8081",
                                "registry.bearer.token", token));
        assertThat(bearer.describe())
                .doesNotContain(token)
                .contains("registry.bearer.token = ******");
        // Malformed or doubled credentials are refused without repeating them.
        assertThatThrownBy(
                        () ->
                                EdgeJobOptions.of(
                                        Map.of(
                                                "wire.format", "registry",
                                                "registry.url", "http://r:8081",
                                                "registry.basic.auth", password)))
                .hasMessageContaining("option 'registry.basic.auth'")
                .hasMessageNotContaining(password);
        assertThatThrownBy(
                        () ->
                                EdgeJobOptions.of(
                                        Map.of(
                                                "wire.format",
                                                "registry",
                                                "registry.url",
                                                "http://r:8081",
                                                "registry.basic.auth",
                                                "job:" + password,
                                                "registry.bearer.token",
                                                token)))
                .hasMessageContaining("both set")
                .hasMessageNotContaining(password)
                .hasMessageNotContaining(token);
        assertThatThrownBy(
                        () ->
                                EdgeJobOptions.of(
                                        Map.of(
                                                "wire.format",
                                                "registry",
                                                "registry.url",
                                                "http://job:" + password + "@r:8081")))
                .hasMessageContaining("option 'registry.url'")
                .hasMessageNotContaining(password);
    }

    @Test
    void shouldRaiseASubjectRuleToAtLeastBackwardKeepingWhatItPromised() {
        assertThat(RegistrySubjects.atLeastBackward(Compatibility.NONE))
                .isEqualTo(Compatibility.BACKWARD);
        assertThat(RegistrySubjects.atLeastBackward(Compatibility.FORWARD))
                .isEqualTo(Compatibility.FULL);
        assertThat(RegistrySubjects.atLeastBackward(Compatibility.FORWARD_TRANSITIVE))
                .isEqualTo(Compatibility.FULL_TRANSITIVE);
        for (Compatibility kept :
                List.of(
                        Compatibility.BACKWARD,
                        Compatibility.BACKWARD_TRANSITIVE,
                        Compatibility.FULL,
                        Compatibility.FULL_TRANSITIVE)) {
            assertThat(RegistrySubjects.atLeastBackward(kept)).isEqualTo(kept);
        }
    }

    @Test
    void shouldRejectBadOptionsWithClearMessages() {
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("tile.sise", "8")))
                .hasMessageContaining("unknown option 'tile.sise'");
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("padding", "full")))
                .hasMessageContaining("'padding' must be one of [VALID, SAME]");
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("map.encoding", "int8")))
                .hasMessageContaining(
                        "unknown encoding 'int8'; use one of [FLOAT32, FLOAT16, INT16, UINT8,"
                                + " NONE]");
        assertThat(EdgeJobOptions.of(Map.of()).mapEncodings().defaultEncoding())
                .isEqualTo(MapEncoding.FLOAT32);
        assertThat(EdgeJobOptions.of(Map.of("map.encoding", "float16")).mapEncodings().of("sobel"))
                .isEqualTo(MapEncoding.FLOAT16);
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("filters", "sobel|nope")))
                .hasMessageContaining("option 'filters' is invalid")
                .hasMessageContaining("unknown filter 'nope'");
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("stride", "0")))
                .hasMessageContaining("'stride' must be at least 1");
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("tile.size", "0x8")))
                .hasMessageContaining("'tile.size' must be N or WxH");
        // Checked against the effective settings, which may be the cluster's: FlinkSettingsTest.
        assertThatThrownBy(
                        () ->
                                onEmptyCluster(
                                        EdgeJobOptions.of(
                                                Map.of(
                                                        "transaction.timeout.ms", "1000",
                                                        "checkpoint.interval.ms", "5000"))))
                .hasMessageContaining("'transaction.timeout.ms' (1000) is too short")
                .hasMessageContaining("= 245000 ms");
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
                .hasMessageContaining("filter 'k5' is 5x5, larger than 'max.kernel.size' = 3");
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
    void shouldRequireATransactionTimeoutThatOutlivesACheckpointAndARestart() {
        EdgeJobOptions defaults = EdgeJobOptions.of(Map.of());
        // 10 s interval + 120 s checkpoint timeout + 60 s longest restart delay + 60 s recovery.
        assertThat(onEmptyCluster(defaults).minTransactionTimeoutMs()).isEqualTo(250_000);
        assertThat(defaults.transactionTimeoutMs()).isEqualTo(600_000);
        assertThatThrownBy(
                        () ->
                                onEmptyCluster(
                                        EdgeJobOptions.of(
                                                Map.of(
                                                        "checkpoint.timeout.ms", "600000",
                                                        "restart.max.delay.ms", "300000"))))
                .hasMessageContaining(
                        "the checkpoint timeout (600000, option checkpoint.timeout.ms)")
                .hasMessageContaining(
                        "the longest restart delay (300000, from the restart.* options)")
                .hasMessageContaining("= 970000 ms")
                .hasMessageContaining("Raise transaction.timeout.ms");
        // With fixed delays the delay itself is the longest one.
        EdgeJobOptions fixed =
                EdgeJobOptions.of(
                        Map.of(
                                "restart.strategy", "fixed-delay",
                                "restart.delay.ms", "5000",
                                "restart.max.delay.ms", "900000",
                                "transaction.timeout.ms", "195000"));
        assertThat(onEmptyCluster(fixed).minTransactionTimeoutMs()).isEqualTo(195_000);
        assertThatThrownBy(
                        () ->
                                EdgeJobOptions.of(
                                        Map.of(
                                                "restart.delay.ms", "5000",
                                                "restart.max.delay.ms", "1000")))
                .hasMessageContaining("'restart.max.delay.ms' (1000) must be at least");
    }

    private static FlinkSettings onEmptyCluster(EdgeJobOptions o) {
        return FlinkSettings.resolve(o, new Configuration());
    }

    @Test
    void shouldRestartWithGrowingDelaysThatResetAndRetainCheckpoints() {
        EdgeJobOptions o = EdgeJobOptions.of(Map.of("checkpoint.dir", "file:///tmp/chk"));
        Configuration c = EdgeJob.flinkConfiguration(o);
        assertThat(c.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
        assertThat(c.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(c.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(
                        c.get(
                                RestartStrategyOptions
                                        .RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD))
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(c.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
                .isEqualTo(Integer.MAX_VALUE);
        assertThat(c.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT))
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(c.get(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER)).isZero();
        assertThat(c.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        assertThat(c.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///tmp/chk");

        Configuration fixed =
                EdgeJob.flinkConfiguration(
                        EdgeJobOptions.of(
                                Map.of(
                                        "restart.strategy", "FIXED_DELAY",
                                        "restart.attempts", "3",
                                        "restart.delay.ms", "200",
                                        "checkpoint.retention", "delete-on-cancellation")));
        assertThat(fixed.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("fixed-delay");
        assertThat(fixed.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS))
                .isEqualTo(3);
        assertThat(fixed.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                .isEqualTo(ExternalizedCheckpointRetention.DELETE_ON_CANCELLATION);
        assertThat(fixed.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isFalse();
        // 0 attempts: the first failure is final, whatever the strategy (exponential-delay
        // itself refuses fewer than one attempt when the job starts).
        for (String strategy : new String[] {"EXPONENTIAL_DELAY", "FIXED_DELAY"}) {
            Configuration none =
                    EdgeJob.flinkConfiguration(
                            EdgeJobOptions.of(
                                    Map.of("restart.strategy", strategy, "restart.attempts", "0")));
            assertThat(none.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("none");
        }
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("restart.attempts", "-1")))
                .hasMessageContaining("'restart.attempts' must be 'unlimited' or 0 or more");
    }

    @Test
    void shouldRefuseKafkaSettingsThatWouldBreakExactlyOnce() {
        for (String[] bad :
                new String[][] {
                    {"kafka.enable.idempotence", "false", "enable.idempotence=true"},
                    {"kafka.acks", "1", "acks=all"},
                    {"kafka.isolation.level", "read_uncommitted", "read_committed"},
                    {"kafka.enable.auto.commit", "true", "commits its offsets on checkpoints"},
                    {"kafka.transactional.id", "x", "--transactional.id.prefix"},
                    {"kafka.transaction.timeout.ms", "900000", "use --transaction.timeout.ms"},
                    {"kafka.group.id", "g", "use --group.id"},
                    {"kafka.bootstrap.servers", "b:9092", "use --bootstrap.servers"},
                    {"kafka.value.serializer", "x", "(de)serializers"},
                }) {
            assertThatThrownBy(() -> EdgeJobOptions.of(Map.of(bad[0], bad[1])))
                    .as(bad[0])
                    .hasMessageContaining("option '" + bad[0] + "' cannot be passed")
                    .hasMessageContaining(bad[2]);
        }
        // Values that agree with what exactly-once needs are harmless and accepted.
        EdgeJobOptions ok =
                EdgeJobOptions.of(
                        Map.of(
                                "kafka.acks", "-1",
                                "kafka.enable.idempotence", "true",
                                "kafka.isolation.level", "read_committed",
                                "kafka.enable.auto.commit", "false",
                                "kafka.security.protocol", "SASL_SSL"));
        assertThat(ok.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void shouldBoundInputsAndDeadLetters() {
        InputLimits d = EdgeJobOptions.of(Map.of()).inputLimits();
        assertThat(d.maxRecordBytes()).isEqualTo(16 << 20);
        assertThat(d.dlqMaxPayloadBytes()).isEqualTo(16 << 20);
        assertThat(d.maxKeyBytes()).isEqualTo(1024);
        assertThat(d.maxIdBytes()).isEqualTo(512);
        assertThat(d.maxAttributesBytes()).isEqualTo(65536);
        assertThat(d.memoryBudgetBytes()).isEqualTo(InputLimits.AUTO);
        InputLimits set =
                EdgeJobOptions.of(
                                Map.of(
                                        "memory.budget", "256m",
                                        "dlq.max.payload.bytes", "1k",
                                        "max.record.bytes", "1000000"))
                        .inputLimits();
        assertThat(set.memoryBudgetBytes()).isEqualTo(256L << 20);
        assertThat(set.dlqMaxPayloadBytes()).isEqualTo(1024);
        assertThat(set.maxDeadLetterBytes())
                .isEqualTo(1024 + 1024 + 512 + InputLimits.DEAD_LETTER_OVERHEAD_BYTES);
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("memory.budget", "lots")))
                .hasMessageContaining("'memory.budget' must be a size in bytes such as");
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("max.id.bytes", "0")))
                .hasMessageContaining("'max.id.bytes' must be at least 1");
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
        // A dead letter carries the original record up to its cap, so its producer must accept
        // the largest dead letter there can be, and no more is ever sent.
        assertThat(Long.parseLong(dlq.getProperty("max.request.size")))
                .isEqualTo(o.inputLimits().maxDeadLetterBytes())
                .isEqualTo(KafkaConnections.deadLetterMaxRequestSize(o))
                .isGreaterThanOrEqualTo(4_000_000 + 1024 + 512);
        assertThat(o.transactionalIdPrefix()).isEqualTo("cam-job");
    }

    @Test
    void shouldParseEveryFlagFormAndRefuseAValuelessNonBooleanFlag() {
        EdgeJobOptions o =
                EdgeJobOptions.fromArgs(
                        new String[] {
                            "--filters=sobel|laplacian",
                            "--tile.size",
                            "64x32",
                            "--bounded",
                            "--check.broker=false",
                            "--parallelism",
                            "-1",
                            "--kafka.linger.ms=5"
                        });
        assertThat(o.get(EdgeJobOptions.FILTERS)).isEqualTo("sobel|laplacian");
        assertThat(o.processing().tileHeight).isEqualTo(32);
        assertThat(o.bounded()).isTrue();
        assertThat(o.checkBroker()).isFalse();
        assertThat(o.parallelism()).isEqualTo(-1);
        assertThat(o.kafkaProperties()).containsEntry("linger.ms", "5").hasSize(1);
        // A flag alone means true only for a boolean option; elsewhere it is a forgotten value.
        assertThatThrownBy(() -> EdgeJobOptions.fromArgs(new String[] {"--filters", "--bounded"}))
                .hasMessage("option 'filters' needs a value: --filters VALUE");
        assertThatThrownBy(() -> EdgeJobOptions.fromArgs(new String[] {"--config"}))
                .hasMessageContaining("option 'config' needs a value");
    }

    @Test
    void shouldNameTheKnownOptionsWhenOneIsUnknown() {
        assertThatThrownBy(() -> EdgeJobOptions.fromArgs(new String[] {"--tile.sise", "8"}))
                .hasMessageStartingWith("unknown option 'tile.sise'; known options: ")
                .hasMessageContaining("tile.size, tiles.spread.min, topic.dlq")
                .hasMessageContaining("kafka.<client property>")
                .hasMessageNotContaining("kafka.*");
    }

    @Test
    void shouldReadEachValueInItsDeclaredType() {
        EdgeJobOptions o =
                EdgeJobOptions.of(
                        Map.of(
                                "stride", " 2 ",
                                "border.constant", "1.5",
                                "max.pixels", "6000000000",
                                "restart.strategy", "fixed-delay",
                                "bounded", "TRUE"));
        assertThat(o.get(EdgeJobOptions.STRIDE)).isEqualTo(2);
        assertThat(o.get(EdgeJobOptions.BORDER_CONSTANT)).isEqualTo(1.5f);
        assertThat(o.get(EdgeJobOptions.MAX_PIXELS)).isEqualTo(6_000_000_000L);
        assertThat(o.restartStrategy()).isEqualTo(EdgeJobOptions.RestartStrategy.FIXED_DELAY);
        assertThat(o.bounded()).isTrue();
        // Options without a default read as null; their accessors say what that means.
        assertThat(o.get(EdgeJobOptions.CHECKPOINT_DIR)).isNull();
        assertThat(o.checkpointDir()).isNull();
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("stride", "two")))
                .hasMessage("option 'stride' must be an integer, got 'two'");
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("max.key.bytes", "3000000000")))
                .hasMessage(
                        "option 'max.key.bytes' must be an integer of at most 2147483647, got"
                                + " '3000000000'");
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("bounded", "yes")))
                .hasMessage("option 'bounded' must be true or false, got 'yes'");
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("border.constant", "1e40")))
                .hasMessage("option 'border.constant' must be a finite number, got '1e40'");
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("group.id", " ")))
                .hasMessage("option 'group.id' must not be empty");
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("parallelism", "0")))
                .hasMessageContaining("'parallelism' must be -1 (cluster default) or at least 1");
    }

    @Test
    void shouldAcceptEveryDefaultAsItIsDocumented() {
        // The table shows each default as printed here; given back as a value, it must mean the
        // same, so a user can copy it.
        EdgeJobOptions defaults = EdgeJobOptions.of(Map.of());
        for (DeclaredOptions.Declared d : DeclaredOptions.all()) {
            if (d.isPrefix() || !d.option().hasDefaultValue()) {
                continue;
            }
            String shown = d.printable(d.option().defaultValue());
            EdgeJobOptions o = EdgeJobOptions.of(Map.of(d.key(), shown));
            assertThat(o.describe()).as(d.key()).isEqualTo(defaults.describe());
        }
    }

    @Test
    void shouldDescribeEveryOptionWithItsEffectiveValue() {
        String d =
                EdgeJobOptions.of(Map.of("starting.offsets", "earliest", "job.name", "cam"))
                        .describe();
        assertThat(d)
                .startsWith("edge job configuration:\n  bootstrap.servers = localhost:9092\n")
                .contains("\n  starting.offsets = EARLIEST\n")
                .contains("\n  transactional.id.prefix = cam\n")
                .contains("\n  registry.basic.auth = (none)\n")
                .contains("\n  checkpoint.dir = (the cluster's execution.checkpointing.dir)\n")
                .contains("\n  edge.threshold = auto\n")
                .contains("\n  border.constant = 0.0\n");
        for (DeclaredOptions.Declared o : DeclaredOptions.all()) {
            if (!o.isPrefix()) {
                assertThat(d).contains("\n  " + o.key() + " = ");
            }
        }
    }

    @Test
    void shouldReadSizesLikeFlinkAndKeepDeadLettersWithinAnInt() {
        assertThat(EdgeJobOptions.of(Map.of("memory.budget", "512kb")).inputLimits())
                .extracting(InputLimits::memoryBudgetBytes)
                .isEqualTo(512L << 10);
        assertThat(EdgeJobOptions.of(Map.of("memory.budget", "2 g")).inputLimits())
                .extracting(InputLimits::memoryBudgetBytes)
                .isEqualTo(2L << 30);
        assertThat(EdgeJobOptions.of(Map.of("dlq.max.payload.bytes", "0")).inputLimits())
                .extracting(InputLimits::dlqMaxPayloadBytes)
                .isEqualTo(0);
        // 4g does not fit the dead-letter payload's int; it used to wrap around silently.
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("dlq.max.payload.bytes", "4g")))
                .hasMessageContaining("'dlq.max.payload.bytes' must be a size in bytes such as")
                .hasMessageContaining("at most 2147483647 bytes");
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("memory.budget", "-1")))
                .hasMessageContaining("'memory.budget' must be a size in bytes");
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("memory.budget", "0")))
                .hasMessageContaining("'memory.budget' must be 'auto' or a positive size");
    }
}
