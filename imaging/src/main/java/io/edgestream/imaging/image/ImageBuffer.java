package io.edgestream.imaging.image;

/**
 * The layout shared by every image type: a primitive row-major array (held by the subclass, typed
 * by its sample depth) plus width, height, channel count, stride and start offset, so that a
 * sub-image (a tile) is a view on the same array, not a copy.
 *
 * <p>Channels are interleaved (HWC): the sample of channel {@code c} at column {@code x} and row
 * {@code y} is at {@code offset + y * stride + x * channels + c}. {@code stride} is counted in
 * array elements and is at least {@code width * channels}; the whole view lies inside the array.
 */
public abstract sealed class ImageBuffer permits ImageU8, ImageU16, ImageF32 {
    public final int width;
    public final int height;
    public final int channels;
    public final int stride;
    public final int offset;
    private final int length;

    /** Checks that the view fits an array of {@code length} elements. */
    ImageBuffer(int length, int width, int height, int channels, int stride, int offset) {
        String type = getClass().getSimpleName();
        if (width < 0 || height < 0 || channels < 1) {
            throw new IllegalArgumentException(
                    type
                            + " dimensions must be non-negative with at least one channel, got "
                            + width
                            + "x"
                            + height
                            + "x"
                            + channels);
        }
        if (stride < width * channels) {
            throw new IllegalArgumentException(
                    type
                            + " stride "
                            + stride
                            + " is smaller than width*channels "
                            + width * channels);
        }
        if (height > 0 && width > 0) {
            long last = (long) offset + (long) (height - 1) * stride + (long) width * channels;
            if (offset < 0 || last > length) {
                throw new IllegalArgumentException(
                        type
                                + " view "
                                + width
                                + "x"
                                + height
                                + "x"
                                + channels
                                + " at offset "
                                + offset
                                + " with stride "
                                + stride
                                + " does not fit an array of "
                                + length);
            }
        }
        this.length = length;
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.stride = stride;
        this.offset = offset;
    }

    /** The array index of channel {@code c} at ({@code x}, {@code y}). */
    public final int index(int x, int y, int c) {
        return offset + y * stride + x * channels + c;
    }

    /** Samples in one row of pixels: {@code width * channels}. */
    public final int rowLength() {
        return width * channels;
    }

    /** Offset 0, no row padding, and the array holds exactly these pixels. */
    public final boolean isCompact() {
        return offset == 0 && stride == rowLength() && length == rowLength() * height;
    }

    /**
     * The start offset of the view of the rectangle {@code [x, x+w) x [y, y+h)} on this image's
     * array, after checking that the rectangle lies inside the image.
     */
    final int viewOffset(int x, int y, int w, int h) {
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
        return index(x, y, 0);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + width + "x" + height + "x" + channels + "]";
    }
}
