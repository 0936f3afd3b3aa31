package io.edgestream.imaging.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Inputs a producer or an attacker could send; each must fail with the right reason. */
class HostileInputTest {

    private static DecodeFailure failureOf(byte[] data, String encoding) {
        try {
            DecodedImage img =
                    ImageDecoder.decode(data, encoding, 0, 0, 0, null, DecodeLimits.DEFAULT);
            throw new AssertionError("expected a decode failure but got " + img);
        } catch (ImageDecodeException e) {
            assertThat(e.getMessage()).isNotBlank();
            return e.failure();
        }
    }

    @Test
    @Timeout(5)
    void pngHeaderClaimingTenGigapixelsIsRefusedQuicklyWithoutAllocating() throws Exception {
        // 100000 x 100000 x 3 bytes would be 30 GB: decoding would throw OutOfMemoryError.
        byte[] bomb =
                TestImages.pngHeader(
                        100_000,
                        100_000,
                        TestImages.pngChunk("IDAT", new byte[] {0x78, (byte) 0x9C, 3, 0}),
                        TestImages.pngChunk("IEND", new byte[0]));
        long t0 = System.nanoTime();
        assertThatThrownBy(
                        () -> ImageDecoder.decode(bomb, "PNG", 0, 0, 0, null, DecodeLimits.DEFAULT))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("100000x100000")
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.TOO_MANY_PIXELS);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(took).isLessThan(Duration.ofSeconds(1));
        // Header only, nothing else: still refused on the declared size.
        assertThat(failureOf(TestImages.pngHeader(100_000, 100_000), "PNG"))
                .isEqualTo(DecodeFailure.TOO_MANY_PIXELS);
        // The probe reports the claim without refusing it.
        assertThat(ImageDecoder.probe(bomb, "PNG").width()).isEqualTo(100_000);
    }

    @Test
    void pngHeaderWithZeroWidthIsInvalidDimensions() {
        assertThat(failureOf(TestImages.pngHeader(0, 10), "PNG"))
                .isEqualTo(DecodeFailure.INVALID_DIMENSIONS);
    }

    @Test
    void pngWithFlippedByteInIdatFailsItsCrc() {
        byte[] png =
                TestImages.encode(
                        TestImages.random(20, 20, BufferedImage.TYPE_3BYTE_BGR, 1), "png");
        int idat = indexOf(png, "IDAT".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(idat).isPositive();
        byte[] corrupt = png.clone();
        corrupt[idat + 10] ^= 0x40;
        assertThatThrownBy(
                        () ->
                                ImageDecoder.decode(
                                        corrupt, "PNG", 0, 0, 0, null, DecodeLimits.DEFAULT))
                .hasMessageContaining("IDAT")
                .hasMessageContaining("CRC")
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.UNDECODABLE_IMAGE);
    }

    @Test
    void pngWithCorruptIdatButRecomputedCrcIsStillRejected() {
        // A corrupted deflate stream that is internally consistent at the chunk level: the
        // inflater must reject it rather than produce garbage silently.
        byte[] png =
                TestImages.encode(
                        TestImages.random(20, 20, BufferedImage.TYPE_3BYTE_BGR, 1), "png");
        int type = indexOf(png, "IDAT".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        int len = ByteBuffer.wrap(png, type - 4, 4).getInt();
        byte[] corrupt = png.clone();
        Arrays.fill(corrupt, type + 4, type + 4 + Math.min(len, 8), (byte) 0xFF);
        CRC32 crc = new CRC32();
        crc.update(corrupt, type, 4 + len);
        ByteBuffer.wrap(corrupt, type + 4 + len, 4).putInt((int) crc.getValue());
        DecodeFailure f = failureOf(corrupt, "PNG");
        assertThat(f).isIn(DecodeFailure.UNDECODABLE_IMAGE, DecodeFailure.TRUNCATED_IMAGE);
    }

    @Test
    void aBrokenPngChunkIsNamedByItsTypeAndOffset() {
        byte[] text = TestImages.pngChunk("tEXt", new byte[] {'a', 0, 'b'});
        byte[] badCrc = TestImages.pngHeader(4, 4, text);
        badCrc[badCrc.length - 1] ^= 1;
        assertThatThrownBy(() -> PngHeader.verifyChunks(badCrc))
                .hasMessageStartingWith("PNG chunk 'tEXt' at offset 33 has CRC ")
                .hasMessageEndingWith(": the file was corrupted in transit or storage");
        byte[] huge =
                TestImages.pngHeader(4, 4, new byte[] {(byte) 0x80, 0, 0, 0, 'I', 'D', 'A', 'T'});
        assertThatThrownBy(() -> PngHeader.verifyChunks(huge))
                .hasMessage(
                        "PNG chunk 'IDAT' at offset 33 declares an impossible length 2147483648;"
                                + " the file is corrupt");
        byte[] cut =
                TestImages.pngHeader(
                        4, 4, new byte[] {0, 0, 0, 100, 'I', 'D', 'A', 'T', 1, 2, 3, 4});
        assertThatThrownBy(() -> PngHeader.verifyChunks(cut))
                .hasMessage(
                        "PNG chunk 'IDAT' at offset 33 needs 112 bytes but the file ends after 45"
                                + " bytes; resend the complete file");
    }

    @Test
    void truncatedPngIsTruncatedImage() {
        byte[] png =
                TestImages.encode(
                        TestImages.random(30, 30, BufferedImage.TYPE_3BYTE_BGR, 2), "png");
        assertThat(failureOf(Arrays.copyOf(png, png.length / 2), "PNG"))
                .isEqualTo(DecodeFailure.TRUNCATED_IMAGE);
        assertThat(failureOf(Arrays.copyOf(png, 20), "PNG"))
                .isEqualTo(DecodeFailure.TRUNCATED_IMAGE);
        assertThat(failureOf(Arrays.copyOf(png, png.length - 1), "PNG"))
                .isEqualTo(DecodeFailure.TRUNCATED_IMAGE);
    }

    @Test
    void truncatedJpegIsTruncatedImageNotAGreyPaddedPicture() {
        byte[] jpeg = TestImages.encode(TestImages.smoothRgb(200, 150), "jpeg");
        for (int cut : new int[] {jpeg.length - 2, jpeg.length * 2 / 3, jpeg.length / 2}) {
            assertThat(failureOf(Arrays.copyOf(jpeg, cut), "JPEG"))
                    .as("cut at %d of %d", cut, jpeg.length)
                    .isEqualTo(DecodeFailure.TRUNCATED_IMAGE);
        }
    }

    @Test
    void truncatedJpegInsideItsHeaderIsTruncatedImage() {
        byte[] jpeg = TestImages.encode(TestImages.smoothRgb(20, 20), "jpeg");
        assertThat(failureOf(Arrays.copyOf(jpeg, 30), "JPEG"))
                .isEqualTo(DecodeFailure.TRUNCATED_IMAGE);
    }

    @Test
    void jpegCutShortWithAnEndMarkerGluedOnIsNotAcceptedSilently() {
        byte[] jpeg =
                TestImages.encode(
                        TestImages.random(200, 150, BufferedImage.TYPE_3BYTE_BGR, 3), "jpeg");
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2 + 2);
        cut[cut.length - 2] = (byte) 0xFF;
        cut[cut.length - 1] = (byte) 0xD9;
        // The EOI check passes; libjpeg's "premature end of data segment" warning, forwarded by
        // TwelveMonkeys, is what catches it.
        assertThatThrownBy(
                        () -> ImageDecoder.decode(cut, "JPEG", 0, 0, 0, null, DecodeLimits.DEFAULT))
                .hasMessageContaining("premature end")
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.TRUNCATED_IMAGE);
    }

    @Test
    void randomBytesAreUndecodableForEveryEncoding() {
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        for (String enc : new String[] {"PNG", "JPEG", "BMP", "TIFF"}) {
            assertThat(failureOf(noise, enc)).as(enc).isEqualTo(DecodeFailure.UNDECODABLE_IMAGE);
        }
    }

    @Test
    void emptyPayloadIsUndecodableForEveryEncoding() {
        for (String enc : new String[] {"PNG", "JPEG", "BMP", "TIFF"}) {
            assertThat(failureOf(new byte[0], enc))
                    .as(enc)
                    .isEqualTo(DecodeFailure.UNDECODABLE_IMAGE);
            assertThat(failureOf(null, enc)).as(enc).isEqualTo(DecodeFailure.UNDECODABLE_IMAGE);
        }
    }

    @Test
    void pngSentAsJpegIsUndecodable() {
        byte[] png =
                TestImages.encode(TestImages.random(4, 4, BufferedImage.TYPE_3BYTE_BGR, 5), "png");
        assertThatThrownBy(
                        () -> ImageDecoder.decode(png, "JPEG", 0, 0, 0, null, DecodeLimits.DEFAULT))
                .hasMessageContaining("not a JPEG")
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.UNDECODABLE_IMAGE);
    }

    @Test
    void negativeClaimedDimensionsForEncodedImagesAreInvalid() {
        byte[] png =
                TestImages.encode(TestImages.random(4, 4, BufferedImage.TYPE_3BYTE_BGR, 5), "png");
        assertThatThrownBy(
                        () -> ImageDecoder.decode(png, "PNG", -4, 4, 0, null, DecodeLimits.DEFAULT))
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.INVALID_DIMENSIONS);
    }

    @Test
    void jpegFrameHeaderClaimingHugeSizeIsRefusedBeforeDecoding() {
        byte[] jpeg = TestImages.encode(TestImages.smoothRgb(16, 16), "jpeg");
        byte[] forged = jpeg.clone();
        int sof = indexOf(forged, new byte[] {(byte) 0xFF, (byte) 0xC0});
        // SOF0: FF C0 len(2) precision(1) height(2) width(2)
        forged[sof + 5] = (byte) 0xFF;
        forged[sof + 6] = (byte) 0xFF;
        forged[sof + 7] = (byte) 0xFF;
        forged[sof + 8] = (byte) 0xFF;
        assertThat(failureOf(forged, "JPEG")).isEqualTo(DecodeFailure.TOO_MANY_PIXELS);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
