package io.edgestream.schemas.wire;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * How one record type of the contract becomes a Kafka record value and back. Two implementations:
 * {@link AvroWire} (Avro single-object encoding, {@code C3 01} + schema fingerprint, the default)
 * and {@code io.edgestream.schemas.registry.RegistryWire} (the schema-registry framing, {@code 00}
 * + 4-byte schema id, that Confluent, Apicurio, Karapace and Redpanda serializers write). A Flink
 * function keeps its settings and builds its codec in {@code open()}; neither is {@link
 * java.io.Serializable}.
 *
 * <p>Decoding failures that concern the value are {@link WireFormatException}s whose reason says
 * how to dead-letter it; failures of the environment (an unreachable registry) are other runtime
 * exceptions, on which a job should fail rather than dead-letter.
 *
 * @param <T> the generated record class
 */
public interface WireFormat<T extends SpecificRecord> {
    /**
     * Encodes {@code record} with the current schema, header included.
     *
     * @throws IllegalArgumentException if the record violates its schema
     */
    byte[] encode(T record);

    /**
     * Decodes a value written with any schema version this format accepts, resolved into the
     * current generated class.
     *
     * @throws WireFormatException NOT_WIRE_FORMAT, UNKNOWN_SCHEMA or MALFORMED_RECORD
     */
    T decode(byte[] value);

    /**
     * Decodes like {@link #decode(byte[])} and checks the sizes of the fields named in {@code
     * limits} before the record is materialised.
     *
     * @throws WireFormatException as {@link #decode(byte[])}, or FIELD_TOO_LARGE
     */
    T decode(byte[] value, FieldLimits limits);

    /**
     * The bytes every value this format writes starts with, before the record's Avro binary body
     * (single-object: {@code C3 01} and the fingerprint; registry: {@code 00} and the schema id,
     * registered first if need be): so an encoder of its own can write the same values ({@code
     * FeatureMapTileEncoder}).
     */
    byte[] header();

    /** The generated record class this format reads and writes. */
    Class<T> recordClass();

    /** The current (reader and writer) schema. */
    Schema schema();
}
