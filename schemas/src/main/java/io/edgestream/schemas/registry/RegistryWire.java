package io.edgestream.schemas.registry;

import io.edgestream.schemas.DeadLetterReason;
import io.edgestream.schemas.wire.AvroBodies;
import io.edgestream.schemas.wire.FieldLimits;
import io.edgestream.schemas.wire.WireFormat;
import io.edgestream.schemas.wire.WireFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes and decodes one record type of the contract in the schema-registry wire framing that
 * Confluent, Apicurio (ccompat, 4-byte ids), Karapace and Redpanda serializers write and their
 * readers expect: byte {@code 00}, the 4-byte big-endian schema id, then the Avro binary body.
 *
 * <p>Encoding registers the current schema under the subject once (the id is cached by the {@link
 * SchemaRegistryClient}); call {@link #writerId()} at start-up to fail early on an unreachable
 * registry, refused credentials or an incompatible subject. Decoding fetches the writer schema by
 * id (cached), checks that it can be read as the current schema (Avro schema resolution: fields
 * added later take their defaults), walks the body defensively ({@link AvroBodies}) and resolves it
 * into the generated class.
 *
 * <p>Errors: a value that is not registry-framed, an unknown id or a writer schema that cannot be
 * read as ours is a {@link WireFormatException} (NOT_WIRE_FORMAT, UNKNOWN_SCHEMA, UNKNOWN_SCHEMA),
 * to dead-letter; a corrupt body is MALFORMED_RECORD. An unreachable registry or refused
 * credentials are {@link RegistryException}s that propagate: the environment is broken, not the
 * record.
 *
 * <pre>{@code
 * SchemaRegistryClient registry = new SchemaRegistryClient(RegistryConfig.of(url));
 * RegistryWire<ImageFrame> wire = RegistryWire.forTopic(ImageFrame.class, registry, "images");
 * byte[] value = wire.encode(frame);
 * ImageFrame back = wire.decode(value);
 * }</pre>
 *
 * Thread-safe; not {@link java.io.Serializable} (build it in a Flink function's {@code open()} from
 * a {@link RegistryConfig}).
 *
 * @param <T> the generated record class
 */
public final class RegistryWire<T extends SpecificRecord> implements WireFormat<T> {
    /** The first byte of every registry-framed value. */
    public static final byte MAGIC = 0;

    /** Length of the header: the magic byte and the 4-byte schema id. */
    public static final int HEADER_LENGTH = 5;

    private final Class<T> recordClass;
    private final SpecificData model;
    private final Schema schema;
    private final SchemaRegistryClient registry;
    private final String subject;
    private final DatumWriter<T> writer;
    private final Map<Integer, DatumReader<T>> readersById = new ConcurrentHashMap<>();

    /** The id of the current schema once registered (-1 before): not looked up per record. */
    private volatile int writerId = -1;

    private RegistryWire(Class<T> recordClass, SchemaRegistryClient registry, String subject) {
        this.recordClass = recordClass;
        this.model = SpecificData.getForClass(recordClass);
        this.schema = model.getSchema(recordClass);
        this.registry = registry;
        this.subject = subject;
        @SuppressWarnings("unchecked")
        DatumWriter<T> w = (DatumWriter<T>) model.createDatumWriter(schema);
        this.writer = w;
    }

    /** Codec whose writes register the schema under {@code subject}. */
    public static <R extends SpecificRecord> RegistryWire<R> forRecordClass(
            Class<R> recordClass, SchemaRegistryClient registry, String subject) {
        return new RegistryWire<>(recordClass, registry, subject);
    }

    /** Codec for the values of {@code topic}: subject {@code <topic>-value}. */
    public static <R extends SpecificRecord> RegistryWire<R> forTopic(
            Class<R> recordClass, SchemaRegistryClient registry, String topic) {
        return new RegistryWire<>(recordClass, registry, SubjectNames.topicValue(topic));
    }

    /**
     * The id of the current schema under the subject, registering it if needed.
     *
     * @throws IncompatibleSchemaException if the subject's rule refuses the current schema
     * @throws RegistryException if the registry is unreachable or refuses the credentials
     */
    public int writerId() {
        int id = writerId;
        if (id < 0) {
            id = registry.register(subject, schema);
            writerId = id;
        }
        return id;
    }

    @Override
    public byte[] encode(T record) {
        int id = writerId();
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        out.writeBytes(header(id));
        BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer.write(record, enc);
            enc.flush();
        } catch (IOException | RuntimeException e) {
            throw AvroBodies.encodeFailure(schema.getName(), e);
        }
        return out.toByteArray();
    }

    @Override
    public T decode(byte[] value) {
        return decode(value, FieldLimits.none());
    }

    /**
     * Decodes a registry-framed value.
     *
     * @throws WireFormatException NOT_WIRE_FORMAT if the value is null, shorter than 5 bytes or
     *     does not start with {@code 00}; UNKNOWN_SCHEMA if the registry has no such id or its
     *     schema cannot be read as the current one; MALFORMED_RECORD if the body is truncated,
     *     corrupt or followed by extra bytes; FIELD_TOO_LARGE as {@link AvroBodies#check}
     * @throws RegistryException if the registry is unreachable or refuses the credentials
     */
    @Override
    public T decode(byte[] value, FieldLimits limits) {
        if (value == null || value.length < HEADER_LENGTH) {
            throw AvroBodies.tooShort(value, HEADER_LENGTH, "a registry-framed", schema.getName());
        }
        if (value[0] != MAGIC) {
            boolean singleObject = value[0] == (byte) 0xC3 && value[1] == (byte) 0x01;
            throw new WireFormatException(
                    DeadLetterReason.NOT_WIRE_FORMAT,
                    String.format(
                            "Expected a registry-framed %s starting with byte 00 but the value"
                                    + " starts with %02X %02X (%d bytes); %s",
                            schema.getName(),
                            value[0],
                            value[1],
                            value.length,
                            singleObject
                                    ? "it looks like Avro single-object encoding: read this"
                                            + " topic with the single-object wire format"
                                    : "the producer must use a schema-registry serializer"));
        }
        int id = ByteBuffer.wrap(value, 1, 4).getInt();
        DatumReader<T> reader = readerFor(id);
        Schema writerSchema = registry.schemaById(id);
        String writerLabel = "registry schema id " + id;
        AvroBodies.check(value, HEADER_LENGTH, writerSchema, limits, schema.getName(), writerLabel);
        BinaryDecoder dec =
                DecoderFactory.get()
                        .binaryDecoder(value, HEADER_LENGTH, value.length - HEADER_LENGTH, null);
        try {
            return reader.read(null, dec);
        } catch (IOException | RuntimeException e) {
            throw AvroBodies.malformed(schema.getName(), writerLabel, e);
        }
    }

    /** The resolving reader from writer schema {@code id} to the current schema, cached. */
    private DatumReader<T> readerFor(int id) {
        DatumReader<T> cached = readersById.get(id);
        if (cached != null) {
            return cached;
        }
        Schema writerSchema;
        try {
            writerSchema = registry.schemaById(id);
        } catch (UnknownSchemaIdException e) {
            throw new WireFormatException(
                    DeadLetterReason.UNKNOWN_SCHEMA,
                    e.getMessage() + " (expected a " + schema.getName() + ")",
                    e);
        } catch (RegistryException e) {
            if (e.httpStatus() != 200) {
                throw e;
            }
            // The registry answered, but the schema behind the id is not usable Avro.
            throw new WireFormatException(DeadLetterReason.UNKNOWN_SCHEMA, e.getMessage(), e);
        }
        SchemaCompatibility.SchemaPairCompatibility c =
                SchemaCompatibility.checkReaderWriterCompatibility(schema, writerSchema);
        if (c.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new WireFormatException(
                    DeadLetterReason.UNKNOWN_SCHEMA,
                    String.format(
                            "Registry schema id %d (%s) cannot be read as %s: %s; the producer"
                                    + " writes another record type to this topic, or a schema"
                                    + " version that is not backward compatible with ours",
                            id,
                            writerSchema.getFullName(),
                            schema.getFullName(),
                            c.getResult().getIncompatibilities()));
        }
        @SuppressWarnings("unchecked")
        DatumReader<T> r = (DatumReader<T>) model.createDatumReader(writerSchema, schema);
        DatumReader<T> known = readersById.putIfAbsent(id, r);
        return known != null ? known : r;
    }

    /** The 5-byte header of every value this codec writes (registers the schema if need be). */
    @Override
    public byte[] header() {
        return header(writerId());
    }

    /** The 5-byte registry header for schema {@code id}. */
    public static byte[] header(int id) {
        return ByteBuffer.allocate(HEADER_LENGTH).put(MAGIC).putInt(id).array();
    }

    /** The schema id in a registry-framed value's header (the value must be 5+ bytes). */
    public static int schemaId(byte[] value) {
        return ByteBuffer.wrap(value, 1, 4).getInt();
    }

    /** The subject the current schema is registered under. */
    public String subject() {
        return subject;
    }

    public SchemaRegistryClient registry() {
        return registry;
    }

    @Override
    public Class<T> recordClass() {
        return recordClass;
    }

    @Override
    public Schema schema() {
        return schema;
    }
}
