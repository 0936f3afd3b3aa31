package io.edgestream.imaging.decode;

import static io.edgestream.imaging.decode.PngDecodeTest.assertSamePixels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.imaging.image.PixelFormat;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class BmpTiffDecodeTest {

    private static DecodedImage decode(byte[] data, String enc) throws ImageDecodeException {
        return ImageDecoder.decode(data, enc, 0, 0, 0, null, DecodeLimits.DEFAULT);
    }

    @Test
    void bmp24BitRoundTripsExactly() throws Exception {
        BufferedImage src = TestImages.random(13, 7, BufferedImage.TYPE_3BYTE_BGR, 1);
        byte[] bmp = TestImages.encode(src, "bmp");
        assertThat(ImageDecoder.sniff(bmp)).isEqualTo("BMP");
        assertThat(ImageDecoder.probe(bmp, "BMP")).isEqualTo(new ImageHeader(13, 7, 3, 8));
        DecodedImage out = decode(bmp, "bmp");
        assertThat(out.format()).isEqualTo(PixelFormat.RGB8);
        assertSamePixels(src.getRaster(), 3, out);
    }

    @Test
    void recordFieldsThatAreNegativeOrContradictTheHeaderAreRefused() {
        byte[] bmp =
                TestImages.encode(TestImages.random(13, 7, BufferedImage.TYPE_3BYTE_BGR, 1), "bmp");
        assertThatThrownBy(
                        () -> ImageDecoder.decode(bmp, "BMP", -1, 0, 0, null, DecodeLimits.DEFAULT))
                .hasMessage(
                        "record declares -1x0x0 for a BMP image: width, height and channels must"
                                + " be positive, or 0 to take them from the image header");
        assertThatThrownBy(
                        () -> ImageDecoder.decode(bmp, "BMP", 14, 7, 0, null, DecodeLimits.DEFAULT))
                .hasMessage(
                        "record declares 14x7x0 (width x height x channels) but the BMP header"
                                + " says 13x7: fix the record fields, or send 0 to take them from"
                                + " the header");
    }

    /** 32-bit BMPs, which the JDK writer never makes: BGRX gives RGB, an alpha mask gives RGBA. */
    @Test
    void bmp32BitGivesRgbOrWithAnAlphaMaskRgba() throws Exception {
        int w = 11;
        int h = 5;
        for (boolean alpha : new boolean[] {false, true}) {
            DecodedImage out = decode(TestImages.bmp32(w, h, alpha), "BMP");
            assertThat(out.format()).isEqualTo(alpha ? PixelFormat.RGBA8 : PixelFormat.RGB8);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = x * 3 + y * 2;
                    assertThat(out.u8().get(x, y, 0)).isEqualTo(v & 0xFF);
                    assertThat(out.u8().get(x, y, 1)).isEqualTo((v + 40) & 0xFF);
                    assertThat(out.u8().get(x, y, 2)).isEqualTo((v + 80) & 0xFF);
                    if (alpha) {
                        assertThat(out.u8().get(x, y, 3)).isEqualTo((x + y * 5) & 0xFF);
                    }
                }
            }
        }
    }

    /**
     * Float TIFFs keep every sample bit for bit, the unusual ones included (NaN with a payload,
     * infinities, negative zero, subnormals), for one and three samples per pixel.
     */
    @Test
    void float32TiffKeepsEverySampleBitForBit() throws Exception {
        float[] special = {
            Float.intBitsToFloat(0x7FC01234),
            Float.NEGATIVE_INFINITY,
            Float.POSITIVE_INFINITY,
            -0f,
            Float.MIN_VALUE,
            -3.5e-39f,
            Float.MAX_VALUE,
            1f / 3
        };
        int w = 7;
        int h = 5;
        for (int samples : new int[] {1, 3}) {
            java.nio.ByteBuffer px =
                    java.nio.ByteBuffer.allocate(w * h * samples * 4)
                            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < w * h * samples; i++) {
                px.putFloat(i < special.length ? special[i] : i * 0.25f - 7);
            }
            TiffWriter.Page p = new TiffWriter.Page(w, h, samples, 32, px.array());
            p.sampleFormat = 3;
            p.photometric = samples == 1 ? 1 : 2;
            DecodedImage out = decode(TiffWriter.write(java.util.List.of(p)), "TIFF");
            assertThat(out.format()).isEqualTo(PixelFormat.FLOAT32);
            assertThat(out.channels()).isEqualTo(samples);
            for (int i = 0; i < w * h * samples; i++) {
                int x = i / samples % w;
                int y = i / samples / w;
                assertThat(Float.floatToRawIntBits(out.f32().get(x, y, i % samples)))
                        .as("sample %d of %d", i, samples)
                        .isEqualTo(Float.floatToRawIntBits(px.getFloat(i * 4)));
            }
        }
    }

    @Test
    void bmpGreyStaysGrey() throws Exception {
        // The JDK writes an 8-bit BMP with a grey palette, and its reader recognises the grey
        // palette and returns a grey image.
        BufferedImage src = TestImages.random(9, 4, BufferedImage.TYPE_BYTE_GRAY, 2);
        byte[] bmp = TestImages.encode(src, "bmp");
        DecodedImage out = decode(bmp, "BMP");
        assertThat(out.format()).isEqualTo(PixelFormat.GRAY8);
        assertThat(ImageDecoder.probe(bmp, "BMP").channels()).isEqualTo(1);
        assertSamePixels(src.getRaster(), 1, out);
    }

    @Test
    void bmpWithColourPaletteExpandsToRgb() throws Exception {
        // 256 entries so the writer keeps 8 bits per pixel: the JDK's own 4-bit BMP round trip
        // shifts pixels (checked with ImageIO alone), which is not what this test is about.
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        r[1] = (byte) 255;
        r[2] = 10;
        g[2] = (byte) 200;
        b[2] = 50;
        BufferedImage src =
                new BufferedImage(
                        4,
                        2,
                        BufferedImage.TYPE_BYTE_INDEXED,
                        new java.awt.image.IndexColorModel(8, 256, r, g, b));
        src.getRaster().setSample(1, 0, 0, 1);
        src.getRaster().setSample(2, 1, 0, 2);
        DecodedImage out = decode(TestImages.encode(src, "bmp"), "BMP");
        assertThat(out.format()).isEqualTo(PixelFormat.RGB8);
        assertThat(out.u8().get(1, 0, 0)).isEqualTo(255);
        assertThat(out.u8().get(2, 1, 1)).isEqualTo(200);
        assertThat(out.u8().get(2, 1, 2)).isEqualTo(50);
        assertThat(out.u8().get(0, 0, 0)).isZero();
    }

    @Test
    void bmpDimensionsAreCheckedAgainstLimitsAndClaims() {
        byte[] bmp =
                TestImages.encode(
                        TestImages.random(50, 40, BufferedImage.TYPE_3BYTE_BGR, 3), "bmp");
        assertThatThrownBy(
                        () ->
                                ImageDecoder.decode(
                                        bmp,
                                        "BMP",
                                        0,
                                        0,
                                        0,
                                        null,
                                        new DecodeLimits(1999, 100, 100)))
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.TOO_MANY_PIXELS);
        assertThatThrownBy(
                        () ->
                                ImageDecoder.decode(
                                        bmp, "BMP", 50, 41, 0, null, DecodeLimits.DEFAULT))
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.INVALID_DIMENSIONS);
    }

    @Test
    void tiffRgbRoundTripsExactly() throws Exception {
        BufferedImage src = TestImages.random(17, 5, BufferedImage.TYPE_3BYTE_BGR, 4);
        byte[] tiff = TestImages.encode(src, "tiff");
        assertThat(ImageDecoder.sniff(tiff)).isEqualTo("TIFF");
        DecodedImage out = decode(tiff, "TIFF");
        assertThat(out.format()).isEqualTo(PixelFormat.RGB8);
        assertSamePixels(src.getRaster(), 3, out);
        assertThat(ImageDecoder.probe(tiff, "tiff")).isEqualTo(new ImageHeader(17, 5, 3, 8));
    }

    @Test
    void tiffSixteenBitGreyKeepsSixteenBits() throws Exception {
        BufferedImage src = TestImages.random(6, 6, BufferedImage.TYPE_USHORT_GRAY, 5);
        src.getRaster().setSample(0, 0, 0, 60000);
        DecodedImage out = decode(TestImages.encode(src, "tiff"), "TIFF");
        assertThat(out.format()).isEqualTo(PixelFormat.GRAY16);
        assertSamePixels(src.getRaster(), 1, out);
        assertThat(out.u16().get(0, 0, 0)).isEqualTo(60000);
    }

    @Test
    void tiffRgbaKeepsAlpha() throws Exception {
        BufferedImage src = TestImages.random(4, 3, BufferedImage.TYPE_4BYTE_ABGR, 6);
        DecodedImage out = decode(TestImages.encode(src, "tiff"), "TIFF");
        assertThat(out.format()).isEqualTo(PixelFormat.RGBA8);
        assertSamePixels(src.getRaster(), 4, out);
    }

    @Test
    void truncatedTiffFails() {
        byte[] tiff =
                TestImages.encode(
                        TestImages.random(40, 40, BufferedImage.TYPE_3BYTE_BGR, 7), "tiff");
        byte[] cut = java.util.Arrays.copyOf(tiff, tiff.length / 2);
        assertThatThrownBy(() -> decode(cut, "TIFF"))
                .isInstanceOf(ImageDecodeException.class)
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isIn(DecodeFailure.TRUNCATED_IMAGE, DecodeFailure.UNDECODABLE_IMAGE);
    }

    @Test
    void pagesSharingOneDeflatedStripHoldItOnceAndDecodeToItsSamples() throws Exception {
        int w = 40;
        int h = 30;
        byte[] rgb = new byte[w * h * 3];
        new java.util.Random(5).nextBytes(rgb); // incompressible: the strip is ~3.6 KB
        byte[] strip = TiffWriter.deflate(rgb, java.util.zip.Deflater.BEST_COMPRESSION);
        TiffWriter.Page page = TiffWriter.Page.deflated(w, h, 3, 8, strip);
        page.photometric = 2;
        byte[] one = TiffWriter.write(java.util.List.of(page));
        byte[] fifty = TiffWriter.write(java.util.Collections.nCopies(50, page));
        // 49 more directories, but not 49 more strips.
        assertThat(strip.length).isGreaterThan(w * h * 3);
        assertThat(fifty.length - one.length).isPositive().isLessThan(5 * strip.length);
        for (byte[] tiff : new byte[][] {one, fifty}) {
            DecodedImage out = decode(tiff, "TIFF");
            assertThat(out.format()).isEqualTo(PixelFormat.RGB8);
            assertThat(out.width()).isEqualTo(w);
            assertThat(out.height()).isEqualTo(h);
            for (int i = 0; i < rgb.length; i++) {
                assertThat(out.u8().get(i / 3 % w, i / 3 / w, i % 3))
                        .as("sample %d", i)
                        .isEqualTo(rgb[i] & 0xFF);
            }
        }
    }
}
