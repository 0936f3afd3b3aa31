package io.edgestream.imaging.decode;

import java.util.Objects;

/**
 * An image payload that cannot be turned into pixels. {@link #failure()} classifies the problem (it
 * maps one-to-one onto the dead-letter reason); the message says what was wrong, with the offending
 * numbers, and what the sender can do about it.
 */
public final class ImageDecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final DecodeFailure failure;

    public ImageDecodeException(DecodeFailure failure, String message) {
        super(message);
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    public ImageDecodeException(DecodeFailure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    /** The class of problem, named like the Avro {@code DeadLetterReason} symbol. */
    public DecodeFailure failure() {
        return failure;
    }
}
