package io.edgestream.clients.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.clients.cli.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ConsumeEdgesCommandTest {

    @Test
    void onlyAVerboseReportPrintsTheConsumerSettingsWithSecretsMasked() {
        Properties p = new Properties();
        p.put("isolation.level", "read_committed");
        p.put("sasl.jaas.config", "secret");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        new ConsumeReport(out, false).settings(p);
        new ConsumeReport(out, true).settings(p);
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo(
                        "Kafka consumer settings:\n"
                                + "  isolation.level = read_committed\n"
                                + "  sasl.jaas.config = ******\n");
    }

    @Test
    void theCommandLinesDefaultsAreTheJavaApisDefaults() {
        ConsumeEdges.Options d = new ConsumeEdges.Options();
        ConsumeEdges.Options o = ConsumeEdgesCommand.parse();
        assertThat(o.bootstrap()).isEqualTo(d.bootstrap()).isEqualTo("localhost:9092");
        assertThat(o.mapsTopic).isEqualTo(d.mapsTopic).isEqualTo("edge-maps");
        assertThat(o.statsTopic).isEqualTo(d.statsTopic).isEqualTo("edge-stats");
        assertThat(o.imagesTopic).isEqualTo(d.imagesTopic).isEqualTo("images");
        assertThat(o.dlqTopic).isEqualTo(d.dlqTopic).isEqualTo("images-dlq");
        assertThat(o.out).isEqualTo(d.out).isEqualTo(Path.of("out"));
        assertThat(o.withOriginals).isEqualTo(d.withOriginals).isFalse();
        assertThat(o.dlq).isEqualTo(d.dlq).isFalse();
        assertThat(o.follow).isEqualTo(d.follow).isFalse();
        assertThat(o.images).isEqualTo(d.images).isZero();
        assertThat(o.expectFilters).isEqualTo(d.expectFilters).isZero();
        assertThat(o.timeout).isEqualTo(d.timeout).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.from).isEqualTo(d.from).isEqualTo(ConsumeEdges.From.EARLIEST);
        assertThat(o.allowUncommitted).isEqualTo(d.allowUncommitted).isFalse();
        assertThat(o.thumbnailSize).isEqualTo(d.thumbnailSize).isEqualTo(256);
        assertThat(o.connectTimeout())
                .isEqualTo(d.connectTimeout())
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(o.kafka()).isEqualTo(d.kafka()).isEmpty();
        assertThat(o.progress()).isEqualTo(d.progress()).isEqualTo(Progress.Mode.AUTO);
        assertThat(o.verbose()).isEqualTo(d.verbose()).isFalse();
    }

    @Test
    void parsesEveryOption() {
        ConsumeEdges.Options o =
                ConsumeEdgesCommand.parse(
                        "--bootstrap=k:1",
                        "--out",
                        "results",
                        "--maps-topic",
                        "m",
                        "--stats-topic",
                        "s",
                        "--with-originals",
                        "--images-topic",
                        "i",
                        "--thumbnail-size",
                        "64",
                        "--dlq",
                        "--dlq-topic",
                        "d",
                        "--images",
                        "3",
                        "--expect-filters",
                        "2",
                        "--timeout",
                        "90s",
                        "--from",
                        "LATEST",
                        "--connect-timeout",
                        "500ms",
                        "--kafka",
                        "client.rack=r1",
                        "--progress",
                        "lines",
                        "--verbose");
        assertThat(o.bootstrap()).isEqualTo("k:1");
        assertThat(o.out).isEqualTo(Path.of("results"));
        assertThat(o.mapsTopic + o.statsTopic + o.imagesTopic + o.dlqTopic).isEqualTo("msid");
        assertThat(o.withOriginals).isTrue();
        assertThat(o.dlq).isTrue();
        assertThat(o.thumbnailSize).isEqualTo(64);
        assertThat(o.images).isEqualTo(3);
        assertThat(o.expectFilters).isEqualTo(2);
        assertThat(o.timeout).isEqualTo(Duration.ofSeconds(90));
        assertThat(o.from).isEqualTo(ConsumeEdges.From.LATEST);
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.kafka()).containsExactly(Map.entry("client.rack", "r1"));
        assertThat(o.progress()).isEqualTo(Progress.Mode.LINES);
        assertThat(o.verbose()).isTrue();
        assertThat(ConsumeEdgesCommand.parse("--follow").follow).isTrue();
    }

    @Test
    void refusesOptionsThatDoNotGoTogether() {
        assertThatThrownBy(() -> ConsumeEdgesCommand.parse("--follow", "--timeout", "5s"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage(
                        "--follow runs until interrupted; do not combine it with --images or"
                                + " --timeout");
        assertThatThrownBy(() -> ConsumeEdgesCommand.parse("--images", "0"))
                .hasMessage("--images must be at least 1, got 0");
        assertThatThrownBy(() -> ConsumeEdgesCommand.parse("--thumbnail-size", "8"))
                .hasMessage("--thumbnail-size must be at least 16, got 8");
        assertThatThrownBy(
                        () ->
                                ConsumeEdgesCommand.parse(
                                        "--kafka", "isolation.level=read_uncommitted"))
                .hasMessageContaining("add --allow-uncommitted if that is really wanted");
    }
}
