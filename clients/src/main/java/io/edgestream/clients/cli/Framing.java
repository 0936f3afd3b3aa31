package io.edgestream.clients.cli;

import io.edgestream.schemas.DeadLetterReason;
import io.edgestream.schemas.registry.RegistryConfig;
import io.edgestream.schemas.registry.RegistryException;
import io.edgestream.schemas.registry.RegistryWire;
import io.edgestream.schemas.registry.SchemaRegistryClient;
import io.edgestream.schemas.registry.SubjectNames;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.schemas.wire.WireFormat;
import io.edgestream.schemas.wire.WireFormatException;
import java.util.HexFormat;
import org.apache.avro.specific.SpecificRecord;

/**
 * The codecs of the Kafka tools for their {@link KafkaClientOptions}' wire format and registry.
 *
 * <p>Writing ({@code produce-images}): {@link WireFormatName#REGISTRY} if asked for, or by default
 * when a registry is given; the schema is registered under {@code <topic>-value}
 * (TopicNameStrategy) before the first record is sent ({@link #checkWriter}). Otherwise {@link
 * WireFormatName#SINGLE_OBJECT}.
 *
 * <p>Reading ({@code consume-edges}, {@link Reader}): the framing of each value is recognised by
 * its first bytes, {@code 00} for the registry framing and {@code C3 01} for single-object, so one
 * topic may even hold both; with {@code --wire-format} given, a value in the other framing is
 * unreadable (NOT_WIRE_FORMAT) instead. A registry-framed value needs {@code --registry} to look up
 * its writer schema.
 */
public final class Framing {
    private Framing() {}

    /** The framing the producer writes for {@code o}. */
    public static WireFormatName writerFormat(KafkaClientOptions<?> o) {
        if (o.wireFormat() != null) {
            return o.wireFormat();
        }
        return o.registry() != null ? WireFormatName.REGISTRY : WireFormatName.SINGLE_OBJECT;
    }

    /** A client of {@code o}'s registry, or null without one. */
    public static SchemaRegistryClient client(KafkaClientOptions<?> o) {
        RegistryConfig c = o.registry();
        return c == null ? null : new SchemaRegistryClient(c);
    }

    /**
     * The codec the producer writes {@code topic}'s values with.
     *
     * @throws ToolException (usage) for the registry framing without a registry
     */
    public static <T extends SpecificRecord> WireFormat<T> writer(
            Class<T> recordClass,
            KafkaClientOptions<?> o,
            SchemaRegistryClient registry,
            String topic) {
        if (writerFormat(o) == WireFormatName.SINGLE_OBJECT) {
            return AvroWire.forRecordClass(recordClass);
        }
        if (registry == null) {
            throw new ToolException("--wire-format registry needs --registry URL", ExitCodes.USAGE);
        }
        return RegistryWire.forTopic(recordClass, registry, topic);
    }

    /**
     * Registers the writer's schema now (for the registry framing), so that an unreachable
     * registry, refused credentials or an incompatible subject stop the tool before anything is
     * sent.
     *
     * @return the schema id, or -1 for single-object
     * @throws ToolException (exit 1) naming the registry and what to do
     */
    public static int checkWriter(WireFormat<?> wire) {
        if (!(wire instanceof RegistryWire<?> rw)) {
            return -1;
        }
        try {
            return rw.writerId();
        } catch (RegistryException e) {
            throw new ToolException(
                    "cannot register the "
                            + rw.schema().getName()
                            + " schema under '"
                            + rw.subject()
                            + "' at "
                            + rw.registry().config().url()
                            + ": "
                            + e.getMessage(),
                    ExitCodes.FAILED,
                    e);
        }
    }

    /**
     * Checks that {@code registry} answers (with the credentials given) by reading the rule of
     * {@code subject}.
     *
     * @throws ToolException (exit 1) if it does not
     */
    public static void checkReachable(SchemaRegistryClient registry, String subject) {
        try {
            registry.compatibility(subject);
        } catch (RegistryException e) {
            throw new ToolException(
                    "the schema registry at "
                            + registry.config().url()
                            + " does not answer as expected: "
                            + e.getMessage(),
                    ExitCodes.FAILED,
                    e);
        }
    }

    /** The subject a topic's values are registered under (TopicNameStrategy). */
    public static String subject(String topic) {
        return SubjectNames.topicValue(topic);
    }

    /** A decoder of one record type that accepts either framing; see the class comment. */
    public static <T extends SpecificRecord> Reader<T> reader(
            Class<T> recordClass,
            KafkaClientOptions<?> o,
            SchemaRegistryClient registry,
            String topic) {
        return new Reader<>(
                AvroWire.forRecordClass(recordClass),
                registry == null ? null : RegistryWire.forTopic(recordClass, registry, topic),
                o.wireFormat());
    }

    /** Decodes values of either framing (or only of {@code expected}'s, if given). */
    public static final class Reader<T extends SpecificRecord> {
        private final AvroWire<T> singleObject;
        private final RegistryWire<T> registry;
        private final WireFormatName expected;

        Reader(AvroWire<T> singleObject, RegistryWire<T> registry, WireFormatName expected) {
            this.singleObject = singleObject;
            this.registry = registry;
            this.expected = expected;
        }

        /**
         * Decodes {@code value}.
         *
         * @throws WireFormatException for a value that is not readable as the record
         *     (NOT_WIRE_FORMAT also for the framing {@code --wire-format} excludes, or a
         *     registry-framed value without a registry)
         * @throws RegistryException if the registry is unreachable or refuses the credentials
         */
        public T decode(byte[] value) {
            WireFormatName found = WireFormatName.of(value);
            if (expected != null && found != null && found != expected) {
                throw new WireFormatException(
                        DeadLetterReason.NOT_WIRE_FORMAT,
                        "the value is "
                                + found.cliName()
                                + "-framed (starts with "
                                + start(value)
                                + ") but --wire-format "
                                + expected.cliName()
                                + " was given; leave --wire-format out to read both");
            }
            if (found == WireFormatName.REGISTRY || expected == WireFormatName.REGISTRY) {
                if (registry == null) {
                    throw new WireFormatException(
                            DeadLetterReason.NOT_WIRE_FORMAT,
                            "the value is registry-framed (starts with "
                                    + start(value)
                                    + (value.length >= RegistryWire.HEADER_LENGTH
                                            ? ", schema id " + RegistryWire.schemaId(value)
                                            : "")
                                    + ") but no registry was given: add --registry URL");
                }
                return registry.decode(value);
            }
            return singleObject.decode(value);
        }

        private static String start(byte[] value) {
            return HexFormat.ofDelimiter(" ")
                    .withUpperCase()
                    .formatHex(value, 0, Math.min(2, value.length));
        }
    }
}
