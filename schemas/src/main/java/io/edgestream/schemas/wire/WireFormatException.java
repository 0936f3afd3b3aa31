package io.edgestream.schemas.wire;

import io.edgestream.schemas.DeadLetterReason;

/**
 * A Kafka record value could not be decoded as an Avro single-object-encoded record. The {@link
 * #reason()} is the {@link DeadLetterReason} to file the record under in the dead-letter topic:
 * {@link DeadLetterReason#NOT_WIRE_FORMAT} (missing or wrong {@code C3 01} marker, or shorter than
 * the 10-byte header), {@link DeadLetterReason#UNKNOWN_SCHEMA} (the fingerprint is not a known
 * version of the expected record) or {@link DeadLetterReason#MALFORMED_RECORD} (the body is
 * truncated, corrupt or followed by extra bytes) or {@link DeadLetterReason#FIELD_TOO_LARGE} (a
 * field is larger than the caller's {@link FieldLimits}, found before the record is materialised).
 * Unchecked so that it can cross functional interfaces; callers that route bad input to a
 * dead-letter topic catch it explicitly.
 */
public final class WireFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final DeadLetterReason reason;

    public WireFormatException(DeadLetterReason reason, String message) {
        this(reason, message, null);
    }

    public WireFormatException(DeadLetterReason reason, String message, Throwable cause) {
        super(message, cause);
        if (reason != DeadLetterReason.NOT_WIRE_FORMAT
                && reason != DeadLetterReason.UNKNOWN_SCHEMA
                && reason != DeadLetterReason.MALFORMED_RECORD
                && reason != DeadLetterReason.FIELD_TOO_LARGE) {
            throw new IllegalArgumentException(
                    "WireFormatException reason must be NOT_WIRE_FORMAT, UNKNOWN_SCHEMA,"
                            + " MALFORMED_RECORD or FIELD_TOO_LARGE, got "
                            + reason);
        }
        this.reason = reason;
    }

    /**
     * The dead-letter reason: NOT_WIRE_FORMAT, UNKNOWN_SCHEMA, MALFORMED_RECORD or FIELD_TOO_LARGE.
     */
    public DeadLetterReason reason() {
        return reason;
    }
}
