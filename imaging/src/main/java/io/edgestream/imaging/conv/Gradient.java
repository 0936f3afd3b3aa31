package io.edgestream.imaging.conv;

import io.edgestream.imaging.image.ImageF32;

/**
 * Per-pixel gradient magnitude and orientation from a pair of derivative maps (e.g. {@code SOBEL_X}
 * and {@code SOBEL_Y} responses). Fixed formulas, so results are reproducible bit for bit on any
 * tiling: magnitude {@code (float) Math.sqrt(Math.fma(gx, gx, gy * gy))} (float arithmetic,
 * correctly rounded square root) and orientation {@code (float) Math.atan2(gy, gx)} in radians in
 * {@code (-pi, pi]} (an exact {@code -pi} is reported as {@code +pi}). With this product's kernels
 * an orientation of 0 means the image gets darker to the right; see {@code Kernels}.
 */
public final class Gradient {
    private Gradient() {}

    /** {@code sqrt(gx^2 + gy^2)} per pixel as a new single-channel image. */
    public static ImageF32 magnitude(ImageF32 gx, ImageF32 gy) {
        return perPixel(gx, gy, false);
    }

    /** {@link #magnitude} into a caller-provided single-channel buffer of the same size. */
    public static void magnitudeInto(ImageF32 gx, ImageF32 gy, ImageF32 out) {
        perPixelInto(gx, gy, out, false);
    }

    /**
     * {@link #magnitude(float, float)} of {@code n} pairs, {@code gx[gxOff + i]} with {@code
     * gy[gyOff + i]}, into {@code out[outOff + i]}: the same bits, in vector lanes when the Vector
     * API is in use.
     */
    public static void magnitudeInto(
            float[] gx, int gxOff, float[] gy, int gyOff, float[] out, int outOff, int n) {
        magnitudeInto(Convolution.engine(), gx, gxOff, gy, gyOff, out, outOff, n);
    }

    static void magnitudeInto(
            ConvEngine e,
            float[] gx,
            int gxOff,
            float[] gy,
            int gyOff,
            float[] out,
            int outOff,
            int n) {
        if (n < 0
                || gxOff < 0
                || gyOff < 0
                || outOff < 0
                || gxOff + n > gx.length
                || gyOff + n > gy.length
                || outOff + n > out.length) {
            throw new IndexOutOfBoundsException(
                    n
                            + " magnitudes from gx["
                            + gxOff
                            + "], gy["
                            + gyOff
                            + "] into out["
                            + outOff
                            + "] do not fit arrays of "
                            + gx.length
                            + ", "
                            + gy.length
                            + " and "
                            + out.length);
        }
        e.magnitude(gx, gxOff, gy, gyOff, out, outOff, n);
    }

    /** The magnitude formula for one pixel. */
    public static float magnitude(float gx, float gy) {
        return (float) Math.sqrt(Math.fma(gx, gx, gy * gy));
    }

    /** {@code atan2(gy, gx)} per pixel, radians in {@code (-pi, pi]}, as a new image. */
    public static ImageF32 orientation(ImageF32 gx, ImageF32 gy) {
        return perPixel(gx, gy, true);
    }

    /** {@link #orientation} into a caller-provided single-channel buffer of the same size. */
    public static void orientationInto(ImageF32 gx, ImageF32 gy, ImageF32 out) {
        perPixelInto(gx, gy, out, true);
    }

    /** The orientation formula for one pixel. */
    public static float orientation(float gx, float gy) {
        double a = Math.atan2(gy, gx);
        return a == -Math.PI ? (float) Math.PI : (float) a;
    }

    /** {@link #perPixelInto} into a new single-channel image. */
    private static ImageF32 perPixel(ImageF32 gx, ImageF32 gy, boolean orientation) {
        checkPair(gx, gy);
        ImageF32 out = ImageF32.allocate(gx.width, gx.height, 1);
        perPixelInto(gx, gy, out, orientation);
        return out;
    }

    /**
     * {@link #magnitude(float, float)} (row by row through {@link #magnitudeInto(float[], int,
     * float[], int, float[], int, int)}) or, with {@code orientation}, {@link #orientation(float,
     * float)} of each pixel pair into {@code out}.
     */
    private static void perPixelInto(ImageF32 gx, ImageF32 gy, ImageF32 out, boolean orientation) {
        checkPair(gx, gy);
        checkOut(gx, out);
        for (int y = 0; y < gx.height; y++) {
            int a = gx.offset + y * gx.stride;
            int b = gy.offset + y * gy.stride;
            int o = out.offset + y * out.stride;
            if (!orientation) {
                magnitudeInto(gx.data, a, gy.data, b, out.data, o, gx.width);
                continue;
            }
            for (int x = 0; x < gx.width; x++) {
                float u = gx.data[a + x];
                float v = gy.data[b + x];
                out.data[o + x] = orientation(u, v);
            }
        }
    }

    private static void checkPair(ImageF32 gx, ImageF32 gy) {
        if (gx.width != gy.width
                || gx.height != gy.height
                || gx.channels != 1
                || gy.channels != 1) {
            throw new IllegalArgumentException(
                    "gradient maps must be single-channel and the same size, got "
                            + gx
                            + " and "
                            + gy);
        }
    }

    private static void checkOut(ImageF32 gx, ImageF32 out) {
        if (out.width != gx.width || out.height != gx.height || out.channels != 1) {
            throw new IllegalArgumentException(
                    "output " + out + " must be single-channel " + gx.width + "x" + gx.height);
        }
    }
}
