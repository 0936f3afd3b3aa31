package io.edgestream.imaging.decode;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.image.ImageU16;
import io.edgestream.imaging.image.ImageU8;
import io.edgestream.imaging.image.PixelFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;

/**
 * RAW payloads: packed HWC rows, multi-byte samples little-endian, laid out as {@link PixelFormat}
 * says. Bulk conversions go through {@link ByteBuffer} views, which the JIT turns into plain memory
 * copies instead of per-sample shifts.
 */
final class RawDecoder {
    private RawDecoder() {}

    static DecodedImage decode(
            byte[] bytes,
            int width,
            int height,
            int channels,
            String pixelFormat,
            DecodeLimits limits)
            throws ImageDecodeException {
        PixelFormat format = validate(bytes, width, height, channels, pixelFormat, limits);
        limits.checkMemory(CostModel.raw(format, width, height, channels, bytes.length));
        int n = width * height * channels; // validate() checked that this fits an array
        switch (format.bytesPerSample()) {
            case 1 -> {
                // Copied so the caller may reuse or release its payload array.
                return DecodedImage.ofU8(
                        ImageU8.wrap(Arrays.copyOf(bytes, n), width, height, channels));
            }
            case 2 -> {
                short[] data = new short[n];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(data);
                return DecodedImage.ofU16(ImageU16.wrap(data, width, height, channels));
            }
            default -> {
                float[] data = new float[n];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
                return DecodedImage.ofF32(ImageF32.wrap(data, width, height, channels));
            }
        }
    }

    /** The memory a decode of this record would take, after the same checks as {@link #decode}. */
    static DecodeCost estimate(
            byte[] bytes, int width, int height, int channels, String pixelFormat)
            throws ImageDecodeException {
        PixelFormat format =
                validate(bytes, width, height, channels, pixelFormat, DecodeLimits.UNLIMITED);
        return CostModel.raw(format, width, height, channels, bytes.length);
    }

    /** Checks the record fields against each other, the payload length and the size limits. */
    private static PixelFormat validate(
            byte[] bytes,
            int width,
            int height,
            int channels,
            String pixelFormat,
            DecodeLimits limits)
            throws ImageDecodeException {
        PixelFormat format = parseFormat(pixelFormat);
        limits.check(width, height, "RAW record");
        if (channels <= 0) {
            throw new ImageDecodeException(
                    DecodeFailure.INVALID_DIMENSIONS,
                    "RAW record declares "
                            + channels
                            + " channels: set channels to the channel count of pixelFormat "
                            + format);
        }
        if (format == PixelFormat.FLOAT32) {
            if (channels > 4) {
                throw new ImageDecodeException(
                        DecodeFailure.INVALID_DIMENSIONS,
                        "RAW FLOAT32 record declares "
                                + channels
                                + " channels: 1 to 4 are supported");
            }
        } else if (channels != format.channels()) {
            throw new ImageDecodeException(
                    DecodeFailure.RAW_SIZE_MISMATCH,
                    "RAW record declares "
                            + channels
                            + " channels but pixelFormat "
                            + format
                            + " has "
                            + format.channels()
                            + ": make channels and pixelFormat agree");
        }
        long samples = (long) width * height * channels;
        long expected = samples * format.bytesPerSample();
        int actual = bytes == null ? 0 : bytes.length;
        if (actual != expected) {
            throw new ImageDecodeException(
                    DecodeFailure.RAW_SIZE_MISMATCH,
                    "RAW "
                            + format
                            + " "
                            + width
                            + "x"
                            + height
                            + "x"
                            + channels
                            + " needs exactly "
                            + expected
                            + " bytes (width*height*channels*"
                            + format.bytesPerSample()
                            + ") but the payload has "
                            + actual
                            + ": check width, height and pixelFormat against the data sent");
        }
        if (samples > Integer.MAX_VALUE - 8) {
            // Only reachable with limits raised far above the default; Java arrays cannot hold it.
            throw new ImageDecodeException(
                    DecodeFailure.TOO_MANY_PIXELS,
                    "RAW image of "
                            + samples
                            + " samples does not fit a Java array: lower the decode limits");
        }
        return format;
    }

    private static PixelFormat parseFormat(String pixelFormat) throws ImageDecodeException {
        if (pixelFormat == null || pixelFormat.isBlank()) {
            throw new ImageDecodeException(
                    DecodeFailure.RAW_SIZE_MISMATCH,
                    "RAW record has no pixelFormat: set it to one of "
                            + Arrays.toString(PixelFormat.values()));
        }
        try {
            return PixelFormat.valueOf(pixelFormat.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ImageDecodeException(
                    DecodeFailure.RAW_SIZE_MISMATCH,
                    "RAW record has unknown pixelFormat '"
                            + pixelFormat
                            + "': use one of "
                            + Arrays.toString(PixelFormat.values()),
                    e);
        }
    }
}
