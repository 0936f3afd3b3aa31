package io.edgestream.imaging.image;

/**
 * An 8-bit unsigned image (GRAY8, RGB8, RGBA8): a byte array read as unsigned, with the same
 * interleaved layout, stride and offset rules as every {@link ImageBuffer}.
 */
public final class ImageU8 extends ImageBuffer {
    public final byte[] data;

    public ImageU8(byte[] data, int width, int height, int channels, int stride, int offset) {
        super(data.length, width, height, channels, stride, offset);
        this.data = data;
    }

    public static ImageU8 wrap(byte[] data, int width, int height, int channels) {
        return new ImageU8(data, width, height, channels, width * channels, 0);
    }

    public int get(int x, int y, int c) {
        return data[index(x, y, c)] & 0xFF;
    }

    /** Values as float32 in 0..255, compact. */
    public ImageF32 toF32() {
        ImageF32 out = ImageF32.allocate(width, height, channels);
        int row = rowLength();
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
