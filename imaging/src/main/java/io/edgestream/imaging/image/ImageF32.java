package io.edgestream.imaging.image;

import java.util.Arrays;

/**
 * A float32 image: a primitive row-major array plus width, height, channel count, stride and start
 * offset, so that a sub-image (a tile) is a view on the same array, not a copy.
 *
 * <p>Channels are interleaved (HWC): the value of channel {@code c} at column {@code x} and row
 * {@code y} is {@code data[offset + y * stride + x * channels + c]}. {@code stride} is counted in
 * array elements and is at least {@code width * channels}.
 */
public final class ImageF32 {
    public final float[] data;
    public final int width;
    public final int height;
    public final int channels;
    public final int stride;
    public final int offset;

    public ImageF32(float[] data, int width, int height, int channels, int stride, int offset) {
        ImageBuffer.check("ImageF32", data.length, width, height, channels, stride, offset);
        this.data = data;
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.stride = stride;
        this.offset = offset;
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

    public int index(int x, int y, int c) {
        return offset + y * stride + x * channels + c;
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
        if (x < 0 || y < 0 || w < 0 || h < 0 || x + w > width || y + h > height) {
            throw new IllegalArgumentException(
                    "view ["
                            + x
                            + ","
                            + y
                            + " "
                            + w
                            + "x"
                            + h
                            + "] is outside the "
                            + width
                            + "x"
                            + height
                            + " image");
        }
        return new ImageF32(data, w, h, channels, stride, offset + y * stride + x * channels);
    }

    public boolean isCompact() {
        return offset == 0
                && stride == width * channels
                && data.length == width * height * channels;
    }

    /** A compact copy (the same array if this image is already compact and {@code share}). */
    public ImageF32 compact() {
        float[] out = new float[width * height * channels];
        int row = width * channels;
        for (int y = 0; y < height; y++) {
            System.arraycopy(data, offset + y * stride, out, y * row, row);
        }
        return wrap(out, width, height, channels);
    }

    /** Pixel values row by row, for tests and debugging. */
    public float[] toArray() {
        return compact().data;
    }

    @Override
    public String toString() {
        return "ImageF32[" + width + "x" + height + "x" + channels + "]";
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
