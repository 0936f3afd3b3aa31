package io.edgestream.clients.cli;

import picocli.CommandLine.Option;

/**
 * {@code --bootstrap}, mixed into the Kafka tools ({@code produce-images}, {@code consume-edges})
 * right after {@code --help}, so that its name, default and help stay the same in both.
 */
public final class BootstrapOption {

    @Option(
            names = "--bootstrap",
            paramLabel = "HOST:PORT",
            defaultValue = KafkaClientOptions.DEFAULT_BOOTSTRAP,
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE})")
    String bootstrap;

    /** The servers given, or the default. */
    public String value() {
        return bootstrap;
    }
}
