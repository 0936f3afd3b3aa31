package io.edgestream.imaging.decode;

/**
 * Upper bounds on the size of an image the decoder will allocate pixels for, and on the memory the
 * decode may take. They are checked against the dimensions in the image header (or the RAW record
 * fields) and against the {@link DecodeCost} computed from that header, before any pixel buffer is
 * allocated, so a small file that claims to be gigapixels, or a valid image whose decode needs more
 * memory than a task has, is refused cheaply instead of running the JVM out of memory.
 *
 * @param maxPixels largest accepted {@code width * height}
 * @param maxWidth largest accepted width in pixels
 * @param maxHeight largest accepted height in pixels
 * @param maxDecodeBytes largest accepted {@link DecodeCost#totalBytes()} (the peak live heap and
 *     the native memory of one decode), or {@link #NO_MEMORY_LIMIT}
 */
public record DecodeLimits(long maxPixels, int maxWidth, int maxHeight, long maxDecodeBytes) {

    /** {@link #maxDecodeBytes()} value that disables the memory check. */
    public static final long NO_MEMORY_LIMIT = Long.MAX_VALUE;

    /** 100 megapixels, at most 65535 pixels per side, no memory limit. */
    public static final DecodeLimits DEFAULT = new DecodeLimits(100_000_000L, 65_535, 65_535);

    /** No limit at all: for estimating the cost of images the limits would refuse. */
    static final DecodeLimits UNLIMITED =
            new DecodeLimits(Long.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);

    public DecodeLimits {
        if (maxPixels <= 0 || maxWidth <= 0 || maxHeight <= 0 || maxDecodeBytes <= 0) {
            throw new IllegalArgumentException(
                    "decode limits must be positive, got maxPixels="
                            + maxPixels
                            + " maxWidth="
                            + maxWidth
                            + " maxHeight="
                            + maxHeight
                            + " maxDecodeBytes="
                            + maxDecodeBytes);
        }
    }

    /** Size limits without a memory limit. */
    public DecodeLimits(long maxPixels, int maxWidth, int maxHeight) {
        this(maxPixels, maxWidth, maxHeight, NO_MEMORY_LIMIT);
    }

    /** These size limits with a memory limit of {@code bytes} per decode. */
    public DecodeLimits withMaxDecodeBytes(long bytes) {
        return new DecodeLimits(maxPixels, maxWidth, maxHeight, bytes);
    }

    /**
     * Checks a decode's cost against {@link #maxDecodeBytes()}.
     *
     * @throws ImageDecodeException MEMORY_BUDGET_EXCEEDED if heap and native memory together exceed
     *     the limit, saying what the image is, what it needs and what to do
     */
    public void checkMemory(DecodeCost cost) throws ImageDecodeException {
        if (cost.totalBytes() <= maxDecodeBytes) {
            return;
        }
        throw new ImageDecodeException(
                DecodeFailure.MEMORY_BUDGET_EXCEEDED,
                cost.image()
                        + " needs up to "
                        + DecodeCost.formatBytes(cost.totalBytes())
                        + " of memory to decode ("
                        + cost.breakdown()
                        + "), above the decode memory budget of "
                        + DecodeCost.formatBytes(maxDecodeBytes)
                        + " ("
                        + maxDecodeBytes
                        + " bytes): send smaller images (downscale, split or compress to a"
                        + " lower bit depth before sending), give the TaskManagers more heap per"
                        + " slot, or raise the decode memory budget option");
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
                    declares(what, width, height)
                            + " pixels: width and height must both be positive");
        }
        if (width > maxWidth || height > maxHeight) {
            throw new ImageDecodeException(
                    DecodeFailure.TOO_MANY_PIXELS,
                    declares(what, width, height)
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
                    declares(what, width, height)
                            + " = "
                            + pixels
                            + " pixels, above the limit of "
                            + maxPixels
                            + " pixels: downscale or tile the image before sending it, or raise"
                            + " the decode limits");
        }
    }

    /** How a message names the dimensions: built only when there is something to say. */
    private static String declares(String what, long width, long height) {
        return what + " declares " + width + "x" + height;
    }
}
