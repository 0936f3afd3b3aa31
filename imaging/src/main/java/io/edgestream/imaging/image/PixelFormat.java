package io.edgestream.imaging.image;

/**
 * How pixels are laid out in a RAW payload. Multi-byte samples are little-endian, rows are top to
 * bottom, channels interleaved, no row padding.
 */
public enum PixelFormat {
    /** One unsigned byte per pixel. */
    GRAY8(1, 1),
    /** One unsigned 16-bit little-endian sample per pixel. */
    GRAY16(1, 2),
    /** Three unsigned bytes per pixel: red, green, blue. */
    RGB8(3, 1),
    /** Four unsigned bytes per pixel: red, green, blue, alpha. */
    RGBA8(4, 1),
    /** Three unsigned 16-bit little-endian samples per pixel. */
    RGB16(3, 2),
    /** One IEEE-754 float32 little-endian sample per pixel and channel (channels given apart). */
    FLOAT32(1, 4);

    private final int channels;
    private final int bytesPerSample;

    PixelFormat(int channels, int bytesPerSample) {
        this.channels = channels;
        this.bytesPerSample = bytesPerSample;
    }

    /** Channels per pixel; for FLOAT32 this is 1 unless the record says otherwise. */
    public int channels() {
        return channels;
    }

    public int bytesPerSample() {
        return bytesPerSample;
    }
}
