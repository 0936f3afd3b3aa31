package io.edgestream.imaging.decode;

/**
 * Upper bounds on the size of an image the decoder will allocate pixels for. They are checked
 * against the dimensions in the image header (or the RAW record fields) before any pixel buffer is
 * allocated, so a small file that claims to be gigapixels is refused cheaply instead of running the
 * JVM out of memory.
 *
 * @param maxPixels largest accepted {@code width * height}
 * @param maxWidth largest accepted width in pixels
 * @param maxHeight largest accepted height in pixels
 */
public record DecodeLimits(long maxPixels, int maxWidth, int maxHeight) {

    /** 100 megapixels, at most 65535 pixels per side. */
    public static final DecodeLimits DEFAULT = new DecodeLimits(100_000_000L, 65_535, 65_535);

    public DecodeLimits {
        if (maxPixels <= 0 || maxWidth <= 0 || maxHeight <= 0) {
            throw new IllegalArgumentException(
                    "decode limits must be positive, got maxPixels="
                            + maxPixels
                            + " maxWidth="
                            + maxWidth
                            + " maxHeight="
                            + maxHeight);
        }
    }

    /**
     * Checks dimensions against these limits.
     *
     * @param what where the dimensions come from, for the message (e.g. "PNG header")
     * @throws ImageDecodeException INVALID_DIMENSIONS if a side is not positive, TOO_MANY_PIXELS if
     *     a side or the pixel count exceeds a limit
     */
    public void check(long width, long height, String what) throws ImageDecodeException {
        if (width <= 0 || height <= 0) {
            throw new ImageDecodeException(
                    DecodeFailure.INVALID_DIMENSIONS,
                    what
                            + " declares "
                            + width
                            + "x"
                            + height
                            + " pixels: width and height must both be positive");
        }
        if (width > maxWidth || height > maxHeight) {
            throw new ImageDecodeException(
                    DecodeFailure.TOO_MANY_PIXELS,
                    what
                            + " declares "
                            + width
                            + "x"
                            + height
                            + " pixels, above the per-side limit of "
                            + maxWidth
                            + "x"
                            + maxHeight
                            + ": downscale or tile the image before sending it, or raise the"
                            + " decode limits");
        }
        long pixels = width * height; // both <= Integer.MAX_VALUE here, cannot overflow
        if (pixels > maxPixels) {
            throw new ImageDecodeException(
                    DecodeFailure.TOO_MANY_PIXELS,
                    what
                            + " declares "
                            + width
                            + "x"
                            + height
                            + " = "
                            + pixels
                            + " pixels, above the limit of "
                            + maxPixels
                            + " pixels: downscale or tile the image before sending it, or raise"
                            + " the decode limits");
        }
    }
}
