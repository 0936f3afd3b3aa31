package io.edgestream.clients.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.TypeConversionException;

class UnitsTest {

    @Test
    void parsesDurationsAsPeopleWriteThem() {
        assertThat(Units.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Units.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Units.parseDuration("1.5m")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Units.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Units.parseDuration("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(Units.parseDuration("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> Units.parseDuration("soon"))
                .hasMessage("'soon' is not a duration; write e.g. 30s, 500ms, 5m, 1h or PT30S");
        assertThatThrownBy(() -> Units.parseDuration("-3s")).hasMessageContaining("not a duration");
        assertThat(new Converters.DurationConverter().convert("10s"))
                .isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> new Converters.DurationConverter().convert("x"))
                .isInstanceOf(TypeConversionException.class);
    }

    @Test
    void parsesByteSizesInPowersOf1024() {
        assertThat(Units.parseBytes("32MiB")).isEqualTo(32L << 20);
        assertThat(Units.parseBytes("512k")).isEqualTo(512L << 10);
        assertThat(Units.parseBytes("512KiB")).isEqualTo(512L << 10);
        assertThat(Units.parseBytes("1g")).isEqualTo(1L << 30);
        assertThat(Units.parseBytes("1048576")).isEqualTo(1048576L);
        assertThatThrownBy(() -> Units.parseBytes("lots"))
                .hasMessage("'lots' is not a size; write e.g. 32MiB, 512KiB or 1048576 (bytes)");
        assertThatThrownBy(() -> Units.parseBytes("99999999999g"))
                .hasMessageContaining("not a size");
        assertThat(new Converters.ByteSizeConverter().convert("32MiB")).isEqualTo(32L << 20);
    }

    @Test
    void enumsAreWrittenInLowerCaseWithDashes() {
        Converters.ProgressModeConverter c = new Converters.ProgressModeConverter();
        assertThat(c.convert("lines")).isEqualTo(Progress.Mode.LINES);
        assertThat(c.convert("BAR")).isEqualTo(Progress.Mode.BAR);
        assertThatThrownBy(() -> c.convert("fancy"))
                .hasMessage("'fancy' is not one of auto, bar, lines, none");
        assertThat(Converters.names(io.edgestream.imaging.conv.BorderMode.class))
                .contains("reflect-101");
    }

    @Test
    void kafkaSettingsComeFromFileThenPairsAndSecretsAreMasked(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("client.properties");
        Files.writeString(f, "security.protocol=SASL_SSL\nsasl.jaas.config=secret stuff\nacks=1\n");
        Map<String, String> m =
                KafkaSettings.parse(
                        f.toString(), List.of("acks=all", "ssl.truststore.password=hunter2"));
        assertThat(m)
                .containsExactly(
                        Map.entry("acks", "all"),
                        Map.entry("sasl.jaas.config", "secret stuff"),
                        Map.entry("security.protocol", "SASL_SSL"),
                        Map.entry("ssl.truststore.password", "hunter2"));
        assertThat(KafkaSettings.printable("sasl.jaas.config", "x")).isEqualTo("******");
        assertThat(KafkaSettings.printable("ssl.key.password", "k")).isEqualTo("******");
        assertThat(KafkaSettings.printable("bootstrap.servers", "h:1")).isEqualTo("h:1");
        Properties p = new Properties();
        p.putAll(m);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        KafkaSettings.print("settings:", p, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo(
                        "settings:\n"
                                + "  acks = all\n"
                                + "  sasl.jaas.config = ******\n"
                                + "  security.protocol = SASL_SSL\n"
                                + "  ssl.truststore.password = ******\n");
        assertThatThrownBy(() -> KafkaSettings.parse(null, List.of("novalue")))
                .hasMessage("--kafka needs key=value (a Kafka client setting), got 'novalue'");
    }
}
