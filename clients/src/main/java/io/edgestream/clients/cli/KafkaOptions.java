package io.edgestream.clients.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options the Kafka tools ({@code produce-images}, {@code consume-edges}) share, mixed into
 * both commands so that their names, defaults and help stay the same: {@code --connect-timeout},
 * {@code --kafka}, {@code --kafka-config} and {@code --progress}.
 */
public final class KafkaOptions {

    @Option(
            names = "--connect-timeout",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = Converters.DurationConverter.class,
            description =
                    "how long to wait for the broker before giving up (default: ${DEFAULT-VALUE})")
    Duration connectTimeout;

    @Option(
            names = "--kafka",
            paramLabel = "KEY=VALUE",
            description =
                    "Kafka client setting, applied last (repeatable), e.g."
                            + " security.protocol=SSL")
    List<String> kafka = new ArrayList<>();

    @Option(
            names = "--kafka-config",
            paramLabel = "FILE",
            description =
                    "Kafka client settings from a properties file, applied before --kafka"
                            + " (default: none)")
    String kafkaConfig;

    @Option(
            names = "--progress",
            paramLabel = "auto|bar|lines|none",
            defaultValue = "auto",
            converter = Converters.ProgressModeConverter.class,
            description =
                    "progress display: a bar on a terminal, else a line every 5 s (default: ${DEFAULT-VALUE})")
    Progress.Mode progress;

    /**
     * Sets {@code o}'s connect timeout, Kafka client settings ({@code --kafka-config FILE}, then
     * each {@code --kafka}) and progress display from these options.
     *
     * @throws UsageException if the settings file cannot be read or a {@code --kafka} has no '='
     */
    public void applyTo(KafkaClientOptions<?> o) throws UsageException {
        o.connectTimeout(connectTimeout);
        o.kafka(KafkaSettings.parse(kafkaConfig, kafka));
        o.progress(progress);
    }
}
