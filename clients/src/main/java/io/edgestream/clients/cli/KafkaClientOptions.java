package io.edgestream.clients.cli;

import io.edgestream.schemas.registry.RegistryConfig;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the Java API of every Kafka tool ({@code ProduceImages.Options}, {@code
 * ConsumeEdges.Options}) can be told besides its data: the broker, how long to wait for it, the
 * user's Kafka client settings, the schema registry and wire format, the progress display and
 * verbosity. Defaults are the command line's; fluent setters return the tool's own options object.
 *
 * @param <S> the tool's options class
 */
public abstract class KafkaClientOptions<S extends KafkaClientOptions<S>> {
    /** The broker of the local stack, and every tool's default {@code --bootstrap}. */
    public static final String DEFAULT_BOOTSTRAP = "localhost:9092";

    private String bootstrap = DEFAULT_BOOTSTRAP;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Map<String, String> kafka = new LinkedHashMap<>();
    private Progress.Mode progress = Progress.Mode.AUTO;
    private boolean verbose = false;
    private RegistryConfig registry = null;
    private WireFormatName wireFormat = null;

    protected KafkaClientOptions() {}

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    /** Kafka bootstrap servers, {@code host:port,...}. */
    public S bootstrap(String v) {
        bootstrap = v;
        return self();
    }

    /** How long to wait for the broker before giving up. */
    public S connectTimeout(Duration v) {
        connectTimeout = v;
        return self();
    }

    /** Kafka client settings applied on top of the tool's (see {@link KafkaSettings}). */
    public S kafka(Map<String, String> v) {
        kafka = new LinkedHashMap<>(v);
        return self();
    }

    public S progress(Progress.Mode v) {
        progress = v;
        return self();
    }

    public S verbose(boolean v) {
        verbose = v;
        return self();
    }

    /** The schema registry (null: none); credentials travel inside, never printed. */
    public S registry(RegistryConfig v) {
        registry = v;
        return self();
    }

    /**
     * The framing asked for (null: the tool's default, see {@link #registry(RegistryConfig)} and
     * each tool).
     */
    public S wireFormat(WireFormatName v) {
        wireFormat = v;
        return self();
    }

    public RegistryConfig registry() {
        return registry;
    }

    public WireFormatName wireFormat() {
        return wireFormat;
    }

    public String bootstrap() {
        return bootstrap;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The user's Kafka client settings, in the order they are applied. */
    public Map<String, String> kafka() {
        return Collections.unmodifiableMap(kafka);
    }

    public Progress.Mode progress() {
        return progress;
    }

    public boolean verbose() {
        return verbose;
    }
}
