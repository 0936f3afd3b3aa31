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
        checkPair(gx, gy);
        ImageF32 out = ImageF32.allocate(gx.width, gx.height, 1);
        magnitudeInto(gx, gy, out);
        return out;
    }

    /** {@link #magnitude} into a caller-provided single-channel buffer of the same size. */
    public static void magnitudeInto(ImageF32 gx, ImageF32 gy, ImageF32 out) {
        checkPair(gx, gy);
        checkOut(gx, out);
        for (int y = 0; y < gx.height; y++) {
            int a = gx.offset + y * gx.stride;
            int b = gy.offset + y * gy.stride;
            int o = out.offset + y * out.stride;
            for (int x = 0; x < gx.width; x++) {
                out.data[o + x] = magnitude(gx.data[a + x], gy.data[b + x]);
            }
        }
    }

    /** The magnitude formula for one pixel. */
    public static float magnitude(float gx, float gy) {
        return (float) Math.sqrt(Math.fma(gx, gx, gy * gy));
    }

    /** {@code atan2(gy, gx)} per pixel, radians in {@code (-pi, pi]}, as a new image. */
    public static ImageF32 orientation(ImageF32 gx, ImageF32 gy) {
        checkPair(gx, gy);
        ImageF32 out = ImageF32.allocate(gx.width, gx.height, 1);
        orientationInto(gx, gy, out);
        return out;
    }

    /** {@link #orientation} into a caller-provided single-channel buffer of the same size. */
    public static void orientationInto(ImageF32 gx, ImageF32 gy, ImageF32 out) {
        checkPair(gx, gy);
        checkOut(gx, out);
        for (int y = 0; y < gx.height; y++) {
            int a = gx.offset + y * gx.stride;
            int b = gy.offset + y * gy.stride;
            int o = out.offset + y * out.stride;
            for (int x = 0; x < gx.width; x++) {
                out.data[o + x] = orientation(gx.data[a + x], gy.data[b + x]);
            }
        }
    }

    /** The orientation formula for one pixel. */
    public static float orientation(float gx, float gy) {
        double a = Math.atan2(gy, gx);
        return a == -Math.PI ? (float) Math.PI : (float) a;
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
