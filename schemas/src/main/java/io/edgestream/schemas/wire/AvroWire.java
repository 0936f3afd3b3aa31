package io.edgestream.schemas.wire;

import io.edgestream.schemas.DeadLetter;
import io.edgestream.schemas.DeadLetterReason;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.ImageFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes and decodes one record type of the contract as Kafka record values in Avro single-object
 * encoding: {@code C3 01}, the 8-byte little-endian CRC-64-AVRO fingerprint of the writer schema's
 * parsing canonical form, then the Avro binary body. Decoding accepts every version of the record
 * listed by {@link SchemaHistory} and resolves it into the current generated class (fields added
 * later take their schema defaults).
 *
 * <p>Decoding is defensive because values come from untrusted producers: before Avro builds the
 * record, the body is walked once against the writer schema without allocating, so a corrupt length
 * prefix cannot make the decoder allocate gigabytes; bytes left over after the record are rejected
 * too. Every failure is a {@link WireFormatException} whose {@link WireFormatException#reason()}
 * says how to dead-letter the value.
 *
 * <p>Thread-safety: instances are immutable apart from Avro's internal per-fingerprint cache, and
 * Avro documents {@link BinaryMessageEncoder} and {@link BinaryMessageDecoder} as thread-safe (they
 * keep their buffers in thread-locals), so one instance may be shared; {@code
 * AvroWireTest#sharedInstanceDecodesConcurrently} exercises that. Instances are not {@link
 * java.io.Serializable}: a Flink function keeps the record class (see {@link #forRecordClass}) and
 * creates its codec in {@code open()}, one per subtask.
 *
 * <pre>{@code
 * AvroWire<ImageFrame> wire = AvroWire.imageFrames();
 * byte[] value = wire.encode(frame);
 * try {
 *     ImageFrame back = wire.decode(value);
 * } catch (WireFormatException e) {
 *     deadLetter(value, e.reason(), e.getMessage());
 * }
 * }</pre>
 *
 * @param <T> the generated record class
 */
public final class AvroWire<T extends SpecificRecord> implements WireFormat<T> {
    /** The two marker bytes that start every single-object-encoded value. */
    public static final byte MAGIC_0 = (byte) 0xC3;

    public static final byte MAGIC_1 = (byte) 0x01;

    /** Length of the header: 2 marker bytes and the 8-byte fingerprint. */
    public static final int HEADER_LENGTH = 10;

    private final Class<T> recordClass;
    private final Schema schema;
    private final long fingerprint;

    /** Writer schemas by fingerprint, oldest version first. */
    private final Map<Long, Schema> writerSchemas;

    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private AvroWire(Class<T> recordClass) {
        this.recordClass = recordClass;
        SpecificData model = SpecificData.getForClass(recordClass);
        this.schema = model.getSchema(recordClass);
        this.fingerprint = fingerprint(schema);

        Map<Long, Schema> known = new LinkedHashMap<>();
        for (Schema version : SchemaHistory.versions(schema.getName())) {
            known.putIfAbsent(fingerprint(version), version);
        }
        // The current schema is always readable, even before it is recorded in the history.
        known.putIfAbsent(fingerprint, schema);
        this.writerSchemas = Collections.unmodifiableMap(known);

        SchemaStore.Cache store = new SchemaStore.Cache();
        known.values().forEach(store::addSchema);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema, store);
    }

    /** Codec for {@link ImageFrame} (topic {@code images}). */
    public static AvroWire<ImageFrame> imageFrames() {
        return new AvroWire<>(ImageFrame.class);
    }

    /** Codec for {@link FeatureMapTile} (topic {@code edge-maps}). */
    public static AvroWire<FeatureMapTile> featureMapTiles() {
        return new AvroWire<>(FeatureMapTile.class);
    }

    /** Codec for {@link EdgeStats} (topic {@code edge-stats}). */
    public static AvroWire<EdgeStats> edgeStats() {
        return new AvroWire<>(EdgeStats.class);
    }

    /** Codec for {@link DeadLetter} (topic {@code images-dlq}). */
    public static AvroWire<DeadLetter> deadLetters() {
        return new AvroWire<>(DeadLetter.class);
    }

    /**
     * Codec for any generated record class of this module; lets serializable Flink functions keep
     * just the class and build the codec in {@code open()}.
     */
    public static <R extends SpecificRecord> AvroWire<R> forRecordClass(Class<R> recordClass) {
        return new AvroWire<>(recordClass);
    }

    /**
     * Encodes {@code record} with the current schema, header included.
     *
     * @throws IllegalArgumentException if the record violates its schema (e.g. a null required
     *     field); the message names the record type
     */
    public byte[] encode(T record) {
        EncodeBuffer out = ENCODE_BUFFER.get();
        out.reset();
        try {
            encoder.encode(record, out);
        } catch (IOException | RuntimeException e) {
            // ByteArrayOutputStream does not throw; an IOException is a bug worth surfacing.
            throw AvroBodies.encodeFailure(schema.getName(), e);
        }
        return out.takeBytes();
    }

    /**
     * Per-thread encoding buffer: a map tile is hundreds of KB, and a fresh {@link
     * ByteArrayOutputStream} would grow to it by doubling, copying the bytes about three times per
     * record. The buffer keeps its capacity between records (up to {@link #RETAINED_BYTES}), so the
     * encoded bytes are copied once, into the exact-size result.
     */
    private static final ThreadLocal<EncodeBuffer> ENCODE_BUFFER =
            ThreadLocal.withInitial(EncodeBuffer::new);

    /** Largest buffer kept for the next record; a bigger one is dropped after use. */
    static final int RETAINED_BYTES = 16 << 20;

    private static final class EncodeBuffer extends ByteArrayOutputStream {
        EncodeBuffer() {
            super(64 << 10);
        }

        byte[] takeBytes() {
            byte[] result = Arrays.copyOf(buf, count);
            if (buf.length > RETAINED_BYTES) {
                buf = new byte[64 << 10];
            }
            count = 0;
            return result;
        }
    }

    /**
     * Decodes a single-object-encoded value written with any known version of this record.
     *
     * @throws WireFormatException NOT_WIRE_FORMAT if {@code value} is null, shorter than {@value
     *     #HEADER_LENGTH} bytes or lacks the {@code C3 01} marker; UNKNOWN_SCHEMA if the
     *     fingerprint is not a known version; MALFORMED_RECORD if the body is truncated, corrupt or
     *     followed by extra bytes
     */
    public T decode(byte[] value) {
        return decode(value, FieldLimits.none());
    }

    /**
     * Decodes like {@link #decode(byte[])} and also checks the sizes of the fields named in {@code
     * limits} during the walk that precedes materialisation, so an oversized field costs no more
     * memory than the value itself.
     *
     * @throws WireFormatException as {@link #decode(byte[])}, or FIELD_TOO_LARGE if a limited field
     *     is larger than its limit (the message names the field, its size, the limit and the
     *     setting)
     */
    public T decode(byte[] value, FieldLimits limits) {
        if (value == null || value.length < HEADER_LENGTH) {
            throw AvroBodies.tooShort(
                    value, HEADER_LENGTH, "an Avro single-object-encoded", schema.getName());
        }
        if (value[0] != MAGIC_0 || value[1] != MAGIC_1) {
            throw new WireFormatException(
                    DeadLetterReason.NOT_WIRE_FORMAT,
                    String.format(
                            "Expected an Avro single-object-encoded %s starting with C3 01 but the"
                                    + " value starts with %02X %02X (%d bytes); the producer must"
                                    + " use single-object encoding",
                            schema.getName(), value[0], value[1], value.length));
        }
        long writerFingerprint = readFingerprint(value);
        Schema writer = writerSchemas.get(writerFingerprint);
        if (writer == null) {
            throw new WireFormatException(
                    DeadLetterReason.UNKNOWN_SCHEMA,
                    String.format(
                            "Schema fingerprint %016x is not a known version of %s (known: %s);"
                                    + " the producer uses a schema this reader does not have, or"
                                    + " writes another record type to this topic",
                            writerFingerprint, schema.getName(), fingerprintList()));
        }
        validateBody(value, writer, limits);
        try {
            return decoder.decode(value);
        } catch (BadHeaderException e) {
            throw new WireFormatException(DeadLetterReason.NOT_WIRE_FORMAT, e.getMessage(), e);
        } catch (MissingSchemaException e) {
            throw new WireFormatException(DeadLetterReason.UNKNOWN_SCHEMA, e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw AvroBodies.malformed(schema.getName(), writerLabel(writerFingerprint), e);
        }
    }

    /**
     * Walks the body against the writer schema without materialising it ({@link AvroBodies#check}).
     */
    private void validateBody(byte[] value, Schema writer, FieldLimits limits) {
        AvroBodies.check(
                value,
                HEADER_LENGTH,
                writer,
                limits,
                schema.getName(),
                writerLabel(readFingerprint(value)));
    }

    /** Names the writer schema in messages. */
    private static String writerLabel(long writerFingerprint) {
        return String.format("schema %016x", writerFingerprint);
    }

    private static long readFingerprint(byte[] value) {
        return ByteBuffer.wrap(value, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private String fingerprintList() {
        StringBuilder sb = new StringBuilder();
        for (long fp : writerSchemas.keySet()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(String.format("%016x", fp));
        }
        return sb.toString();
    }

    /** The CRC-64-AVRO fingerprint of {@code schema}'s parsing canonical form. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** The 10-byte single-object header for a writer schema with the given fingerprint. */
    public static byte[] header(long fingerprint) {
        return ByteBuffer.allocate(HEADER_LENGTH)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put(MAGIC_0)
                .put(MAGIC_1)
                .putLong(fingerprint)
                .array();
    }

    /** The generated record class this codec reads and writes. */
    public Class<T> recordClass() {
        return recordClass;
    }

    /** The current (reader and writer) schema. */
    public Schema schema() {
        return schema;
    }

    @Override
    public byte[] header() {
        return header(fingerprint);
    }

    /** Fingerprint of the current schema; every value this codec encodes carries it. */
    public long currentFingerprint() {
        return fingerprint;
    }

    /** Fingerprints of every writer schema this codec decodes, oldest version first. */
    public Set<Long> knownFingerprints() {
        return writerSchemas.keySet();
    }

    /** Every writer schema this codec decodes, by fingerprint, oldest version first. */
    public Map<Long, Schema> knownSchemas() {
        return writerSchemas;
    }

    /** The writer schemas in version order: element i is version i + 1. */
    public List<Schema> versions() {
        return List.copyOf(writerSchemas.values());
    }
}
