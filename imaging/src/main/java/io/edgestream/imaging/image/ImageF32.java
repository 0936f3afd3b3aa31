package io.edgestream.imaging.image;

import java.util.Arrays;

/**
 * A float32 image, laid out as every {@link ImageBuffer}: a sub-image (a tile) is a {@link #view}
 * on the same array, not a copy.
 */
public final class ImageF32 extends ImageBuffer {
    public final float[] data;

    public ImageF32(float[] data, int width, int height, int channels, int stride, int offset) {
        super(data.length, width, height, channels, stride, offset);
        this.data = data;
    }

    /** A compact (stride = width*channels, offset 0) image wrapping {@code data}. */
    public static ImageF32 wrap(float[] data, int width, int height, int channels) {
        return new ImageF32(data, width, height, channels, width * channels, 0);
    }

    /** A new zero-filled compact image. */
    public static ImageF32 allocate(int width, int height, int channels) {
        return wrap(
                new float[Math.multiplyExact(Math.multiplyExact(width, height), channels)],
                width,
                height,
                channels);
    }

    public float get(int x, int y, int c) {
        return data[index(x, y, c)];
    }

    public float get(int x, int y) {
        return data[index(x, y, 0)];
    }

    public void set(int x, int y, int c, float v) {
        data[index(x, y, c)] = v;
    }

    /** A view of the rectangle [x, x+w) x [y, y+h) sharing this image's array. */
    public ImageF32 view(int x, int y, int w, int h) {
        return new ImageF32(data, w, h, channels, stride, viewOffset(x, y, w, h));
    }

    /** A compact copy (the same array if this image is already compact and {@code share}). */
    public ImageF32 compact() {
        int row = rowLength();
        float[] out = new float[row * height];
        for (int y = 0; y < height; y++) {
            System.arraycopy(data, offset + y * stride, out, y * row, row);
        }
        return wrap(out, width, height, channels);
    }

    /** Pixel values row by row, for tests and debugging. */
    public float[] toArray() {
        return compact().data;
    }

    /** Equal sizes and bit-identical values (NaN equals NaN, -0 differs from +0). */
    public boolean contentEquals(ImageF32 o) {
        if (o.width != width || o.height != height || o.channels != channels) {
            return false;
        }
        float[] a = toArray();
        float[] b = o.toArray();
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toArray()) * 31 + width;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageF32 other && contentEquals(other);
    }
}
