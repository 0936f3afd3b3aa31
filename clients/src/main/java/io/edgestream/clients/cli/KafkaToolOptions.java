package io.edgestream.clients.cli;

import java.util.Map;

/**
 * The options the Kafka tools ({@code produce-images}, {@code consume-edges}) share: {@code
 * --connect-timeout}, {@code --kafka}, {@code --kafka-config} and {@code --progress}, declared and
 * read in one place so their names, defaults and help text stay the same in every tool.
 */
public final class KafkaToolOptions {

    private KafkaToolOptions() {}

    /**
     * Declares the shared options on {@code flags}, in help order.
     *
     * @param client the Kafka client the settings go to, {@code "producer"} or {@code "consumer"}
     * @return {@code flags}, for chaining
     */
    public static Flags declare(Flags flags, String client) {
        return flags.value(
                        "connect-timeout",
                        "DURATION",
                        "10s",
                        "how long to wait for the broker before giving up")
                .multi(
                        "kafka",
                        "KEY=VALUE",
                        "Kafka " + client + " setting, applied last (e.g. security.protocol=SSL)")
                .value(
                        "kafka-config",
                        "FILE",
                        "none",
                        "Kafka " + client + " settings from a properties file")
                .value(
                        "progress",
                        "auto|bar|lines|none",
                        "auto",
                        "progress display (bar on a terminal)");
    }

    /** The user's Kafka settings: {@code --kafka-config FILE}, then each {@code --kafka}. */
    public static Map<String, String> kafkaSettings(Flags.Parsed p) throws UsageException {
        return KafkaSettings.parse(
                p.has("kafka-config") ? p.get("kafka-config") : null, p.all("kafka"));
    }
}
