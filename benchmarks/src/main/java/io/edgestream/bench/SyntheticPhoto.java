package io.edgestream.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * A deterministic photo-like test image (smooth colour gradients, soft-edged shapes and sensor-like
 * noise), so that JPEG and PNG files compress like real photos rather than like noise or flat
 * colour, and the files the benchmarks decode are the same on every machine.
 *
 * <p>{@code main(dir [size])} writes {@code photo-<size>.jpg} (quality 0.90, the JDK writer's
 * default 4:2:0 chroma subsampling) and {@code photo-<size>.png} (RGB8) into {@code dir}; the bench
 * script runs it once and gives the same files to the JMH and OpenCV sides.
 */
public final class SyntheticPhoto {
    private SyntheticPhoto() {}

    /** Interleaved RGB8 pixels, row-major, {@code w * h * 3} bytes. */
    public static byte[] rgb(int w, int h, long seed) {
        Random rnd = new Random(seed);
        int shapes = 24;
        double[][] s = new double[shapes][];
        for (int i = 0; i < shapes; i++) {
            // centre x, centre y, radius, r, g, b, kind (0 disc, 1 box)
            s[i] =
                    new double[] {
                        rnd.nextDouble() * w,
                        rnd.nextDouble() * h,
                        (0.03 + rnd.nextDouble() * 0.15) * Math.min(w, h),
                        rnd.nextInt(256),
                        rnd.nextInt(256),
                        rnd.nextInt(256),
                        rnd.nextInt(2)
                    };
        }
        byte[] px = new byte[w * h * 3];
        double[] c = new double[3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = (double) x / w;
                double v = (double) y / h;
                c[0] = 120 + 80 * Math.sin(2.1 * u + 1.3 * v);
                c[1] = 110 + 70 * Math.cos(1.7 * v - 0.9 * u + 0.5);
                c[2] = 100 + 60 * Math.sin(3.0 * u * v + 0.2);
                for (double[] sh : s) {
                    double dx = x - sh[0];
                    double dy = y - sh[1];
                    double d =
                            sh[6] == 0
                                    ? Math.sqrt(dx * dx + dy * dy) - sh[2]
                                    : Math.max(Math.abs(dx), Math.abs(dy)) - sh[2];
                    // Soft edge about 1.5 px wide, like an optical edge.
                    double a = 1 / (1 + Math.exp(d / 1.5));
                    if (a > 1e-3) {
                        for (int k = 0; k < 3; k++) {
                            c[k] = c[k] * (1 - a) + sh[3 + k] * a;
                        }
                    }
                }
                int i = (y * w + x) * 3;
                for (int k = 0; k < 3; k++) {
                    double n = c[k] + rnd.nextGaussian() * 4;
                    px[i + k] = (byte) Math.max(0, Math.min(255, (int) Math.round(n)));
                }
            }
        }
        return px;
    }

    /** The luma (BT.601 integer weights) of {@link #rgb}, one byte per pixel. */
    public static byte[] grey(int w, int h, long seed) {
        byte[] rgb = rgb(w, h, seed);
        byte[] g = new byte[w * h];
        for (int i = 0; i < g.length; i++) {
            int r = rgb[3 * i] & 0xFF;
            int gg = rgb[3 * i + 1] & 0xFF;
            int b = rgb[3 * i + 2] & 0xFF;
            g[i] = (byte) ((77 * r + 150 * gg + 29 * b + 128) >> 8);
        }
        return g;
    }

    static BufferedImage toImage(byte[] rgb, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                img.setRGB(
                        x,
                        y,
                        ((rgb[i] & 0xFF) << 16) | ((rgb[i + 1] & 0xFF) << 8) | (rgb[i + 2] & 0xFF));
            }
        }
        return img;
    }

    /** Writes the JPEG and PNG of a {@code size x size} photo into {@code dir}, if missing. */
    public static void write(Path dir, int size) throws IOException {
        Files.createDirectories(dir);
        Path jpg = dir.resolve("photo-" + size + ".jpg");
        Path png = dir.resolve("photo-" + size + ".png");
        if (Files.exists(jpg) && Files.exists(png)) {
            return;
        }
        BufferedImage img = toImage(rgb(size, size, 42), size, size);
        // The JDK's own writer, by class name: TwelveMonkeys may register a JPEG writer too.
        ImageWriter jw = null;
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg");
                it.hasNext(); ) {
            ImageWriter cand = it.next();
            if (cand.getClass().getName().startsWith("com.sun.")) {
                jw = cand;
            }
        }
        if (jw == null) {
            throw new IllegalStateException("the JDK's JPEG writer is missing from ImageIO");
        }
        ImageWriteParam p = jw.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(0.90f);
        Path tmp = Files.createTempFile(dir, "photo", ".jpg.tmp");
        try (ImageOutputStream out = ImageIO.createImageOutputStream(tmp.toFile())) {
            jw.setOutput(out);
            jw.write(null, new IIOImage(img, null, null), p);
        } finally {
            jw.dispose();
        }
        Files.move(tmp, jpg, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        tmp = Files.createTempFile(dir, "photo", ".png.tmp");
        if (!ImageIO.write(img, "png", tmp.toFile())) {
            throw new IllegalStateException("no PNG writer in ImageIO");
        }
        Files.move(tmp, png, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: SyntheticPhoto <output-dir> [size, default 1000]");
            System.exit(2);
        }
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        write(Path.of(args[0]), size);
        System.out.println(Path.of(args[0]).resolve("photo-" + size + ".jpg"));
        System.out.println(Path.of(args[0]).resolve("photo-" + size + ".png"));
    }
}
