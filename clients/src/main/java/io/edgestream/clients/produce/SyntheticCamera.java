package io.edgestream.clients.produce;

import io.edgestream.schemas.PixelFormat;

/**
 * A fake camera for demos and load tests: frames of a scene with clear edges that move from frame
 * to frame, so every edge filter has something to find and consecutive maps differ. The scene is a
 * horizontal brightness ramp (weak, smooth edges), a bright rectangle sliding left to right (strong
 * vertical and horizontal edges), a dark disc moving diagonally (edges in every direction), and a
 * band of thin vertical stripes near the bottom (high-frequency texture). In RGB8 the shapes have
 * different colours, so per-channel maps differ too.
 *
 * <p>Frames are a pure function of (size, format, sequence): the same sequence number always gives
 * the same pixels, so tests can recompute what was sent. Pixels are packed HWC bytes (GRAY8: one
 * byte per pixel; RGB8: R, G, B), as the {@code RAW} encoding expects.
 */
public final class SyntheticCamera {
    private final int width;
    private final int height;
    private final PixelFormat format;

    /**
     * @param format {@link PixelFormat#GRAY8} or {@link PixelFormat#RGB8}
     * @throws IllegalArgumentException for another format or a size below 8x8
     */
    public SyntheticCamera(int width, int height, PixelFormat format) {
        if (format != PixelFormat.GRAY8 && format != PixelFormat.RGB8) {
            throw new IllegalArgumentException(
                    "the synthetic camera makes GRAY8 or RGB8 frames, not " + format);
        }
        if (width < 8 || height < 8) {
            throw new IllegalArgumentException(
                    "synthetic frames must be at least 8x8, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.format = format;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public PixelFormat format() {
        return format;
    }

    public int channels() {
        return format == PixelFormat.RGB8 ? 3 : 1;
    }

    /** The packed pixels of frame {@code sequence}. */
    public byte[] frame(long sequence) {
        int c = channels();
        byte[] px = new byte[width * height * c];
        // Shapes move a few pixels per frame and wrap around, scaled to the frame size.
        int rectW = Math.max(2, width / 5);
        int rectH = Math.max(2, height / 3);
        int step = Math.max(1, width / 40);
        int rectX = (int) Math.floorMod(sequence * step, (long) width + rectW) - rectW;
        int rectY = height / 6;
        int radius = Math.max(2, Math.min(width, height) / 8);
        int span = Math.max(1, Math.min(width, height) - 2 * radius);
        int diag = (int) Math.floorMod(sequence * Math.max(1, step / 2 + 1), 2L * span);
        int pos = diag < span ? diag : 2 * span - diag;
        int cx = radius + pos * (width - 2 * radius) / span;
        int cy = radius + pos * (height - 2 * radius) / span;
        int stripeTop = height - Math.max(2, height / 8);
        int stripePeriod = 4;
        long r2 = (long) radius * radius;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int grey = 40 + 80 * x / Math.max(1, width - 1);
                int r = grey;
                int g = grey;
                int b = grey;
                if (x >= rectX && x < rectX + rectW && y >= rectY && y < rectY + rectH) {
                    r = 250;
                    g = 230;
                    b = 60;
                }
                long dx = x - cx;
                long dy = y - cy;
                if (dx * dx + dy * dy <= r2) {
                    r = 20;
                    g = 40;
                    b = 160;
                }
                if (y >= stripeTop
                        && Math.floorMod(x + sequence, stripePeriod) < stripePeriod / 2) {
                    r = 220;
                    g = 220;
                    b = 220;
                }
                int at = (y * width + x) * c;
                if (c == 1) {
                    // BT.601 luma of the colour scene, so grey and colour frames show the same
                    // edges.
                    px[at] = (byte) Math.round(0.299f * r + 0.587f * g + 0.114f * b);
                } else {
                    px[at] = (byte) r;
                    px[at + 1] = (byte) g;
                    px[at + 2] = (byte) b;
                }
            }
        }
        return px;
    }
}
