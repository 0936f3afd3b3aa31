package io.edgestream.job.records;

import io.edgestream.schemas.registry.RegistryConfig;
import io.edgestream.schemas.registry.RegistryException;
import io.edgestream.schemas.registry.RegistryWire;
import io.edgestream.schemas.registry.SchemaRegistryClient;
import io.edgestream.schemas.registry.SubjectNames;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.schemas.wire.WireFormat;
import java.io.Serializable;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * How the values of one topic are framed, in the serializable form a Flink function keeps: Avro
 * single-object encoding ({@link AvroWire}) or the schema-registry framing ({@link RegistryWire},
 * subject {@code <topic>-value}, registry settings in a {@link RegistryConfig}, whose {@code
 * toString} never shows credentials). A function calls {@link #open} in its {@code open()} to get
 * its codec; codecs are not serializable.
 *
 * <p>{@link #mismatchHint} turns a value of the other framing into a sentence naming the option to
 * change, for the dead letter's message.
 */
public final class TopicWire implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final String option;
    private final RegistryConfig registry;

    private TopicWire(String topic, String option, RegistryConfig registry) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.option = Objects.requireNonNull(option, "option");
        this.registry = registry;
    }

    /** Single-object encoding on {@code topic}; {@code option} is the option that chose it. */
    public static TopicWire singleObject(String topic, String option) {
        return new TopicWire(topic, option, null);
    }

    /** Registry framing on {@code topic} with the registry of {@code config}. */
    public static TopicWire registry(String topic, String option, RegistryConfig config) {
        return new TopicWire(topic, option, Objects.requireNonNull(config, "registry config"));
    }

    /** Single-object encoding on {@code topic}, for code that has no option (tests, tools). */
    public static TopicWire singleObject(String topic) {
        return singleObject(topic, "wire.format");
    }

    /**
     * A new codec for {@code recordClass} on this topic; with the registry, a client of its own
     * (one per function instance: it caches schemas by id and the ids it registered).
     */
    public <T extends SpecificRecord> WireFormat<T> open(Class<T> recordClass) {
        if (registry == null) {
            return AvroWire.forRecordClass(recordClass);
        }
        return RegistryWire.forTopic(recordClass, new SchemaRegistryClient(registry), topic);
    }

    /**
     * A new codec for writing {@code recordClass}; with the registry, the current schema is
     * registered under {@link #subject()} now, so a sink fails when it opens rather than at its
     * first record.
     *
     * @throws IllegalStateException if the registry is unreachable, refuses the credentials or the
     *     schema (the message says which and what to do, never the credentials)
     */
    public <T extends SpecificRecord> WireFormat<T> openForWriting(Class<T> recordClass) {
        WireFormat<T> wire = open(recordClass);
        if (wire instanceof RegistryWire<T> r) {
            try {
                r.writerId();
            } catch (RegistryException e) {
                throw new IllegalStateException(
                        "cannot register the "
                                + recordClass.getSimpleName()
                                + " schema under subject '"
                                + subject()
                                + "' for topic '"
                                + topic
                                + "': "
                                + e.getMessage(),
                        e);
            }
        }
        return wire;
    }

    public boolean isRegistry() {
        return registry != null;
    }

    public String topic() {
        return topic;
    }

    /** The TopicNameStrategy subject of this topic's values, {@code <topic>-value}. */
    public String subject() {
        return SubjectNames.topicValue(topic);
    }

    /** The registry settings, or null for single-object encoding. */
    public RegistryConfig registryConfig() {
        return registry;
    }

    /** The option that chose this format (e.g. {@code wire.format.images}). */
    public String option() {
        return option;
    }

    /**
     * A sentence for a value this format refused as {@code NOT_WIRE_FORMAT}: if it is framed the
     * other way (registry {@code 00} + id in single-object mode, {@code C3 01} in registry mode),
     * which option to change; else empty.
     */
    public String mismatchHint(byte[] value) {
        if (value == null || value.length < 2) {
            return "";
        }
        boolean registryFramed = value[0] == RegistryWire.MAGIC && value.length >= 5;
        boolean singleObject = value[0] == AvroWire.MAGIC_0 && value[1] == AvroWire.MAGIC_1;
        if (registry == null && registryFramed) {
            return " [wire-format mismatch: the value looks schema-registry framed (00 + 4-byte"
                    + " schema id "
                    + RegistryWire.schemaId(value)
                    + ") but topic '"
                    + topic
                    + "' is read as single-object; run the job with --"
                    + option
                    + " registry and --registry.url, or have the producer write single-object"
                    + " encoding]";
        }
        if (registry != null && singleObject) {
            return " [wire-format mismatch: the value is Avro single-object encoded (C3 01) but"
                    + " topic '"
                    + topic
                    + "' is read with the schema-registry framing; run the job with --"
                    + option
                    + " single-object, or have the producer use a registry serializer]";
        }
        return "";
    }

    @Override
    public String toString() {
        return registry == null
                ? "single-object"
                : "registry (subject " + subject() + ", " + registry + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicWire w
                && topic.equals(w.topic)
                && option.equals(w.option)
                && Objects.equals(registry, w.registry);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, option, registry);
    }
}
