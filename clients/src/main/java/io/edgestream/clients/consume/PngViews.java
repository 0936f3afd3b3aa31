package io.edgestream.clients.consume;

import io.edgestream.imaging.image.ImageF32;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * 8-bit PNG views of float feature maps, for people (the {@code .npy} next to each view keeps the
 * exact values). The scaling depends on the sign of the map, and is the same for every channel:
 *
 * <ul>
 *   <li><b>signed maps</b> (some value &lt; 0, e.g. {@code sobel_x}, {@code laplacian}): {@code p =
 *       128 + 127 * v / max|v|}, so 0 is mid-grey 128, the strongest positive response white (255)
 *       and the strongest negative one almost black (1);
 *   <li><b>non-negative maps</b> (e.g. gradient magnitudes {@code sobel}): {@code p = 255 * v / max
 *       v}, so 0 is black and the strongest edge white;
 *   <li>an all-zero map is mid-grey (signed rule) — there is nothing to see either way;
 *   <li>NaN samples are drawn black, infinities are ignored for the scale and drawn as the extremes
 *       (values are clamped to 0..255 after scaling).
 * </ul>
 *
 * Values are rounded to the nearest integer. One channel gives a grey PNG; three or more give an
 * RGB PNG of the first three channels (per-channel colour mode); two give grey of channel 0.
 */
public final class PngViews {

    private PngViews() {}

    /** The scale in use for {@code map}: signed (mid-grey zero) or magnitude (black zero). */
    public record Scale(boolean signed, float maxAbs) {
        /** The 8-bit value for {@code v}. */
        public int apply(float v) {
            if (Float.isNaN(v)) {
                return 0;
            }
            double p;
            if (maxAbs == 0f) {
                p = signed ? 128 : 0;
            } else if (signed) {
                p = 128.0 + 127.0 * v / maxAbs;
            } else {
                p = 255.0 * v / maxAbs;
            }
            long r = Math.round(p);
            return (int) Math.max(0, Math.min(255, r));
        }
    }

    /** Chooses the scale from the finite values of {@code map}. */
    public static Scale scaleOf(ImageF32 map) {
        boolean negative = false;
        boolean any = false;
        float maxAbs = 0f;
        for (int y = 0; y < map.height; y++) {
            int base = map.offset + y * map.stride;
            for (int i = 0; i < map.width * map.channels; i++) {
                float v = map.data[base + i];
                if (!Float.isFinite(v)) {
                    continue;
                }
                any = true;
                if (v < 0) {
                    negative = true;
                }
                maxAbs = Math.max(maxAbs, Math.abs(v));
            }
        }
        // An all-zero (or all-NaN) map has no sign: show it as the signed mid-grey.
        boolean signed = negative || !any || maxAbs == 0f;
        return new Scale(signed, maxAbs);
    }

    /** The 8-bit view of {@code map} as an image ready for {@link ImageIO}. */
    public static BufferedImage toImage(ImageF32 map) {
        Scale s = scaleOf(map);
        boolean rgb = map.channels >= 3;
        BufferedImage img =
                new BufferedImage(
                        map.width,
                        map.height,
                        rgb ? BufferedImage.TYPE_3BYTE_BGR : BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        int c = map.channels;
        for (int y = 0; y < map.height; y++) {
            int base = map.offset + y * map.stride;
            for (int x = 0; x < map.width; x++) {
                int at = base + x * c;
                if (rgb) {
                    int o = (y * map.width + x) * 3;
                    px[o] = (byte) s.apply(map.data[at + 2]);
                    px[o + 1] = (byte) s.apply(map.data[at + 1]);
                    px[o + 2] = (byte) s.apply(map.data[at]);
                } else {
                    px[y * map.width + x] = (byte) s.apply(map.data[at]);
                }
            }
        }
        return img;
    }

    /** Writes the 8-bit view of {@code map} to {@code path} (atomically). */
    public static void write(ImageF32 map, Path path) throws IOException {
        writePng(toImage(map), path, false);
    }

    /** Writes the 8-bit view of {@code map} to {@code path} ({@link AtomicFiles}). */
    public static void write(ImageF32 map, Path path, boolean durable) throws IOException {
        writePng(toImage(map), path, durable);
    }

    /** Writes any image as PNG to {@code path} (temporary file, then rename). */
    public static void writePng(BufferedImage img, Path path) throws IOException {
        writePng(img, path, false);
    }

    /**
     * Writes any image as PNG to {@code path} atomically; with {@code durable} also forced to disk
     * ({@link AtomicFiles}).
     */
    public static void writePng(BufferedImage img, Path path, boolean durable) throws IOException {
        AtomicFiles.write(
                path,
                ".png",
                durable,
                out -> {
                    if (!ImageIO.write(img, "png", out)) {
                        throw new IOException("no PNG writer available in this JVM for " + path);
                    }
                });
    }

    /**
     * A thumbnail at most {@code maxSide} pixels on its longer side (never enlarged), for the
     * gallery.
     */
    public static BufferedImage thumbnail(BufferedImage src, int maxSide) {
        int w = src.getWidth();
        int h = src.getHeight();
        double f = Math.min(1.0, (double) maxSide / Math.max(w, h));
        int tw = Math.max(1, (int) Math.round(w * f));
        int th = Math.max(1, (int) Math.round(h * f));
        if (tw == w && th == h) {
            return src;
        }
        int type =
                src.getType() == BufferedImage.TYPE_BYTE_GRAY
                        ? BufferedImage.TYPE_BYTE_GRAY
                        : BufferedImage.TYPE_3BYTE_BGR;
        BufferedImage out = new BufferedImage(tw, th, type);
        java.awt.Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(
                    RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, 0, 0, tw, th, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
