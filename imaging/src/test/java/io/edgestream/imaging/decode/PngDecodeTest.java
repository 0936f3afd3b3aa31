package io.edgestream.imaging.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.imaging.image.ImageU16;
import io.edgestream.imaging.image.ImageU8;
import io.edgestream.imaging.image.PixelFormat;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import org.junit.jupiter.api.Test;

class PngDecodeTest {

    static DecodedImage png(byte[] data) throws ImageDecodeException {
        return ImageDecoder.decode(data, "PNG", 0, 0, 0, null, DecodeLimits.DEFAULT);
    }

    /** Every sample of the decoded image equals the source raster's, band for band. */
    static void assertSamePixels(Raster src, int channels, DecodedImage out) {
        assertThat(out.width()).isEqualTo(src.getWidth());
        assertThat(out.height()).isEqualTo(src.getHeight());
        assertThat(out.channels()).isEqualTo(channels);
        for (int y = 0; y < src.getHeight(); y++) {
            for (int x = 0; x < src.getWidth(); x++) {
                for (int c = 0; c < channels; c++) {
                    int expected = src.getSample(x, y, c);
                    int actual =
                            out.bitDepth() == 8 ? out.u8().get(x, y, c) : out.u16().get(x, y, c);
                    if (actual != expected) {
                        throw new AssertionError(
                                "pixel ("
                                        + x
                                        + ","
                                        + y
                                        + ") channel "
                                        + c
                                        + ": expected "
                                        + expected
                                        + " but was "
                                        + actual);
                    }
                }
            }
        }
    }

    /**
     * A tRNS colour key on a grey or RGB PNG: the decoder drops alpha for these, and its samples
     * are exactly the colour bands of the JDK reader's default image (which carries the key as an
     * alpha band), at every depth, with pixels on and off the key.
     */
    @Test
    void colourKeyedGreyAndRgbKeepTheReadersSamples() throws Exception {
        BufferedImage[] sources = {
            TestImages.random(37, 23, BufferedImage.TYPE_3BYTE_BGR, 1),
            TestImages.rgb16(37, 23, 2),
            TestImages.random(37, 23, BufferedImage.TYPE_BYTE_GRAY, 3),
            TestImages.random(37, 23, BufferedImage.TYPE_USHORT_GRAY, 4),
            LivePeakCases.packed(37, 23, 1, true, false),
            LivePeakCases.packed(37, 23, 2, true, false),
            LivePeakCases.packed(37, 23, 4, true, false),
        };
        for (BufferedImage src : sources) {
            int bands = src.getRaster().getNumBands();
            WritableRaster r = src.getRaster();
            for (int b = 0; b < bands; b++) {
                r.setSample(0, 0, b, 0); // on the key (0)
            }
            byte[] png = DecodeCostTest.withTrns(DecodeCostTest.png(src), bands == 3 ? 6 : 2);
            BufferedImage keyed = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
            assertThat(keyed.getRaster().getNumBands()).isEqualTo(bands + 1);
            assertThat(keyed.getRaster().getSample(0, 0, bands)).isZero();
            DecodedImage out = png(png);
            assertThat(out.bitDepth())
                    .isEqualTo(src.getColorModel().getComponentSize(0) == 16 ? 16 : 8);
            assertSamePixels(keyed.getRaster(), bands, out);
        }
    }

    @Test
    void rgb8RoundTripsExactly() throws Exception {
        BufferedImage src = TestImages.random(37, 23, BufferedImage.TYPE_3BYTE_BGR, 1);
        DecodedImage out = png(TestImages.encode(src, "png"));
        assertThat(out.format()).isEqualTo(PixelFormat.RGB8);
        assertSamePixels(src.getRaster(), 3, out);
    }

    @Test
    void rgbFromIntPackedSourceRoundTripsExactly() throws Exception {
        BufferedImage src = TestImages.random(16, 9, BufferedImage.TYPE_INT_RGB, 2);
        DecodedImage out = png(TestImages.encode(src, "png"));
        assertSamePixels(src.getRaster(), 3, out);
    }

    @Test
    void rgbaPngKeepsFourChannelsExactly() throws Exception {
        BufferedImage src = TestImages.random(19, 11, BufferedImage.TYPE_4BYTE_ABGR, 3);
        DecodedImage out = png(TestImages.encode(src, "png"));
        assertThat(out.format()).isEqualTo(PixelFormat.RGBA8);
        assertSamePixels(src.getRaster(), 4, out);
    }

    @Test
    void gray8RoundTripsExactly() throws Exception {
        BufferedImage src = TestImages.random(31, 7, BufferedImage.TYPE_BYTE_GRAY, 4);
        DecodedImage out = png(TestImages.encode(src, "png"));
        assertThat(out.format()).isEqualTo(PixelFormat.GRAY8);
        assertSamePixels(src.getRaster(), 1, out);
    }

    @Test
    void sixteenBitGreyPngKeepsSixteenBits() throws Exception {
        BufferedImage src = TestImages.random(21, 13, BufferedImage.TYPE_USHORT_GRAY, 5);
        src.getRaster().setSample(0, 0, 0, 65535);
        src.getRaster().setSample(1, 0, 0, 257);
        src.getRaster().setSample(2, 0, 0, 1);
        DecodedImage out = png(TestImages.encode(src, "png"));
        assertThat(out.format()).isEqualTo(PixelFormat.GRAY16);
        assertThat(out.bitDepth()).isEqualTo(16);
        assertSamePixels(src.getRaster(), 1, out);
        ImageU16 u16 = out.u16();
        assertThat(u16.get(0, 0, 0)).isEqualTo(65535);
        assertThat(u16.get(1, 0, 0)).isEqualTo(257);
        assertThat(u16.get(2, 0, 0)).isEqualTo(1);
        assertThat(out.toF32().get(0, 0, 0)).isEqualTo(65535f);
    }

    @Test
    void sixteenBitRgbPngKeepsSixteenBits() throws Exception {
        BufferedImage src = TestImages.rgb16(9, 5, 6);
        src.getRaster().setPixel(0, 0, new int[] {65535, 300, 1});
        DecodedImage out = png(TestImages.encode(src, "png"));
        assertThat(out.format()).isEqualTo(PixelFormat.RGB16);
        assertSamePixels(src.getRaster(), 3, out);
        assertThat(out.u16().get(0, 0, 1)).isEqualTo(300);
    }

    @Test
    void sixteenBitRgbaPngDropsAlphaAndKeepsSixteenBits() throws Exception {
        java.awt.image.ComponentColorModel cm =
                new java.awt.image.ComponentColorModel(
                        java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB),
                        new int[] {16, 16, 16, 16},
                        true,
                        false,
                        java.awt.Transparency.TRANSLUCENT,
                        java.awt.image.DataBuffer.TYPE_USHORT);
        WritableRaster r = cm.createCompatibleWritableRaster(7, 3);
        TestImages.fillRandom(r, 12);
        BufferedImage src = new BufferedImage(cm, r, false, null);
        byte[] png = TestImages.encode(src, "png");
        assertThat(png[24]).as("IHDR bit depth").isEqualTo((byte) 16);
        assertThat(png[25]).as("IHDR colour type").isEqualTo((byte) 6);
        DecodedImage out = png(png);
        assertThat(out.format()).isEqualTo(PixelFormat.RGB16);
        assertSamePixels(r, 3, out);
    }

    @Test
    void greyAlphaPngDropsAlpha() throws Exception {
        BufferedImage src = TestImages.greyAlpha8(8, 4, 7);
        byte[] png = TestImages.encode(src, "png");
        assertThat(png[25]).as("IHDR colour type").isEqualTo((byte) 4);
        DecodedImage out = png(png);
        assertThat(out.format()).isEqualTo(PixelFormat.GRAY8);
        assertSamePixels(src.getRaster(), 1, out);
    }

    @Test
    void palettePngExpandsToRgb() throws Exception {
        byte[] r = {0, (byte) 255, 10, 20};
        byte[] g = {0, 0, (byte) 200, 30};
        byte[] b = {0, 0, 50, (byte) 255};
        IndexColorModel icm = new IndexColorModel(8, 4, r, g, b);
        BufferedImage src = new BufferedImage(5, 3, BufferedImage.TYPE_BYTE_INDEXED, icm);
        WritableRaster raster = src.getRaster();
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                raster.setSample(x, y, 0, (x + y) % 4);
            }
        }
        byte[] png = TestImages.encode(src, "png");
        assertThat(png[25]).as("IHDR colour type").isEqualTo((byte) 3);
        DecodedImage out = png(png);
        assertThat(out.format()).isEqualTo(PixelFormat.RGB8);
        ImageU8 u8 = out.u8();
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                int i = (x + y) % 4;
                assertThat(u8.get(x, y, 0)).isEqualTo(r[i] & 0xFF);
                assertThat(u8.get(x, y, 1)).isEqualTo(g[i] & 0xFF);
                assertThat(u8.get(x, y, 2)).isEqualTo(b[i] & 0xFF);
            }
        }
    }

    @Test
    void palettePngWithTransparencyGivesRgba() throws Exception {
        byte[] r = {1, 2};
        byte[] g = {3, 4};
        byte[] b = {5, 6};
        byte[] a = {0, (byte) 255};
        IndexColorModel icm = new IndexColorModel(8, 2, r, g, b, a);
        BufferedImage src = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, icm);
        src.getRaster().setSample(1, 0, 0, 1);
        DecodedImage out = png(TestImages.encode(src, "png"));
        assertThat(out.format()).isEqualTo(PixelFormat.RGBA8);
        assertThat(out.u8().get(0, 0, 3)).isZero();
        assertThat(out.u8().get(1, 0, 0)).isEqualTo(2);
        assertThat(out.u8().get(1, 0, 3)).isEqualTo(255);
    }

    @Test
    void oneBitPngScalesToFullRange() throws Exception {
        BufferedImage src = new BufferedImage(10, 2, BufferedImage.TYPE_BYTE_BINARY);
        for (int x = 0; x < 10; x += 3) {
            src.getRaster().setSample(x, 1, 0, 1);
        }
        byte[] png = TestImages.encode(src, "png");
        ImageHeader header = ImageDecoder.probe(png, "PNG");
        DecodedImage out = png(png);
        assertThat(out.channels()).isEqualTo(header.channels());
        for (int x = 0; x < 10; x++) {
            int expected = x % 3 == 0 ? 255 : 0;
            for (int c = 0; c < out.channels(); c++) {
                assertThat(out.u8().get(x, 1, c)).isEqualTo(expected);
                assertThat(out.u8().get(x, 0, c)).isZero();
            }
        }
    }

    @Test
    void onePixelImage() throws Exception {
        BufferedImage src = new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR);
        src.getRaster().setPixel(0, 0, new int[] {200, 100, 50});
        DecodedImage out = png(TestImages.encode(src, "png"));
        assertThat(out.width()).isEqualTo(1);
        assertThat(out.height()).isEqualTo(1);
        assertThat(out.u8().get(0, 0, 0)).isEqualTo(200);
        assertThat(out.u8().get(0, 0, 1)).isEqualTo(100);
        assertThat(out.u8().get(0, 0, 2)).isEqualTo(50);
    }

    @Test
    void claimedDimensionsMustMatchTheHeader() throws Exception {
        byte[] png =
                TestImages.encode(TestImages.random(6, 4, BufferedImage.TYPE_3BYTE_BGR, 8), "png");
        assertThat(
                        ImageDecoder.decode(png, "png", 6, 4, 3, "ignored", DecodeLimits.DEFAULT)
                                .width())
                .isEqualTo(6);
        assertThatThrownBy(
                        () -> ImageDecoder.decode(png, "PNG", 7, 4, 0, null, DecodeLimits.DEFAULT))
                .hasMessageContaining("7x4")
                .hasMessageContaining("6x4")
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.INVALID_DIMENSIONS);
        assertThatThrownBy(
                        () -> ImageDecoder.decode(png, "PNG", 0, 0, 1, null, DecodeLimits.DEFAULT))
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.INVALID_DIMENSIONS);
    }

    @Test
    void probeReadsTheHeaderOnly() throws Exception {
        byte[] png =
                TestImages.encode(
                        TestImages.random(40, 30, BufferedImage.TYPE_USHORT_GRAY, 9), "png");
        assertThat(ImageDecoder.probe(png, "PNG")).isEqualTo(new ImageHeader(40, 30, 1, 16));
        byte[] rgba =
                TestImages.encode(TestImages.random(3, 2, BufferedImage.TYPE_4BYTE_ABGR, 9), "png");
        assertThat(ImageDecoder.probe(rgba, "png")).isEqualTo(new ImageHeader(3, 2, 4, 8));
    }
}
