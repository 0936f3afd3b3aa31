package io.edgestream.imaging.image;

/** The layout rule shared by every image type: interleaved channels, stride, offset. */
final class ImageBuffer {
    private ImageBuffer() {}

    /**
     * Checks that a {@code width x height x channels} view with {@code stride} and {@code offset}
     * fits an array of {@code length} elements.
     */
    static void check(
            String type, int length, int width, int height, int channels, int stride, int offset) {
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
    }
}
