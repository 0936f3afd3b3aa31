package io.edgestream.clients.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.clients.consume.ConsumeEdges;
import io.edgestream.clients.convolve.ConvolveFile;
import io.edgestream.clients.produce.ProduceImages;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlagsTest {

    private static Flags flags() {
        return new Flags("t [options] ARG...", "A test tool.")
                .value("topic", "NAME", "images", "topic")
                .value("count", "N", "10", "count")
                .flag("raw", "raw")
                .multi("kafka", "K=V", "setting");
    }

    @Test
    void acceptsSpaceAndEqualsFormsSwitchesRepeatsAndPositionals() throws Exception {
        Flags.Parsed p =
                flags().parse(
                                "--topic",
                                "x",
                                "a",
                                "--count=3",
                                "--raw",
                                "-",
                                "--kafka",
                                "a=1",
                                "--kafka=b=2",
                                "--",
                                "--not-an-option");
        assertThat(p.get("topic")).isEqualTo("x");
        assertThat(p.getInt("count", 0)).isEqualTo(3);
        assertThat(p.has("raw")).isTrue();
        assertThat(p.all("kafka")).containsExactly("a=1", "b=2");
        assertThat(p.positional()).containsExactly("a", "-", "--not-an-option");
    }

    @Test
    void appliesDefaultsButHasSaysWhatWasGiven() throws Exception {
        Flags.Parsed p = flags().parse();
        assertThat(p.get("topic")).isEqualTo("images");
        assertThat(p.has("topic")).isFalse();
        assertThat(p.has("raw")).isFalse();
        assertThat(p.all("kafka")).isEmpty();
        assertThat(p.help()).isFalse();
        assertThat(flags().parse("-h").help()).isTrue();
    }

    @Test
    void rejectsUnknownMissingRepeatedAndMalformedValuesWithAHint() {
        assertThatThrownBy(() -> flags().parse("--topik", "x"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("unknown option --topik")
                .hasMessageContaining("did you mean --topic?");
        assertThatThrownBy(() -> flags().parse("--topic"))
                .hasMessageContaining("needs a value NAME");
        assertThatThrownBy(() -> flags().parse("--topic", "a", "--topic", "b"))
                .hasMessageContaining("given twice");
        assertThatThrownBy(() -> flags().parse("--raw=yes")).hasMessageContaining("takes no value");
        assertThatThrownBy(() -> flags().parse("--count", "many").getInt("count", 0))
                .hasMessageContaining("whole number");
        assertThatThrownBy(() -> flags().parse("--count", "-1").getInt("count", 0))
                .hasMessageContaining("at least 0");
        assertThatThrownBy(() -> flags().parse("-x")).hasMessageContaining("unknown option '-x'");
    }

    @Test
    void parsesDurationsAndSizes() {
        assertThat(Flags.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Flags.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Flags.parseDuration("1.5m")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Flags.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Flags.parseDuration("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(Flags.parseDuration("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> Flags.parseDuration("soon"))
                .hasMessageContaining("not a duration");
        assertThat(Flags.parseBytes("32MiB")).isEqualTo(32L << 20);
        assertThat(Flags.parseBytes("512k")).isEqualTo(512L << 10);
        assertThat(Flags.parseBytes("1g")).isEqualTo(1L << 30);
        assertThat(Flags.parseBytes("1048576")).isEqualTo(1048576L);
        assertThatThrownBy(() -> Flags.parseBytes("lots")).hasMessageContaining("not a size");
    }

    @Test
    void everyToolsHelpListsEveryOptionWithItsDefault() {
        for (Flags f : List.of(ProduceImages.flags(), ConsumeEdges.flags(), ConvolveFile.flags())) {
            String help = f.help();
            for (Flags.Option o : f.options()) {
                assertThat(help).contains("--" + o.name());
                if (o.defaultValue() != null) {
                    assertThat(help).contains("(default: " + o.defaultValue() + ")");
                }
            }
            assertThat(help).contains("Exit codes:");
        }
    }

    @Test
    void kafkaSettingsComeFromFileThenPairsAndSecretsAreMasked(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path f = dir.resolve("client.properties");
        java.nio.file.Files.writeString(
                f, "security.protocol=SASL_SSL\nsasl.jaas.config=secret stuff\nacks=1\n");
        var m =
                KafkaSettings.parse(
                        f.toString(), List.of("acks=all", "ssl.truststore.password=hunter2"));
        assertThat(m).containsEntry("acks", "all").containsEntry("security.protocol", "SASL_SSL");
        assertThat(KafkaSettings.printable("sasl.jaas.config", "x")).isEqualTo("******");
        assertThat(KafkaSettings.printable("ssl.truststore.password", "hunter2"))
                .isEqualTo("******");
        assertThat(KafkaSettings.printable("ssl.key.password", "k")).isEqualTo("******");
        assertThat(KafkaSettings.printable("bootstrap.servers", "h:1")).isEqualTo("h:1");
        java.util.Properties p = new java.util.Properties();
        p.putAll(m);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        KafkaSettings.print(
                "settings:",
                p,
                new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("acks = all")
                .doesNotContain("hunter2")
                .doesNotContain("secret stuff");
        assertThatThrownBy(() -> KafkaSettings.parse(null, List.of("novalue")))
                .hasMessageContaining("key=value");
    }
}
