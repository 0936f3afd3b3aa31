package io.edgestream.imaging.decode;

import io.edgestream.imaging.image.ImageBuffer;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.image.ImageU16;
import io.edgestream.imaging.image.ImageU8;
import io.edgestream.imaging.image.PixelFormat;
import java.util.Objects;

/**
 * The pixels of one decoded image in exactly one of the three buffer types, with the source depth
 * kept: 8-bit sources are {@link ImageU8}, 16-bit sources {@link ImageU16}, float sources {@link
 * ImageF32}. Use {@link #bitDepth()} to see which accessor applies, or {@link #toF32()} to get
 * floats whatever the source.
 *
 * <p>Nominal range ({@link #minValue()}, {@link #maxValue()}): 0..255 for 8-bit, 0..65535 for
 * 16-bit. For FLOAT32 it is the smallest and largest <em>finite</em> value actually present. NaN
 * and ±Infinity samples are kept unchanged in the buffer (they will propagate through a
 * convolution, which is the honest outcome) but are ignored when computing the range; an image with
 * no finite sample reports NaN for both.
 */
public final class DecodedImage {
    private final ImageU8 u8;
    private final ImageU16 u16;
    private final ImageF32 f32;
    private final PixelFormat format;
    private final float min;
    private final float max;

    private DecodedImage(ImageU8 u8, ImageU16 u16, ImageF32 f32, PixelFormat format) {
        this.u8 = u8;
        this.u16 = u16;
        this.f32 = f32;
        this.format = format;
        if (f32 != null) {
            float[] range = finiteRange(f32);
            this.min = range[0];
            this.max = range[1];
        } else if (u16 != null) {
            this.min = 0f;
            this.max = 65535f;
        } else {
            this.min = 0f;
            this.max = 255f;
        }
    }

    /** An 8-bit image with 1 (GRAY8), 3 (RGB8) or 4 (RGBA8) channels. */
    public static DecodedImage ofU8(ImageU8 image) {
        Objects.requireNonNull(image, "image");
        PixelFormat format =
                switch (image.channels) {
                    case 1 -> PixelFormat.GRAY8;
                    case 3 -> PixelFormat.RGB8;
                    case 4 -> PixelFormat.RGBA8;
                    default ->
                            throw new IllegalArgumentException(
                                    "an 8-bit image must have 1, 3 or 4 channels, got "
                                            + image.channels);
                };
        return new DecodedImage(image, null, null, format);
    }

    /** A 16-bit image with 1 (GRAY16) or 3 (RGB16) channels. */
    public static DecodedImage ofU16(ImageU16 image) {
        Objects.requireNonNull(image, "image");
        PixelFormat format =
                switch (image.channels) {
                    case 1 -> PixelFormat.GRAY16;
                    case 3 -> PixelFormat.RGB16;
                    default ->
                            throw new IllegalArgumentException(
                                    "a 16-bit image must have 1 or 3 channels, got "
                                            + image.channels);
                };
        return new DecodedImage(null, image, null, format);
    }

    /** A float image (FLOAT32) with any number of channels. */
    public static DecodedImage ofF32(ImageF32 image) {
        Objects.requireNonNull(image, "image");
        return new DecodedImage(null, null, image, PixelFormat.FLOAT32);
    }

    public PixelFormat format() {
        return format;
    }

    public int width() {
        return pixels().width;
    }

    public int height() {
        return pixels().height;
    }

    public int channels() {
        return pixels().channels;
    }

    /** Whichever of the three buffers is held, for its layout. */
    private ImageBuffer pixels() {
        return u8 != null ? u8 : u16 != null ? u16 : f32;
    }

    /** Bits per sample: 8, 16 or 32 (float). */
    public int bitDepth() {
        return u8 != null ? 8 : u16 != null ? 16 : 32;
    }

    /** The 8-bit pixels; only valid when {@link #bitDepth()} is 8. */
    public ImageU8 u8() {
        if (u8 == null) {
            throw new IllegalStateException("image is " + format + ", not 8-bit: use u16()/f32()");
        }
        return u8;
    }

    /** The 16-bit pixels; only valid when {@link #bitDepth()} is 16. */
    public ImageU16 u16() {
        if (u16 == null) {
            throw new IllegalStateException("image is " + format + ", not 16-bit: use u8()/f32()");
        }
        return u16;
    }

    /** The float pixels; only valid when {@link #bitDepth()} is 32. */
    public ImageF32 f32() {
        if (f32 == null) {
            throw new IllegalStateException("image is " + format + ", not float: use u8()/u16()");
        }
        return f32;
    }

    /**
     * The pixels as floats, unscaled: 0..255 for 8-bit, 0..65535 for 16-bit. For a FLOAT32 image
     * this is the held image itself (not a copy); otherwise a new compact image.
     */
    public ImageF32 toF32() {
        if (f32 != null) {
            return f32;
        }
        return u8 != null ? u8.toF32() : u16.toF32();
    }

    /** Lower end of the nominal range: 0, or the smallest finite sample for FLOAT32. */
    public float minValue() {
        return min;
    }

    /** Upper end of the nominal range: 255, 65535, or the largest finite sample for FLOAT32. */
    public float maxValue() {
        return max;
    }

    @Override
    public String toString() {
        return "DecodedImage[" + width() + "x" + height() + "x" + channels() + " " + format + "]";
    }

    private static float[] finiteRange(ImageF32 image) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        int row = image.width * image.channels;
        float[] d = image.data;
        for (int y = 0; y < image.height; y++) {
            int start = image.offset + y * image.stride;
            for (int i = start, end = start + row; i < end; i++) {
                float v = d[i];
                // Float.isFinite(v) is false for NaN and both infinities.
                if (Float.isFinite(v)) {
                    if (v < lo) {
                        lo = v;
                    }
                    if (v > hi) {
                        hi = v;
                    }
                }
            }
        }
        if (lo > hi) {
            return new float[] {Float.NaN, Float.NaN};
        }
        return new float[] {lo, hi};
    }
}
