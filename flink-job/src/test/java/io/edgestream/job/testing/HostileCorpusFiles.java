package io.edgestream.job.testing;

import java.awt.Point;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * The image files of the hostile-input corpus in {@code src/test/resources/hostile/}: how each was
 * made, and {@link #main} to make them again ({@code java ... HostileCorpusFiles
 * flink-job/src/test/resources/hostile}). Tests read the committed files, so the corpus does not
 * change when an image library's encoder does.
 */
public final class HostileCorpusFiles {
    private HostileCorpusFiles() {}

    /** File name to content, as {@link #main} writes them. */
    static Map<String, byte[]> generate() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        byte[] jpeg = jpeg(smoothRgb(160, 120));
        // Cut half-way through the entropy-coded data: no end-of-image marker.
        files.put(
                "truncated.jpg", Arrays.copyOf(jpeg, jpeg.length - (jpeg.length - sos(jpeg)) / 2));
        byte[] png = TestImages.pngRgb8(24, 20, 11);
        byte[] corrupt = png.clone();
        int idat = indexOf(corrupt, "IDAT".getBytes(StandardCharsets.US_ASCII));
        corrupt[idat + 10] ^= 0x40; // one flipped bit in the IDAT data: its CRC no longer matches
        files.put("corrupted-chunk.png", corrupt);
        byte[] random = new byte[1024];
        new Random(20_261_128L).nextBytes(random);
        random[0] = 0x17; // never the C3 01 marker of Avro single-object encoding
        files.put("random.bin", random);
        files.put(
                "claims-100000x100000.png",
                io.edgestream.imaging.decode.TestImages.pngHeader(
                        100_000,
                        100_000,
                        io.edgestream.imaging.decode.TestImages.pngChunk(
                                "IDAT", new byte[] {0x78, (byte) 0x9C, 3, 0}),
                        io.edgestream.imaging.decode.TestImages.pngChunk("IEND", new byte[0])));
        files.put("gray16.png", TestImages.pngGray16(30, 22, 12));
        files.put("rgba.png", pngRgba(26, 21));
        files.put("cmyk.jpg", adobeCmykJpeg(24, 18));
        return files;
    }

    /** Reads a corpus file from the test class path. */
    public static byte[] read(String name) {
        String path = "/hostile/" + name;
        try (InputStream in = HostileCorpusFiles.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(
                        "test resource "
                                + path
                                + " is missing; regenerate it with HostileCorpusFiles.main");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/hostile");
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> f : generate().entrySet()) {
            Files.write(dir.resolve(f.getKey()), f.getValue());
        }
    }

    private static BufferedImage smoothRgb(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(
                        x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | ((x + y) * 255 / (w + h)));
            }
        }
        return img;
    }

    private static byte[] jpeg(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "jpeg", out)) {
                throw new IllegalStateException("no JPEG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] pngRgba(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        Random r = new Random(13);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int a = x < w / 2 ? 255 : 90;
                int v = (x > w / 3 && y > h / 3 ? 200 : 40) + r.nextInt(30);
                img.setRGB(x, y, a << 24 | v << 16 | (255 - v) << 8 | (v / 2));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A CMYK JPEG as Photoshop writes them: four components and an Adobe APP14 segment with
     * transform 0, samples inverted (255 = no ink). The JDK writer encodes the 4-band raster as is;
     * the APP14 segment is inserted after SOI.
     */
    private static byte[] adobeCmykJpeg(int w, int h) {
        WritableRaster cmyk =
                Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, new Point(0, 0));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int c = x < w / 2 ? 40 : 230;
                int k = y < h / 2 ? 250 : 140;
                cmyk.setPixel(x, y, new int[] {c, 255 - c / 2, 200, k});
            }
        }
        return io.edgestream.imaging.decode.TestImages.adobeCmykJpeg(cmyk);
    }

    /** Offset of the start-of-scan marker: what follows is entropy-coded image data. */
    private static int sos(byte[] jpeg) {
        int i = indexOf(jpeg, new byte[] {(byte) 0xFF, (byte) 0xDA});
        if (i < 0) {
            throw new IllegalStateException("JPEG without a start-of-scan marker");
        }
        return i;
    }

    /** Where {@code b} first occurs in {@code a}, or -1. */
    public static int indexOf(byte[] a, byte[] b) {
        outer:
        for (int i = 0; i + b.length <= a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                if (a[i + j] != b[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
