package io.edgestream.imaging.image;

/**
 * An 8-bit unsigned image (GRAY8, RGB8, RGBA8): a byte array read as unsigned, with the same
 * interleaved layout, stride and offset rules as {@link ImageF32}.
 */
public final class ImageU8 {
    public final byte[] data;
    public final int width;
    public final int height;
    public final int channels;
    public final int stride;
    public final int offset;

    public ImageU8(byte[] data, int width, int height, int channels, int stride, int offset) {
        ImageBuffer.check("ImageU8", data.length, width, height, channels, stride, offset);
        this.data = data;
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.stride = stride;
        this.offset = offset;
    }

    public static ImageU8 wrap(byte[] data, int width, int height, int channels) {
        return new ImageU8(data, width, height, channels, width * channels, 0);
    }

    public int get(int x, int y, int c) {
        return data[offset + y * stride + x * channels + c] & 0xFF;
    }

    /** Values as float32 in 0..255, compact. */
    public ImageF32 toF32() {
        ImageF32 out = ImageF32.allocate(width, height, channels);
        int row = width * channels;
        for (int y = 0; y < height; y++) {
            int s = offset + y * stride;
            int d = y * row;
            for (int i = 0; i < row; i++) {
                out.data[d + i] = data[s + i] & 0xFF;
            }
        }
        return out;
    }
}
