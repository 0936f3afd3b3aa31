package io.edgestream.imaging.decode;

/**
 * Why an image payload could not be decoded. The names are the same as the matching symbols of the
 * Avro {@code DeadLetterReason} enum, so a caller can map one to the other with {@code
 * DeadLetterReason.valueOf(failure.name())}.
 */
public enum DecodeFailure {
    /** The encoding (or a variant of it, such as a 12-bit JPEG) is not one this decoder reads. */
    UNSUPPORTED_ENCODING,
    /** The data is corrupt or is not in the format named by the encoding. */
    UNDECODABLE_IMAGE,
    /** The file ends before its pixel data is complete. */
    TRUNCATED_IMAGE,
    /** RAW data length differs from width*height*bytesPerPixel, or its pixel format is missing. */
    RAW_SIZE_MISMATCH,
    /** Width, height or channels are non-positive, unsupported, or differ from the header. */
    INVALID_DIMENSIONS,
    /** The image is larger than the {@link DecodeLimits} allow. */
    TOO_MANY_PIXELS,
    /**
     * Decoding the image would take more memory than {@link DecodeLimits#maxDecodeBytes()} allows
     * (see {@link DecodeCost}); refused from the header, before any pixel is allocated.
     */
    MEMORY_BUDGET_EXCEEDED
}
