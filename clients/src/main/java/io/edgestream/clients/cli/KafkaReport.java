package io.edgestream.clients.cli;

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
}
