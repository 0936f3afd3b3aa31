package io.edgestream.schemas.wire;

import io.edgestream.schemas.DeadLetterReason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * The defensive walk that precedes decoding an Avro body from an untrusted producer, shared by both
 * wire formats ({@link AvroWire} and the registry framing), with the failures the two report alike:
 * the body is walked once against the writer schema without allocating, so a corrupt length prefix
 * cannot make the decoder allocate gigabytes, field sizes are checked against {@link FieldLimits},
 * and bytes left over after the record are rejected.
 */
public final class AvroBodies {
    private AvroBodies() {}

    /**
     * Walks the body against the writer schema without materialising it: lengths are checked
     * against the bytes that are actually there before Avro allocates anything, and the walk must
     * end exactly at the end of the value.
     *
     * @param offset where the body starts (after the header)
     * @param recordName the record type, for messages
     * @param writerLabel names the writer schema in messages, e.g. {@code schema 0123abcd...} or
     *     {@code registry schema id 7}
     * @throws WireFormatException MALFORMED_RECORD if the body is truncated, corrupt or followed by
     *     extra bytes; FIELD_TOO_LARGE if a limited field exceeds its limit
     */
    public static void check(
            byte[] value,
            int offset,
            Schema writer,
            FieldLimits limits,
            String recordName,
            String writerLabel) {
        ByteArrayInputStream in = new ByteArrayInputStream(value, offset, value.length - offset);
        BinaryDecoder body = DecoderFactory.get().directBinaryDecoder(in, null);
        try {
            if (limits.isEmpty()) {
                GenericDatumReader.skip(writer, body);
            } else {
                for (Schema.Field field : writer.getFields()) {
                    FieldLimits.Limit limit = limits.of(field.name());
                    if (limit == null) {
                        GenericDatumReader.skip(field.schema(), body);
                        continue;
                    }
                    long size = measure(field.schema(), body, in);
                    if (size > limit.maxBytes()) {
                        throw new WireFormatException(
                                DeadLetterReason.FIELD_TOO_LARGE,
                                String.format(
                                        "%s field '%s' is %d bytes, above the limit of %d bytes"
                                                + " (%s); the producer must send a smaller %s",
                                        recordName,
                                        field.name(),
                                        size,
                                        limit.maxBytes(),
                                        limit.setting(),
                                        field.name()));
                    }
                }
            }
        } catch (WireFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw malformed(recordName, writerLabel, e);
        }
        if (in.available() > 0) {
            throw new WireFormatException(
                    DeadLetterReason.MALFORMED_RECORD,
                    String.format(
                            "%s body (%s) ends %d bytes before the end of the %d-byte"
                                    + " value; the value is corrupt or was written with a"
                                    + " different schema than its header claims",
                            recordName, writerLabel, in.available(), value.length));
        }
    }

    /**
     * NOT_WIRE_FORMAT for a value that is null or too short to hold the header.
     *
     * @param framing the expected framing with its article, e.g. {@code a registry-framed}
     */
    public static WireFormatException tooShort(
            byte[] value, int headerLength, String framing, String recordName) {
        return new WireFormatException(
                DeadLetterReason.NOT_WIRE_FORMAT,
                "Expected "
                        + framing
                        + " "
                        + recordName
                        + " (at least "
                        + headerLength
                        + " header bytes) but the value has "
                        + (value == null ? "no bytes (null)" : value.length + " bytes"));
    }

    /**
     * The exception for a failure of either wire format's encoder: an {@link IOException} (writing
     * into memory does not throw, so it is a bug) is rethrown unchecked, anything else means the
     * record does not match its schema.
     */
    public static RuntimeException encodeFailure(String recordName, Exception e) {
        if (e instanceof IOException io) {
            return new UncheckedIOException("Encoding " + recordName + " into memory failed", io);
        }
        return new IllegalArgumentException(
                "Cannot encode "
                        + recordName
                        + ": it does not match its schema ("
                        + e
                        + "); build records with the generated builder so required fields"
                        + " are set",
                e);
    }

    /**
     * Skips one datum of {@code s} and returns its content size as {@link FieldLimits} defines it:
     * the length of a string or bytes, the sum over the entries of a map or array plus one byte per
     * entry (so a million empty entries are not free), the present branch of a union; other types
     * count the bytes they occupy. Every length is checked against the bytes left before anything
     * is skipped.
     */
    private static long measure(Schema s, BinaryDecoder d, ByteArrayInputStream in)
            throws IOException {
        switch (s.getType()) {
            case STRING, BYTES -> {
                long len = d.readLong();
                if (len < 0 || len > in.available()) {
                    throw new IOException(
                            "length "
                                    + len
                                    + " does not fit the "
                                    + in.available()
                                    + " bytes left in the value");
                }
                d.skipFixed((int) len);
                return len;
            }
            case UNION -> {
                int branch = d.readIndex();
                if (branch < 0 || branch >= s.getTypes().size()) {
                    throw new IOException("union branch " + branch + " out of range");
                }
                return measure(s.getTypes().get(branch), d, in);
            }
            case MAP -> {
                long total = 0;
                Schema key = Schema.create(Schema.Type.STRING);
                for (long n = d.readMapStart(); n != 0; n = d.mapNext()) {
                    for (long i = 0; i < n; i++) {
                        total += 1 + measure(key, d, in) + measure(s.getValueType(), d, in);
                    }
                }
                return total;
            }
            case ARRAY -> {
                long total = 0;
                for (long n = d.readArrayStart(); n != 0; n = d.arrayNext()) {
                    for (long i = 0; i < n; i++) {
                        total += 1 + measure(s.getElementType(), d, in);
                    }
                }
                return total;
            }
            default -> {
                int before = in.available();
                GenericDatumReader.skip(s, d);
                return before - in.available();
            }
        }
    }

    /**
     * MALFORMED_RECORD for a body Avro failed to read.
     *
     * @param writerLabel names the writer schema as in {@link #check}
     */
    public static WireFormatException malformed(
            String recordName, String writerLabel, Exception cause) {
        return new WireFormatException(
                DeadLetterReason.MALFORMED_RECORD,
                String.format(
                        "%s body (%s) is truncated or corrupt: %s", recordName, writerLabel, cause),
                cause);
    }
}
