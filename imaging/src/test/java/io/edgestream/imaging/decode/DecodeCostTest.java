package io.edgestream.imaging.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The cost model against what decoding really allocates, in process, for every format and variant
 * the decoder accepts (generated images of about 2 MP). The estimate bounds the decode's <em>peak
 * live heap</em>, which {@code DecodeLivePeakTest} proves in child JVMs with a heap of just the
 * estimate; here the other direction is checked: the estimate counts nothing the decode does not
 * allocate. Everything the decoding thread allocates ({@code
 * com.sun.management.ThreadMXBean#getThreadAllocatedBytes}, transient garbage included) plus what
 * is live but allocated by the caller (the payload) and the fixed allowance for reader objects
 * ({@link CostModel#FIXED_HEAP}) must be at least the estimate: a term for an array the reader
 * never makes, or counted twice, fails here even where the fork test's baseline would hide it.
 *
 * <p>Each decode runs once before it is measured, so that class initialisation (colour profiles,
 * reader registries), which a running TaskManager has long done, is not counted.
 */
class DecodeCostTest {
    private static final int W = 1600;
    private static final int H = 1200;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /** One variant: its payload and the channels and depth the decode must produce. */
    record Case(String name, String encoding, Supplier<byte[]> bytes, String pixelFormat, int ch) {
        static Case of(String name, String encoding, Supplier<byte[]> bytes) {
            return new Case(name, encoding, bytes, null, 0);
        }
    }

    record Measured(DecodeCost cost, long allocated, DecodedImage image) {
        /** The estimate over what the decode allocated, the payload and the fixed allowance. */
        double ratio(long payload) {
            return (double) cost.peakHeapBytes() / (allocated + payload + CostModel.FIXED_HEAP);
        }
    }

    static Measured measure(Case c, byte[] bytes) throws ImageDecodeException {
        int w = c.pixelFormat == null ? 0 : W;
        int h = c.pixelFormat == null ? 0 : H;
        ImageDecoder.decode(bytes, c.encoding, w, h, c.ch, c.pixelFormat, DecodeLimits.DEFAULT);
        DecodeCost cost = ImageDecoder.estimate(bytes, c.encoding, w, h, c.ch, c.pixelFormat);
        long before = allocated();
        DecodedImage img =
                ImageDecoder.decode(
                        bytes, c.encoding, w, h, c.ch, c.pixelFormat, DecodeLimits.DEFAULT);
        long used = allocated() - before;
        return new Measured(cost, used, img);
    }

    @TestFactory
    List<DynamicTest> estimateCountsNothingTheDecodeDoesNotAllocate() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases()) {
            tests.add(
                    DynamicTest.dynamicTest(
                            c.name,
                            () -> {
                                byte[] bytes = c.bytes.get();
                                Measured m = measure(c, bytes);
                                System.out.printf(
                                        Locale.ROOT,
                                        "%-28s payload %9d  estimate %11d  allocated %11d"
                                                + "  ratio %.2f  native %10d  decoded %s%n",
                                        c.name,
                                        bytes.length,
                                        m.cost.peakHeapBytes(),
                                        m.allocated,
                                        m.ratio(bytes.length),
                                        m.cost.nativeBytes(),
                                        m.image);
                                assertThat(m.cost.peakHeapBytes())
                                        .as(
                                                "%s estimate vs allocated %d: %s",
                                                c.name, m.allocated, m.cost)
                                        .isLessThanOrEqualTo(
                                                m.allocated + bytes.length + CostModel.FIXED_HEAP);
                                assertThat(m.cost.decodedBytes())
                                        .as("decoded bytes of %s", c.name)
                                        .isEqualTo(decodedBytes(m.image));
                            }));
        }
        return tests;
    }

    static long decodedBytes(DecodedImage img) {
        return (long) img.width() * img.height() * img.channels() * (img.bitDepth() / 8);
    }

    // ------------------------------------------------------------------ the variants

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // PNG
        cases.add(Case.of("PNG grey 8", "PNG", () -> png(image(BufferedImage.TYPE_BYTE_GRAY))));
        cases.add(Case.of("PNG grey 16", "PNG", () -> png(image(BufferedImage.TYPE_USHORT_GRAY))));
        cases.add(
                Case.of("PNG grey+alpha 8", "PNG", () -> png(component(ColorSpace.CS_GRAY, 2, 8))));
        cases.add(
                Case.of(
                        "PNG grey+alpha 16",
                        "PNG",
                        () -> png(component(ColorSpace.CS_GRAY, 2, 16))));
        cases.add(Case.of("PNG RGB 8", "PNG", () -> png(image(BufferedImage.TYPE_3BYTE_BGR))));
        cases.add(Case.of("PNG RGB 16", "PNG", () -> png(component(ColorSpace.CS_sRGB, 3, 16))));
        cases.add(Case.of("PNG RGBA 8", "PNG", () -> png(image(BufferedImage.TYPE_4BYTE_ABGR))));
        cases.add(Case.of("PNG RGBA 16", "PNG", () -> png(component(ColorSpace.CS_sRGB, 4, 16))));
        cases.add(
                Case.of("PNG palette 8", "PNG", () -> png(image(BufferedImage.TYPE_BYTE_INDEXED))));
        for (int bits : new int[] {1, 2, 4}) {
            cases.add(Case.of("PNG palette " + bits, "PNG", () -> png(packed(bits, false, false))));
            cases.add(Case.of("PNG grey " + bits, "PNG", () -> png(packed(bits, true, false))));
        }
        cases.add(Case.of("PNG palette 4 + tRNS", "PNG", () -> png(packed(4, false, true))));
        cases.add(
                Case.of(
                        "PNG RGB 8 interlaced",
                        "PNG",
                        () -> interlacedPng(image(BufferedImage.TYPE_3BYTE_BGR))));
        cases.add(
                Case.of(
                        "PNG RGB 8 + tRNS",
                        "PNG",
                        () -> withTrns(png(image(BufferedImage.TYPE_3BYTE_BGR)), 6)));
        cases.add(
                Case.of(
                        "PNG grey 16 + tRNS",
                        "PNG",
                        () -> withTrns(png(image(BufferedImage.TYPE_USHORT_GRAY)), 2)));
        // JPEG
        cases.add(
                Case.of(
                        "JPEG baseline RGB",
                        "JPEG",
                        () -> jpeg(image(BufferedImage.TYPE_3BYTE_BGR), false)));
        cases.add(
                Case.of(
                        "JPEG baseline grey",
                        "JPEG",
                        () -> jpeg(image(BufferedImage.TYPE_BYTE_GRAY), false)));
        cases.add(
                Case.of(
                        "JPEG progressive RGB",
                        "JPEG",
                        () -> jpeg(image(BufferedImage.TYPE_3BYTE_BGR), true)));
        cases.add(
                Case.of(
                        "JPEG progressive grey",
                        "JPEG",
                        () -> jpeg(image(BufferedImage.TYPE_BYTE_GRAY), true)));
        cases.add(
                Case.of(
                        "JPEG CMYK",
                        "JPEG",
                        () -> TestImages.adobeCmykJpeg(fill(TestImages.byteRaster(W, H, 4)))));
        cases.add(
                Case.of(
                        "JPEG YCCK",
                        "JPEG",
                        () ->
                                ycck(
                                        TestImages.adobeCmykJpeg(
                                                fill(TestImages.byteRaster(W, H, 4))))));
        cases.add(
                Case.of(
                        "JPEG RGB + ICC profile",
                        "JPEG",
                        () -> withIcc(jpeg(image(BufferedImage.TYPE_3BYTE_BGR), false))));
        // BMP
        cases.add(
                Case.of(
                        "BMP grey 8",
                        "BMP",
                        () -> encode(image(BufferedImage.TYPE_BYTE_GRAY), "bmp", null)));
        cases.add(
                Case.of(
                        "BMP palette 8",
                        "BMP",
                        () -> encode(image(BufferedImage.TYPE_BYTE_INDEXED), "bmp", null)));
        cases.add(
                Case.of(
                        "BMP palette 4",
                        "BMP",
                        () -> encode(packed(4, false, false), "bmp", null)));
        cases.add(
                Case.of(
                        "BMP palette 1",
                        "BMP",
                        () -> encode(packed(1, false, false), "bmp", null)));
        cases.add(
                Case.of(
                        "BMP 16",
                        "BMP",
                        () -> encode(image(BufferedImage.TYPE_USHORT_565_RGB), "bmp", null)));
        cases.add(
                Case.of(
                        "BMP 24",
                        "BMP",
                        () -> encode(image(BufferedImage.TYPE_3BYTE_BGR), "bmp", null)));
        cases.add(Case.of("BMP 32", "BMP", () -> TestImages.bmp32(W, H, false)));
        cases.add(Case.of("BMP 32 + alpha", "BMP", () -> TestImages.bmp32(W, H, true)));
        cases.add(
                Case.of(
                        "BMP RLE8",
                        "BMP",
                        () -> encode(image(BufferedImage.TYPE_BYTE_INDEXED), "bmp", "BI_RLE8")));
        cases.add(
                Case.of(
                        "BMP RLE4",
                        "BMP",
                        () -> encode(packed(4, false, false), "bmp", "BI_RLE4")));
        // TIFF through the JDK writer (strips of about 8 kB)
        cases.add(
                Case.of(
                        "TIFF grey 8",
                        "TIFF",
                        () -> encode(image(BufferedImage.TYPE_BYTE_GRAY), "tiff", null)));
        cases.add(
                Case.of(
                        "TIFF grey 16",
                        "TIFF",
                        () -> encode(image(BufferedImage.TYPE_USHORT_GRAY), "tiff", null)));
        cases.add(
                Case.of(
                        "TIFF RGB 8",
                        "TIFF",
                        () -> encode(image(BufferedImage.TYPE_3BYTE_BGR), "tiff", null)));
        cases.add(
                Case.of(
                        "TIFF RGB 16",
                        "TIFF",
                        () -> encode(component(ColorSpace.CS_sRGB, 3, 16), "tiff", null)));
        cases.add(
                Case.of(
                        "TIFF RGBA 8",
                        "TIFF",
                        () -> encode(image(BufferedImage.TYPE_4BYTE_ABGR), "tiff", null)));
        cases.add(
                Case.of(
                        "TIFF palette 8",
                        "TIFF",
                        () -> encode(image(BufferedImage.TYPE_BYTE_INDEXED), "tiff", null)));
        cases.add(
                Case.of(
                        "TIFF bilevel",
                        "TIFF",
                        () -> encode(packed(1, true, false), "tiff", null)));
        cases.add(
                Case.of(
                        "TIFF RGB 8 LZW",
                        "TIFF",
                        () -> encode(image(BufferedImage.TYPE_3BYTE_BGR), "tiff", "LZW")));
        cases.add(
                Case.of(
                        "TIFF RGB 8 PackBits",
                        "TIFF",
                        () -> encode(image(BufferedImage.TYPE_3BYTE_BGR), "tiff", "PackBits")));
        cases.add(
                Case.of(
                        "TIFF RGB 8 Deflate strips",
                        "TIFF",
                        () -> encode(image(BufferedImage.TYPE_3BYTE_BGR), "tiff", "Deflate")));
        cases.add(
                Case.of(
                        "TIFF grey 16 Deflate strips",
                        "TIFF",
                        () -> encode(image(BufferedImage.TYPE_USHORT_GRAY), "tiff", "Deflate")));
        cases.add(
                Case.of(
                        "TIFF RGB 8 JPEG",
                        "TIFF",
                        () -> encode(image(BufferedImage.TYPE_3BYTE_BGR), "tiff", "JPEG")));
        // TIFF written by hand: layouts the JDK writer does not make on request
        cases.add(Case.of("TIFF float32 grey", "TIFF", () -> tiff(page(1, 32, 3, 1, false, 0))));
        cases.add(Case.of("TIFF float32 RGB", "TIFF", () -> tiff(page(3, 32, 3, 2, false, 0))));
        cases.add(
                Case.of(
                        "TIFF float32 grey strips",
                        "TIFF",
                        () -> tiff(LivePeakCases.strips(page(1, 32, 3, 1, false, 0), 16))));
        cases.add(Case.of("TIFF 5 samples 8-bit", "TIFF", () -> tiff(page(5, 8, 1, 2, false, 0))));
        cases.add(
                Case.of("TIFF 5 samples 16-bit", "TIFF", () -> tiff(page(5, 16, 1, 2, false, 0))));
        cases.add(
                Case.of(
                        "TIFF RGB 8 one deflate strip",
                        "TIFF",
                        () -> tiff(page(3, 8, 1, 2, true, 0))));
        cases.add(
                Case.of(
                        "TIFF grey 16 one deflate strip",
                        "TIFF",
                        () -> tiff(page(1, 16, 1, 1, true, 0))));
        cases.add(Case.of("TIFF RGB 8 tiles", "TIFF", () -> tiff(page(3, 8, 1, 2, false, 256))));
        cases.add(
                Case.of(
                        "TIFF RGB 8 deflate tiles",
                        "TIFF",
                        () -> tiff(page(3, 8, 1, 2, true, 256))));
        cases.add(
                Case.of(
                        "TIFF grey 16 deflate tiles",
                        "TIFF",
                        () -> tiff(page(1, 16, 1, 1, true, 256))));
        // RAW, every pixel format
        cases.add(raw("GRAY8", 1, 1));
        cases.add(raw("RGB8", 3, 1));
        cases.add(raw("RGBA8", 4, 1));
        cases.add(raw("GRAY16", 1, 2));
        cases.add(raw("RGB16", 3, 2));
        for (int c = 1; c <= 4; c++) {
            cases.add(raw("FLOAT32", c, 4));
        }
        return cases;
    }

    private static Case raw(String format, int channels, int bytesPerSample) {
        return new Case(
                "RAW " + format + " x" + channels,
                "RAW",
                () -> {
                    byte[] b = new byte[W * H * channels * bytesPerSample];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = (byte) (i % 251);
                    }
                    if (bytesPerSample == 4) {
                        ByteBuffer fb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                        for (int i = 0; i < b.length; i += 4) {
                            fb.putFloat(i, i % 1000);
                        }
                    }
                    return b;
                },
                format,
                channels);
    }

    // ------------------------------------------------------------------ image makers

    /** Smooth gradients with a little texture: compresses like a photograph, not like noise. */
    static int sample(int x, int y, int band, int max) {
        int v = (x * 3 + y * 2 + band * 40 + ((x * 7 + y * 13) % 5)) % 256;
        return max == 255 ? v : v * 257 + ((x + band) & 0xFF);
    }

    static WritableRaster fill(WritableRaster r) {
        int[] px = new int[r.getNumBands()];
        for (int y = 0; y < r.getHeight(); y++) {
            for (int x = 0; x < r.getWidth(); x++) {
                for (int b = 0; b < px.length; b++) {
                    int bits = r.getSampleModel().getSampleSize(b);
                    px[b] =
                            bits >= 16
                                    ? sample(x, y, b, 65535)
                                    : sample(x, y, b, 255) >> (8 - Math.min(8, bits));
                }
                r.setPixel(x, y, px);
            }
        }
        return r;
    }

    static BufferedImage image(int type) {
        BufferedImage img = new BufferedImage(W, H, type);
        fill(img.getRaster());
        return img;
    }

    static BufferedImage component(int colorSpace, int bands, int bits) {
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
        WritableRaster r = cm.createCompatibleWritableRaster(W, H);
        return new BufferedImage(cm, fill(r), false, null);
    }

    /** A packed 1, 2 or 4-bit image: a colour palette, a grey ramp, or colours with alpha. */
    static BufferedImage packed(int bits, boolean greyRamp, boolean alpha) {
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
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_BINARY, icm);
        fill(img.getRaster());
        return img;
    }

    static byte[] png(BufferedImage img) {
        return encode(img, "png", null);
    }

    static byte[] interlacedPng(BufferedImage img) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ImageWriteParam p = writer.getDefaultWriteParam();
        p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        return TestImages.write(writer, new IIOImage(img, null, null), p);
    }

    static byte[] jpeg(BufferedImage img, boolean progressive) {
        return TestImages.jdkJpeg(img, progressive);
    }

    static byte[] encode(BufferedImage img, String format, String compression) {
        ImageWriter writer = TestImages.jdkWriter(format);
        ImageWriteParam p = writer.getDefaultWriteParam();
        if (compression != null) {
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionType(compression);
        }
        return TestImages.write(writer, new IIOImage(img, null, null), p);
    }

    /** Inserts a tRNS chunk (colour key 0) after IHDR: grey has 2 bytes, RGB 6. */
    static byte[] withTrns(byte[] png, int length) {
        return insert(png, 33, TestImages.pngChunk("tRNS", new byte[length]));
    }

    /** Inserts an APP2 ICC_PROFILE segment with the JDK's linear-RGB profile after SOI. */
    static byte[] withIcc(byte[] jpeg) {
        byte[] profile = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
        ByteArrayOutputStream seg = new ByteArrayOutputStream();
        int len = 2 + 12 + 2 + profile.length;
        seg.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE2, (byte) (len >> 8), (byte) len});
        seg.writeBytes("ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        seg.writeBytes(new byte[] {1, 1});
        seg.writeBytes(profile);
        return insert(jpeg, 2, seg.toByteArray());
    }

    /** The Adobe segment of a CMYK JPEG switched to transform 2 (YCCK). */
    static byte[] ycck(byte[] cmyk) {
        byte[] b = cmyk.clone();
        // TestImages.adobeCmykJpeg puts APP14 right after SOI: FF EE 00 0E "Adobe" ... transform.
        b[2 + 15] = 2;
        return b;
    }

    static byte[] insert(byte[] b, int at, byte[] more) {
        byte[] out = new byte[b.length + more.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(more, 0, out, at, more.length);
        System.arraycopy(b, at, out, at + more.length, b.length - at);
        return out;
    }

    /**
     * A hand-written page of W x H: {@code samples} samples of {@code bits} bits ({@code
     * sampleFormat} 1 unsigned, 3 float), photometric 1 (grey) or 2 (RGB, extra samples
     * unspecified), one strip (optionally deflated) or square tiles of {@code tile}.
     */
    static TiffWriter.Page page(
            int samples, int bits, int sampleFormat, int photometric, boolean deflate, int tile) {
        int bps = bits / 8;
        ByteBuffer px = ByteBuffer.allocate(W * H * samples * bps).order(ByteOrder.LITTLE_ENDIAN);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                for (int s = 0; s < samples; s++) {
                    int v = sample(x, y, s, bits == 8 ? 255 : 65535);
                    switch (bits) {
                        case 8 -> px.put((byte) v);
                        case 16 -> px.putShort((short) v);
                        default -> px.putFloat(v / 3f);
                    }
                }
            }
        }
        TiffWriter.Page p = new TiffWriter.Page(W, H, samples, bits, px.array());
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

    static byte[] tiff(TiffWriter.Page... pages) {
        return TiffWriter.write(List.of(pages));
    }

    /**
     * RGB plus two unspecified extra samples: the JDK reader invents a 5-colour colour space for
     * it, which used to go through a per-pixel colour conversion (about 200 bytes allocated per
     * pixel, colours undefined, 16 bits cut to 8). Now R, G and B are taken as they are.
     */
    @Test
    void tiffWithExtraSamplesKeepsItsRgbSamplesAndDepth() throws Exception {
        for (int bits : new int[] {8, 16}) {
            DecodedImage img =
                    ImageDecoder.decode(
                            tiff(page(5, bits, 1, 2, false, 0)),
                            "TIFF",
                            0,
                            0,
                            0,
                            null,
                            DecodeLimits.DEFAULT);
            assertThat(img.channels()).isEqualTo(3);
            assertThat(img.bitDepth()).isEqualTo(bits);
            int max = bits == 8 ? 255 : 65535;
            for (int[] p : new int[][] {{0, 0}, {17, 3}, {1599, 1199}, {800, 600}}) {
                for (int c = 0; c < 3; c++) {
                    int v = bits == 8 ? img.u8().get(p[0], p[1], c) : img.u16().get(p[0], p[1], c);
                    assertThat(v).isEqualTo(sample(p[0], p[1], c, max));
                }
            }
        }
    }

    // ------------------------------------------------------------------ refusals and bounds

    /**
     * The incident: a valid 7000x7000 16-bit RGB PNG of zeros, a few hundred kB on the wire and
     * under the pixel limit, whose decode needs a 294 MB raster. With a 256 MB budget it is refused
     * from its header: quickly, and without allocating anything like the raster.
     */
    @Test
    void refusesTheSevenThousandSquare16BitPngBeforeAllocating() throws Exception {
        byte[] png = zeroPng(7000, 7000);
        assertThat(png.length).isLessThan(1_000_000);
        DecodeLimits limits = DecodeLimits.DEFAULT.withMaxDecodeBytes(256L * 1024 * 1024);
        refuse(png, limits); // warm up
        long t0 = System.nanoTime();
        long before = allocated();
        ImageDecodeException e = refuse(png, limits);
        long used = allocated() - before;
        long nanos = System.nanoTime() - t0;
        assertThat(e.failure()).isEqualTo(DecodeFailure.MEMORY_BUDGET_EXCEEDED);
        assertThat(used).as("bytes allocated by the refusal").isLessThan(64 * 1024);
        assertThat(nanos).as("time to refuse, ns").isLessThan(50_000_000L);
        assertThat(e.getMessage())
                .contains("7000x7000", "16-bit RGB", "PNG", "3 channel(s) of 16 bits")
                .contains("raster 294.0 MB")
                .contains("268.4 MB", "268435456 bytes")
                .contains("send smaller images", "more heap per slot", "memory budget option");
        DecodeCost cost = ImageDecoder.estimate(png, "PNG", 0, 0, 0, null);
        assertThat(cost.decodedBytes()).isEqualTo(7000L * 7000 * 3 * 2);
        assertThat(cost.peakHeapBytes()).isGreaterThan(7000L * 7000 * 6);
        // Without a memory limit the same limits let it through to the reader (not run here).
        assertThat(DecodeLimits.DEFAULT.maxDecodeBytes()).isEqualTo(DecodeLimits.NO_MEMORY_LIMIT);
    }

    private static ImageDecodeException refuse(byte[] png, DecodeLimits limits) {
        try {
            ImageDecoder.decode(png, "PNG", 0, 0, 0, null, limits);
        } catch (ImageDecodeException e) {
            return e;
        }
        throw new AssertionError("the 7000x7000 PNG was not refused");
    }

    /** A 16-bit RGB PNG of zeros, deflated row by row: about 300 kB for 49 MP. */
    static byte[] zeroPng(int w, int h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13);
        ihdr.putInt(w)
                .putInt(h)
                .put((byte) 16)
                .put((byte) 2)
                .put((byte) 0)
                .put((byte) 0)
                .put((byte) 0);
        out.writeBytes(TestImages.pngChunk("IHDR", ihdr.array()));
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        byte[] row = new byte[1 + w * 6];
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        for (int y = 0; y < h; y++) {
            d.setInput(row);
            while (!d.needsInput()) {
                idat.write(buf, 0, d.deflate(buf));
            }
        }
        d.finish();
        while (!d.finished()) {
            idat.write(buf, 0, d.deflate(buf));
        }
        d.end();
        out.writeBytes(TestImages.pngChunk("IDAT", idat.toByteArray()));
        out.writeBytes(TestImages.pngChunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    @Test
    void anImageJustUnderTheBudgetIsDecoded() throws Exception {
        byte[] bytes = png(image(BufferedImage.TYPE_3BYTE_BGR));
        DecodeCost cost = ImageDecoder.estimate(bytes, "PNG", 0, 0, 0, null);
        DecodeLimits exact = DecodeLimits.DEFAULT.withMaxDecodeBytes(cost.totalBytes());
        assertThat(ImageDecoder.decode(bytes, "PNG", 0, 0, 0, null, exact).width()).isEqualTo(W);
        DecodeLimits under = DecodeLimits.DEFAULT.withMaxDecodeBytes(cost.totalBytes() - 1);
        assertThatThrownBy(() -> ImageDecoder.decode(bytes, "PNG", 0, 0, 0, null, under))
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.MEMORY_BUDGET_EXCEEDED);
    }

    @Test
    void rawIsRefusedBeforeItsSamplesAreConverted() throws Exception {
        byte[] raw = new byte[W * H * 3 * 2];
        DecodeCost cost = ImageDecoder.estimate(raw, "RAW", W, H, 3, "RGB16");
        assertThat(cost.peakHeapBytes()).isGreaterThanOrEqualTo(2L * raw.length);
        DecodeLimits limits = DecodeLimits.DEFAULT.withMaxDecodeBytes(raw.length);
        DecodeFailure failure = null;
        long before = allocated();
        try {
            ImageDecoder.decode(raw, "RAW", W, H, 3, "RGB16", limits);
        } catch (ImageDecodeException e) {
            failure = e.failure();
        }
        long used = allocated() - before;
        assertThat(failure).isEqualTo(DecodeFailure.MEMORY_BUDGET_EXCEEDED);
        assertThat(used).isLessThan(64 * 1024);
    }

    /**
     * The estimate reads headers only: it allocates a few small objects and the breakdown text,
     * whatever the image (the images here are about 2 MP, their rasters 2 to 23 MB).
     */
    @Test
    void estimatingAllocatesNothingProportionalToTheImage() throws Exception {
        for (Case c : cases()) {
            byte[] bytes = c.bytes.get();
            int w = c.pixelFormat == null ? 0 : W;
            int h = c.pixelFormat == null ? 0 : H;
            ImageDecoder.estimate(bytes, c.encoding, w, h, c.ch, c.pixelFormat);
            long before = allocated();
            ImageDecoder.estimate(bytes, c.encoding, w, h, c.ch, c.pixelFormat);
            assertThat(allocated() - before).as(c.name).isLessThan(64 * 1024);
        }
    }

    /**
     * Only page 0 of a multi-page TIFF is decoded, and nothing reads the other pages: 300 pages
     * follow it, each claiming 30000x30000 RGB (2.7 GB if decoded) with strips pointing beyond the
     * end of the file. Page 0 decodes within its own estimate, which the other pages do not change.
     */
    @Test
    void onlyPageZeroOfAManyPageTiffIsReadOrCounted() throws Exception {
        TiffWriter.Page first = page(3, 8, 1, 2, false, 0);
        List<TiffWriter.Page> pages = new ArrayList<>();
        pages.add(first);
        for (int i = 0; i < 300; i++) {
            TiffWriter.Page p = new TiffWriter.Page(8, 8, 3, 8, new byte[8 * 8 * 3]);
            p.photometric = 2;
            p.claimedWidth = 30000;
            p.claimedHeight = 30000;
            pages.add(p);
        }
        byte[] many = TiffWriter.write(pages);
        byte[] single = tiff(first);
        Case c = Case.of("TIFF 301 pages", "TIFF", () -> many);
        Measured m = measure(c, many);
        assertThat(m.image.width()).isEqualTo(W);
        assertThat(m.image.height()).isEqualTo(H);
        DecodeCost alone = ImageDecoder.estimate(single, "TIFF", 0, 0, 0, null);
        // Same terms except the payload, which is larger by the other pages' directories.
        assertThat(m.cost.peakHeapBytes() - many.length)
                .isEqualTo(alone.peakHeapBytes() - single.length);
        assertThat(m.allocated).isLessThan(3L * W * H * 2);
        assertThat(m.image.u8().get(10, 20, 1)).isEqualTo(sample(10, 20, 1, 255));
    }
}
