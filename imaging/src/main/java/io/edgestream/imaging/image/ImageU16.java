package io.edgestream.imaging.image;

/**
 * A 16-bit unsigned image (GRAY16, and 16-bit colour PNGs): a short array read as unsigned, with
 * the same interleaved layout, stride and offset rules as every {@link ImageBuffer}. Depth is kept:
 * a 16-bit source stays 16-bit until the caller converts it.
 */
public final class ImageU16 extends ImageBuffer {
    public final short[] data;

    public ImageU16(short[] data, int width, int height, int channels, int stride, int offset) {
        super(data.length, width, height, channels, stride, offset);
        this.data = data;
    }

    public static ImageU16 wrap(short[] data, int width, int height, int channels) {
        return new ImageU16(data, width, height, channels, width * channels, 0);
    }

    public int get(int x, int y, int c) {
        return data[index(x, y, c)] & 0xFFFF;
    }

    /** Values as float32 in 0..65535, compact. */
    public ImageF32 toF32() {
        ImageF32 out = ImageF32.allocate(width, height, channels);
        int row = rowLength();
        for (int y = 0; y < height; y++) {
            int s = offset + y * stride;
            int d = y * row;
            for (int i = 0; i < row; i++) {
                out.data[d + i] = data[s + i] & 0xFFFF;
            }
        }
        return out;
    }
}
