package io.edgestream.imaging.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.imaging.image.ImageU8;
import io.edgestream.imaging.image.PixelFormat;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.junit.jupiter.api.Test;

class JpegDecodeTest {

    static DecodedImage jpeg(byte[] data) throws ImageDecodeException {
        return ImageDecoder.decode(data, "JPEG", 0, 0, 0, null, DecodeLimits.DEFAULT);
    }

    @Test
    void colourJpegDecodesToRgbWithinCompressionTolerance() throws Exception {
        BufferedImage src = TestImages.smoothRgb(64, 48);
        DecodedImage out = jpeg(TestImages.encode(src, "jpeg"));
        assertThat(out.format()).isEqualTo(PixelFormat.RGB8);
        assertThat(out.width()).isEqualTo(64);
        assertThat(out.height()).isEqualTo(48);
        int worst = 0;
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                for (int c = 0; c < 3; c++) {
                    int d = Math.abs(out.u8().get(x, y, c) - src.getRaster().getSample(x, y, c));
                    worst = Math.max(worst, d);
                }
            }
        }
        // Default quality (0.75) on a smooth gradient stays within a few levels; a channel swap
        // (BGR for RGB) would be off by up to 255.
        assertThat(worst).isLessThanOrEqualTo(12);
    }

    @Test
    void greyJpegDecodesToOneChannel() throws Exception {
        BufferedImage src = new BufferedImage(32, 16, BufferedImage.TYPE_BYTE_GRAY);
        for (int x = 0; x < 32; x++) {
            for (int y = 0; y < 16; y++) {
                src.getRaster().setSample(x, y, 0, x * 8);
            }
        }
        byte[] data = TestImages.encode(src, "jpeg");
        assertThat(ImageDecoder.probe(data, "jpeg")).isEqualTo(new ImageHeader(32, 16, 1, 8));
        DecodedImage out = jpeg(data);
        assertThat(out.format()).isEqualTo(PixelFormat.GRAY8);
        for (int x = 0; x < 32; x++) {
            assertThat(out.u8().get(x, 8, 0))
                    .isCloseTo(x * 8, org.assertj.core.data.Offset.offset(6));
        }
    }

    @Test
    void cmykJpegDecodesToRgbWhereTheJdkReaderGivesNoRgb() throws Exception {
        WritableRaster cmyk = TestImages.byteRaster(16, 16, 4);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                // Adobe convention: stored = 255 - ink. Left half 100% cyan, right half no ink.
                cmyk.setPixel(x, y, new int[] {x < 8 ? 0 : 255, 255, 255, 255});
            }
        }
        byte[] data = TestImages.adobeCmykJpeg(cmyk);

        // The JDK's own reader cannot give RGB: depending on the JDK it throws, or returns the
        // raw 4-channel CMYK samples in a CMYK colour space.
        ImageReader jdk = null;
        for (var it = ImageIO.getImageReadersByFormatName("jpeg"); it.hasNext(); ) {
            ImageReader r = it.next();
            if (r.getClass().getName().startsWith("com.sun.")) {
                jdk = r;
            }
        }
        assertThat(jdk).as("JDK JPEG reader").isNotNull();
        try (ImageInputStream in =
                new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            jdk.setInput(in);
            BufferedImage viaJdk = jdk.read(0);
            assertThat(viaJdk.getColorModel().getColorSpace().getType())
                    .isNotEqualTo(ColorSpace.TYPE_RGB);
            assertThat(viaJdk.getRaster().getNumBands()).isEqualTo(4);
        } catch (javax.imageio.IIOException expectedOnSomeJdks) {
            assertThat(expectedOnSomeJdks.getMessage()).isNotBlank();
        } finally {
            jdk.dispose();
        }

        assertThat(ImageDecoder.probe(data, "JPEG").channels()).isEqualTo(3);
        DecodedImage out = jpeg(data);
        assertThat(out.format()).isEqualTo(PixelFormat.RGB8);
        ImageU8 u8 = out.u8();
        // Cyan ink -> (0, 255, 255); no ink -> white.
        assertThat(u8.get(2, 8, 0)).isLessThanOrEqualTo(20);
        assertThat(u8.get(2, 8, 1)).isGreaterThanOrEqualTo(235);
        assertThat(u8.get(2, 8, 2)).isGreaterThanOrEqualTo(235);
        for (int c = 0; c < 3; c++) {
            assertThat(u8.get(13, 8, c)).isGreaterThanOrEqualTo(235);
        }
    }

    @Test
    void cmykBlackInkDarkensAllChannels() throws Exception {
        WritableRaster cmyk = TestImages.byteRaster(8, 8, 4);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                cmyk.setPixel(x, y, new int[] {255, 255, 255, 255 - 128}); // K = 128
            }
        }
        DecodedImage out = jpeg(TestImages.adobeCmykJpeg(cmyk));
        for (int c = 0; c < 3; c++) {
            // (255 - 0) * (255 - 128) / 255 = 127
            assertThat(out.u8().get(4, 4, c)).isBetween(117, 137);
        }
    }

    @Test
    void claimedChannelsMustMatch() throws Exception {
        byte[] data = TestImages.encode(TestImages.smoothRgb(8, 8), "jpeg");
        assertThat(
                        ImageDecoder.decode(data, "jpeg", 8, 8, 3, null, DecodeLimits.DEFAULT)
                                .channels())
                .isEqualTo(3);
        assertThatThrownBy(
                        () ->
                                ImageDecoder.decode(
                                        data, "JPEG", 8, 8, 1, null, DecodeLimits.DEFAULT))
                .hasMessageContaining("8x8x1")
                .hasMessageContaining("8x8x3")
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.INVALID_DIMENSIONS);
    }

    @Test
    void oversizedJpegIsRefusedFromItsFrameHeader() throws Exception {
        byte[] data = TestImages.encode(TestImages.smoothRgb(64, 64), "jpeg");
        DecodeLimits tiny = new DecodeLimits(1000, 100, 100);
        assertThatThrownBy(() -> ImageDecoder.decode(data, "JPEG", 0, 0, 0, null, tiny))
                .hasMessageContaining("64x64")
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.TOO_MANY_PIXELS);
    }

    @Test
    void theTwelveMonkeysReaderIsTheOneUsed() throws Exception {
        assertThat(ImageIoReaders.jpeg().getClass().getName())
                .startsWith("com.twelvemonkeys.imageio.plugins.jpeg.");
    }

    /** Prints decode throughput; informative only, no timing assertion. */
    @Test
    void printDecodeSpeedOfOneMegapixel() throws Exception {
        BufferedImage src = TestImages.random(1000, 1000, BufferedImage.TYPE_3BYTE_BGR, 11);
        // Random noise is a worst case for JPEG entropy decoding; use a photo-like mix instead.
        BufferedImage smooth = TestImages.smoothRgb(1000, 1000);
        for (int y = 0; y < 1000; y += 2) {
            for (int x = 0; x < 1000; x += 7) {
                smooth.getRaster().setPixel(x, y, src.getRaster().getPixel(x, y, (int[]) null));
            }
        }
        byte[] jpeg = TestImages.encode(smooth, "jpeg");
        byte[] png = TestImages.encode(smooth, "png");
        List<String> lines = new ArrayList<>();
        for (String[] fmt : new String[][] {{"JPEG", "j"}, {"PNG", "p"}}) {
            byte[] data = fmt[0].equals("JPEG") ? jpeg : png;
            for (int i = 0; i < 5; i++) { // warm up
                ImageDecoder.decode(data, fmt[0], 0, 0, 0, null, DecodeLimits.DEFAULT);
            }
            int runs = 10;
            long t0 = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                DecodedImage out =
                        ImageDecoder.decode(data, fmt[0], 0, 0, 0, null, DecodeLimits.DEFAULT);
                assertThat(out.width()).isEqualTo(1000);
            }
            double ms = (System.nanoTime() - t0) / 1e6 / runs;
            lines.add(
                    String.format(
                            "%s 1000x1000 RGB (%d KB): %.1f ms/decode = %.1f MP/s",
                            fmt[0], data.length / 1024, ms, 1000.0 / ms));
        }
        lines.forEach(l -> System.out.println("[decode speed] " + l));
    }
}
