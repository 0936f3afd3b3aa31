package io.edgestream.imaging.decode;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The variants of {@link DecodeCostTest} (and a striped float TIFF and a 301-page TIFF), at sizes
 * where the image dominates a JVM's own heap: the decoded samples are 24 to 48 MB (3 to 24 MP,
 * fewer pixels for float and 16-bit samples), so that a heap of the estimate plus a fixed baseline
 * of a few MB says something about the estimate, and 60% of them is well below what any decode
 * needs. Generated quickly (samples written straight into the rasters' arrays) and encoded with the
 * JDK's ImageIO writers or by hand ({@link TiffWriter}).
 */
final class LivePeakCases {
    private LivePeakCases() {}

    /**
     * One variant: how to make its payload, and the record fields RAW needs (0 and null for encoded
     * images, whose header decides).
     */
    record Case(
            String name,
            String encoding,
            Supplier<byte[]> bytes,
            int width,
            int height,
            int channels,
            String pixelFormat) {
        static Case of(String name, String encoding, Supplier<byte[]> bytes) {
            return new Case(name, encoding, bytes, 0, 0, 0, null);
        }

        DecodeCost estimate(byte[] payload) throws ImageDecodeException {
            return ImageDecoder.estimate(payload, encoding, width, height, channels, pixelFormat);
        }

        /** The child's arguments for a payload stored in {@code file}. */
        List<String> args(java.nio.file.Path file) {
            return List.of(
                    file.toString(),
                    encoding,
                    Integer.toString(width),
                    Integer.toString(height),
                    Integer.toString(channels),
                    pixelFormat == null ? "-" : pixelFormat);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> all() {
        List<Case> c = new ArrayList<>();
        // PNG: 24 MP grey, 12 MP colour, fewer pixels for 16-bit samples and alpha.
        c.add(png("PNG grey 8", () -> image(6000, 4000, GRAY)));
        c.add(png("PNG grey 16", () -> image(4000, 4000, GRAY16)));
        c.add(png("PNG grey+alpha 8", () -> component(6000, 4000, ColorSpace.CS_GRAY, 2, 8)));
        c.add(png("PNG grey+alpha 16", () -> component(4000, 3000, ColorSpace.CS_GRAY, 2, 16)));
        c.add(png("PNG RGB 8", () -> image(4000, 3000, BGR)));
        c.add(png("PNG RGB 16", () -> component(3000, 2000, ColorSpace.CS_sRGB, 3, 16)));
        c.add(png("PNG RGBA 8", () -> image(4000, 2500, ABGR)));
        c.add(png("PNG RGBA 16", () -> component(3000, 2000, ColorSpace.CS_sRGB, 4, 16)));
        c.add(png("PNG palette 8", () -> image(4000, 3000, INDEXED)));
        for (int bits : new int[] {1, 2, 4}) {
            c.add(png("PNG palette " + bits, () -> packed(4000, 3000, bits, false, false)));
            c.add(png("PNG grey " + bits, () -> packed(6000, 4000, bits, true, false)));
        }
        c.add(png("PNG palette 4 + tRNS", () -> packed(4000, 3000, 4, false, true)));
        c.add(
                Case.of(
                        "PNG RGB 8 interlaced",
                        "PNG",
                        () -> DecodeCostTest.interlacedPng(image(4000, 3000, BGR))));
        c.add(Case.of("PNG RGB 8 + tRNS", "PNG", () -> trns(image(4000, 3000, BGR), 6)));
        c.add(Case.of("PNG grey 16 + tRNS", "PNG", () -> trns(image(4000, 3000, GRAY16), 2)));
        // JPEG
        c.add(jpeg("JPEG baseline RGB", () -> image(4000, 3000, BGR), false));
        c.add(jpeg("JPEG baseline grey", () -> image(6000, 4000, GRAY), false));
        c.add(jpeg("JPEG progressive RGB", () -> image(4000, 3000, BGR), true));
        c.add(jpeg("JPEG progressive grey", () -> image(6000, 4000, GRAY), true));
        c.add(Case.of("JPEG CMYK", "JPEG", () -> cmyk(4000, 3000)));
        c.add(Case.of("JPEG YCCK", "JPEG", () -> DecodeCostTest.ycck(cmyk(4000, 3000))));
        c.add(
                Case.of(
                        "JPEG RGB + ICC profile",
                        "JPEG",
                        () -> DecodeCostTest.withIcc(jpeg(image(4000, 3000, BGR), false))));
        // BMP
        c.add(bmp("BMP grey 8", () -> image(6000, 4000, GRAY), null));
        c.add(bmp("BMP palette 8", () -> image(4000, 3000, INDEXED), null));
        c.add(bmp("BMP palette 4", () -> packed(4000, 3000, 4, false, false), null));
        c.add(bmp("BMP palette 1", () -> packed(4000, 3000, 1, false, false), null));
        c.add(bmp("BMP 16", () -> image(4000, 3000, BufferedImage.TYPE_USHORT_565_RGB), null));
        c.add(bmp("BMP 24", () -> image(4000, 3000, BGR), null));
        c.add(Case.of("BMP 32", "BMP", () -> TestImages.bmp32(4000, 3000, false)));
        c.add(Case.of("BMP 32 + alpha", "BMP", () -> TestImages.bmp32(4000, 2500, true)));
        c.add(bmp("BMP RLE8", () -> image(4000, 3000, INDEXED), "BI_RLE8"));
        c.add(bmp("BMP RLE4", () -> packed(4000, 3000, 4, false, false), "BI_RLE4"));
        // TIFF through the JDK writer (strips of about 8 kB)
        c.add(tiff("TIFF grey 8", () -> image(6000, 4000, GRAY), null));
        c.add(tiff("TIFF grey 16", () -> image(4000, 4000, GRAY16), null));
        c.add(tiff("TIFF RGB 8", () -> image(4000, 3000, BGR), null));
        c.add(tiff("TIFF RGB 16", () -> component(3000, 2000, ColorSpace.CS_sRGB, 3, 16), null));
        c.add(tiff("TIFF RGBA 8", () -> image(4000, 2500, ABGR), null));
        c.add(tiff("TIFF palette 8", () -> image(4000, 3000, INDEXED), null));
        c.add(tiff("TIFF bilevel", () -> packed(4000, 3000, 1, true, false), null));
        c.add(tiff("TIFF RGB 8 LZW", () -> image(4000, 3000, BGR), "LZW"));
        c.add(tiff("TIFF RGB 8 PackBits", () -> image(4000, 3000, BGR), "PackBits"));
        c.add(tiff("TIFF RGB 8 Deflate strips", () -> image(4000, 3000, BGR), "Deflate"));
        c.add(tiff("TIFF grey 16 Deflate strips", () -> image(4000, 4000, GRAY16), "Deflate"));
        c.add(tiff("TIFF RGB 8 JPEG", () -> image(4000, 3000, BGR), "JPEG"));
        // TIFF written by hand: one strip unless tiled
        c.add(page("TIFF float32 grey", 3000, 3000, 1, 32, 3, 1, false, 0));
        c.add(page("TIFF float32 RGB", 2000, 1500, 3, 32, 3, 2, false, 0));
        c.add(
                Case.of(
                        "TIFF float32 grey strips",
                        "TIFF",
                        () -> tiff(strips(page(3000, 3000, 1, 32, 3, 1, false, 0), 16))));
        c.add(page("TIFF 5 samples 8-bit", 4000, 3000, 5, 8, 1, 2, false, 0));
        c.add(page("TIFF 5 samples 16-bit", 3000, 2000, 5, 16, 1, 2, false, 0));
        c.add(page("TIFF RGB 8 one deflate strip", 4000, 3000, 3, 8, 1, 2, true, 0));
        c.add(page("TIFF grey 16 one deflate strip", 4000, 4000, 1, 16, 1, 1, true, 0));
        c.add(page("TIFF RGB 8 tiles", 4000, 3000, 3, 8, 1, 2, false, 256));
        c.add(page("TIFF RGB 8 deflate tiles", 4000, 3000, 3, 8, 1, 2, true, 256));
        c.add(page("TIFF grey 16 deflate tiles", 4000, 4000, 1, 16, 1, 1, true, 256));
        c.add(Case.of("TIFF 301 pages", "TIFF", LivePeakCases::manyPages));
        // RAW, every pixel format
        c.add(raw("GRAY8", 1, 1, 6000, 4000));
        c.add(raw("RGB8", 3, 1, 4000, 3000));
        c.add(raw("RGBA8", 4, 1, 4000, 2500));
        c.add(raw("GRAY16", 1, 2, 4000, 4000));
        c.add(raw("RGB16", 3, 2, 3000, 2000));
        c.add(raw("FLOAT32", 1, 4, 3000, 3000));
        c.add(raw("FLOAT32", 2, 4, 3000, 2000));
        c.add(raw("FLOAT32", 3, 4, 2000, 1500));
        c.add(raw("FLOAT32", 4, 4, 2000, 1500));
        return c;
    }

    private static final int GRAY = BufferedImage.TYPE_BYTE_GRAY;
    private static final int GRAY16 = BufferedImage.TYPE_USHORT_GRAY;
    private static final int BGR = BufferedImage.TYPE_3BYTE_BGR;
    private static final int ABGR = BufferedImage.TYPE_4BYTE_ABGR;
    private static final int INDEXED = BufferedImage.TYPE_BYTE_INDEXED;

    private static Case png(String name, Supplier<BufferedImage> img) {
        return Case.of(name, "PNG", () -> png(img.get()));
    }

    private static Case jpeg(String name, Supplier<BufferedImage> img, boolean progressive) {
        return Case.of(name, "JPEG", () -> jpeg(img.get(), progressive));
    }

    private static Case bmp(String name, Supplier<BufferedImage> img, String compression) {
        return Case.of(name, "BMP", () -> encode(img.get(), "bmp", compression));
    }

    private static Case tiff(String name, Supplier<BufferedImage> img, String compression) {
        return Case.of(name, "TIFF", () -> encode(img.get(), "tiff", compression));
    }

    private static Case page(
            String name,
            int w,
            int h,
            int samples,
            int bits,
            int sampleFormat,
            int photometric,
            boolean deflate,
            int tile) {
        return Case.of(
                name,
                "TIFF",
                () -> tiff(page(w, h, samples, bits, sampleFormat, photometric, deflate, tile)));
    }

    /** {@code p} in strips of {@code rows} rows. */
    static TiffWriter.Page strips(TiffWriter.Page p, int rows) {
        p.rowsPerStrip = rows;
        return p;
    }

    /** A PNG of {@code img} with a tRNS chunk (colour key 0) of {@code length} bytes. */
    private static byte[] trns(BufferedImage img, int length) {
        return DecodeCostTest.withTrns(png(img), length);
    }

    private static byte[] cmyk(int w, int h) {
        return TestImages.adobeCmykJpeg(fill(TestImages.byteRaster(w, h, 4)));
    }

    /**
     * Tiny images (64x64) that between them take every reader, colour conversion and codec the
     * cases take (JPEG inside TIFF, colour management for CMYK), for measuring the heap a decode
     * needs besides its image.
     */
    static List<Case> tiny() {
        int w = 64;
        int h = 64;
        List<Case> c = new ArrayList<>();
        c.add(png("PNG RGB 8", () -> image(w, h, BGR)));
        c.add(png("PNG palette 4 + tRNS", () -> packed(w, h, 4, false, true)));
        c.add(png("PNG RGB 16", () -> component(w, h, ColorSpace.CS_sRGB, 3, 16)));
        c.add(jpeg("JPEG progressive RGB", () -> image(w, h, BGR), true));
        c.add(Case.of("JPEG YCCK", "JPEG", () -> DecodeCostTest.ycck(cmyk(w, h))));
        c.add(
                Case.of(
                        "JPEG RGB + ICC profile",
                        "JPEG",
                        () -> DecodeCostTest.withIcc(jpeg(image(w, h, BGR), false))));
        c.add(bmp("BMP RLE4", () -> packed(w, h, 4, false, false), "BI_RLE4"));
        c.add(Case.of("BMP 32 + alpha", "BMP", () -> TestImages.bmp32(w, h, true)));
        c.add(tiff("TIFF RGB 8 LZW", () -> image(w, h, BGR), "LZW"));
        c.add(tiff("TIFF RGB 8 JPEG", () -> image(w, h, BGR), "JPEG"));
        c.add(tiff("TIFF palette 8", () -> image(w, h, INDEXED), "PackBits"));
        c.add(page("TIFF float32 RGB", w, h, 3, 32, 3, 2, true, 0));
        c.add(page("TIFF 5 samples 16-bit", w, h, 5, 16, 1, 2, false, 16));
        c.add(raw("FLOAT32", 3, 4, w, h));
        return c;
    }

    private static Case raw(String format, int channels, int bytesPerSample, int w, int h) {
        return new Case(
                "RAW " + format + " x" + channels,
                "RAW",
                () -> {
                    byte[] b = new byte[w * h * channels * bytesPerSample];
                    if (bytesPerSample == 4) {
                        ByteBuffer fb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                        for (int i = 0; i < b.length; i += 4) {
                            fb.putFloat(i, (i >> 2) % 1000);
                        }
                    } else {
                        for (int i = 0; i < b.length; i++) {
                            b[i] = (byte) (i % 251);
                        }
                    }
                    return b;
                },
                w,
                h,
                channels,
                format);
    }

    /**
     * A baseline 8192x8192 RGB JPEG of the JDK writer's default quality: gradients under noise of
     * 16 levels, which makes a file of 8.7 MB (about one bit per pixel, as for a photograph).
     */
    static Case jpeg8192() {
        return Case.of(
                "JPEG baseline RGB 8192x8192",
                "JPEG",
                () -> {
                    int n = 8192;
                    BufferedImage img = new BufferedImage(n, n, BGR);
                    byte[] a = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
                    for (int y = 0, i = 0; y < n; y++) {
                        for (int x = 0; x < n; x++, i += 3) {
                            int h = (x * 0x9E3779B1) ^ (y * 0x85EBCA77);
                            h ^= h >>> 15;
                            h *= 0x2C1B3C6D;
                            h ^= h >>> 12;
                            int noise = h & 15;
                            a[i] = (byte) ((x >> 5) + noise);
                            a[i + 1] = (byte) ((y >> 5) + noise);
                            a[i + 2] = (byte) (((x + y) >> 6) + noise);
                        }
                    }
                    return jpeg(img, false);
                });
    }

    /** Page 0 of 12 MP RGB, then 300 pages that each claim 30000x30000 and are never read. */
    static byte[] manyPages() {
        List<TiffWriter.Page> pages = new ArrayList<>();
        pages.add(page(4000, 3000, 3, 8, 1, 2, false, 0));
        for (int i = 0; i < 300; i++) {
            TiffWriter.Page p = new TiffWriter.Page(8, 8, 3, 8, new byte[8 * 8 * 3]);
            p.photometric = 2;
            p.claimedWidth = 30000;
            p.claimedHeight = 30000;
            pages.add(p);
        }
        return TiffWriter.write(pages);
    }

    // ------------------------------------------------------------------ image makers

    /** The sample of {@link DecodeCostTest#sample} at 8 bits: gradients with a little texture. */
    private static int sample8(int x, int y, int band) {
        return (x * 3 + y * 2 + band * 40 + ((x * 7 + y * 13) % 5)) & 0xFF;
    }

    /**
     * Fills a raster's array row by row: element {@code k} of row {@code y}, with {@code stride}
     * elements per pixel, gets the sample of pixel {@code k / stride}, band {@code k % stride}.
     * Packed and palette samples take whatever value falls out: every value is valid for them.
     */
    static WritableRaster fill(WritableRaster r) {
        DataBuffer db = r.getDataBuffer();
        int h = r.getHeight();
        int n = db.getSize();
        int rowElems = n / h;
        int stride = Math.max(1, rowElems / r.getWidth());
        if (db instanceof DataBufferByte b) {
            byte[] a = b.getData();
            for (int y = 0, i = 0; y < h; y++) {
                for (int k = 0; k < rowElems; k++, i++) {
                    a[i] = (byte) sample8(k / stride, y, k % stride);
                }
            }
        } else if (db instanceof DataBufferUShort s) {
            short[] a = s.getData();
            for (int y = 0, i = 0; y < h; y++) {
                for (int k = 0; k < rowElems; k++, i++) {
                    int x = k / stride;
                    int band = k % stride;
                    a[i] = (short) (sample8(x, y, band) * 257 + ((x + band) & 0xFF));
                }
            }
        } else {
            int[] a = ((DataBufferInt) db).getData();
            for (int y = 0, i = 0; y < h; y++) {
                for (int x = 0; x < rowElems; x++, i++) {
                    a[i] = sample8(x, y, 0) << 16 | sample8(x, y, 1) << 8 | sample8(x, y, 2);
                }
            }
        }
        return r;
    }

    static BufferedImage image(int w, int h, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        fill(img.getRaster());
        return img;
    }

    static BufferedImage component(int w, int h, int colorSpace, int bands, int bits) {
        int[] sizes = new int[bands];
        java.util.Arrays.fill(sizes, bits);
        boolean alpha = bands == 2 || bands == 4;
        ComponentColorModel cm =
                new ComponentColorModel(
                        ColorSpace.getInstance(colorSpace),
                        sizes,
                        alpha,
                        false,
                        alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE,
                        bits == 16 ? DataBuffer.TYPE_USHORT : DataBuffer.TYPE_BYTE);
        WritableRaster r = cm.createCompatibleWritableRaster(w, h);
        return new BufferedImage(cm, fill(r), false, null);
    }

    /** A packed 1, 2 or 4-bit image: a colour palette, a grey ramp, or colours with alpha. */
    static BufferedImage packed(int w, int h, int bits, boolean greyRamp, boolean alpha) {
        int n = 1 << bits;
        byte[] r = new byte[n];
        byte[] g = new byte[n];
        byte[] b = new byte[n];
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
            int v = i * 255 / (n - 1);
            r[i] = (byte) v;
            g[i] = (byte) (greyRamp ? v : 255 - v);
            b[i] = (byte) (greyRamp ? v : (v * 3) & 0xFF);
            a[i] = (byte) (i == 0 ? 0 : 255);
        }
        IndexColorModel icm =
                alpha
                        ? new IndexColorModel(bits, n, r, g, b, a)
                        : new IndexColorModel(bits, n, r, g, b);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY, icm);
        fill(img.getRaster());
        return img;
    }

    static byte[] png(BufferedImage img) {
        return DecodeCostTest.png(img);
    }

    static byte[] jpeg(BufferedImage img, boolean progressive) {
        return DecodeCostTest.jpeg(img, progressive);
    }

    static byte[] encode(BufferedImage img, String format, String compression) {
        return DecodeCostTest.encode(img, format, compression);
    }

    static byte[] tiff(TiffWriter.Page... pages) {
        return TiffWriter.write(List.of(pages));
    }

    /**
     * A hand-written page: {@code samples} samples of {@code bits} bits ({@code sampleFormat} 1
     * unsigned, 3 float), photometric 1 (grey) or 2 (RGB, extra samples unspecified), one strip
     * (optionally deflated) or square tiles of {@code tile}.
     */
    static TiffWriter.Page page(
            int w,
            int h,
            int samples,
            int bits,
            int sampleFormat,
            int photometric,
            boolean deflate,
            int tile) {
        int bps = bits / 8;
        ByteBuffer px = ByteBuffer.allocate(w * h * samples * bps).order(ByteOrder.LITTLE_ENDIAN);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int s = 0; s < samples; s++) {
                    int v = sample8(x, y, s);
                    switch (bits) {
                        case 8 -> px.put((byte) v);
                        case 16 -> px.putShort((short) (v * 257 + ((x + s) & 0xFF)));
                        default -> px.putFloat(v / 3f);
                    }
                }
            }
        }
        TiffWriter.Page p = new TiffWriter.Page(w, h, samples, bits, px.array());
        p.sampleFormat = sampleFormat;
        p.photometric = photometric;
        p.deflate = deflate;
        if (photometric == 2 && samples > 3) {
            p.extraSamples = new int[samples - 3];
        }
        if (tile > 0) {
            p.tileWidth = tile;
            p.tileHeight = tile;
        }
        return p;
    }
}
