package io.edgestream.clients.cli;

import io.edgestream.schemas.registry.RegistryConfig;
import java.io.PrintStream;
import java.util.Properties;

/**
 * What the reports of the Kafka tools have in common: the stream they print to, whether {@code
 * --verbose} was given, and the Kafka client's settings printed (secrets masked) under it.
 */
public abstract class KafkaReport {
    protected final PrintStream out;
    protected final boolean verbose;
    private final String client;

    /**
     * @param client the kind of Kafka client, for the settings' title: {@code "producer"}, {@code
     *     "consumer"}
     */
    protected KafkaReport(PrintStream out, boolean verbose, String client) {
        this.out = out;
        this.verbose = verbose;
        this.client = client;
    }

    /** The client's settings, secrets masked ({@code --verbose}). */
    public final void settings(Properties props) {
        if (verbose) {
            KafkaSettings.print("Kafka " + client + " settings:", props, out);
        }
    }

    /**
     * The framing used and the registry ({@code --verbose}); the registry's credentials are named
     * by kind only ({@link RegistryConfig#toString()}).
     *
     * @param format the framing, or null if each record's is recognised
     * @param schemaId the writer schema's registry id, or -1
     */
    public final void wireFormat(WireFormatName format, RegistryConfig registry, int schemaId) {
        if (!verbose) {
            return;
        }
        out.println(
                "Wire format: "
                        + (format == null
                                ? "single-object or registry (recognised per record)"
                                : format.cliName())
                        + (schemaId >= 0 ? ", writer schema id " + schemaId : ""));
        if (registry != null) {
            out.println("Schema registry: " + registry);
        }
    }
}
