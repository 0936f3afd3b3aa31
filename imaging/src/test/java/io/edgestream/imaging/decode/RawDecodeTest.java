package io.edgestream.imaging.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.image.PixelFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class RawDecodeTest {

    private static DecodedImage raw(byte[] data, int w, int h, int c, String format)
            throws ImageDecodeException {
        return ImageDecoder.decode(data, "RAW", w, h, c, format, DecodeLimits.DEFAULT);
    }

    @Test
    void gray8KeepsEveryByteUnsigned() throws Exception {
        byte[] data = {0, 1, (byte) 127, (byte) 128, (byte) 254, (byte) 255};
        DecodedImage img = raw(data, 3, 2, 1, "GRAY8");
        assertThat(img.format()).isEqualTo(PixelFormat.GRAY8);
        assertThat(img.bitDepth()).isEqualTo(8);
        assertThat(img.u8().get(0, 0, 0)).isZero();
        assertThat(img.u8().get(2, 0, 0)).isEqualTo(127);
        assertThat(img.u8().get(0, 1, 0)).isEqualTo(128);
        assertThat(img.u8().get(2, 1, 0)).isEqualTo(255);
        assertThat(img.minValue()).isZero();
        assertThat(img.maxValue()).isEqualTo(255f);
    }

    @Test
    void rgb8IsInterleavedAndCopiedFromThePayload() throws Exception {
        byte[] data = {10, 20, 30, 40, 50, 60};
        DecodedImage img = raw(data, 2, 1, 3, "rgb8");
        data[0] = 99; // the decoded image must not alias the caller's array
        assertThat(img.format()).isEqualTo(PixelFormat.RGB8);
        assertThat(img.channels()).isEqualTo(3);
        assertThat(img.u8().get(0, 0, 0)).isEqualTo(10);
        assertThat(img.u8().get(1, 0, 2)).isEqualTo(60);
        assertThat(img.toF32().get(1, 0, 1)).isEqualTo(50f);
    }

    @Test
    void rgba8HasFourChannels() throws Exception {
        DecodedImage img = raw(new byte[] {1, 2, 3, (byte) 200}, 1, 1, 4, "RGBA8");
        assertThat(img.format()).isEqualTo(PixelFormat.RGBA8);
        assertThat(img.u8().get(0, 0, 3)).isEqualTo(200);
    }

    @Test
    void gray16IsLittleEndianAndKeepsSixteenBits() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 1).putShort((short) 0x1234).putShort((short) 65535);
        DecodedImage img = raw(b.array(), 3, 1, 1, "GRAY16");
        assertThat(img.format()).isEqualTo(PixelFormat.GRAY16);
        assertThat(img.bitDepth()).isEqualTo(16);
        assertThat(img.u16().get(0, 0, 0)).isEqualTo(1);
        assertThat(img.u16().get(1, 0, 0)).isEqualTo(0x1234);
        assertThat(img.u16().get(2, 0, 0)).isEqualTo(65535);
        assertThat(img.toF32().get(2, 0, 0)).isEqualTo(65535f);
        assertThat(img.maxValue()).isEqualTo(65535f);
    }

    @Test
    void rgb16IsLittleEndian() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 300).putShort((short) 40000).putShort((short) 7);
        DecodedImage img = raw(b.array(), 1, 1, 3, "RGB16");
        assertThat(img.format()).isEqualTo(PixelFormat.RGB16);
        assertThat(img.u16().get(0, 0, 0)).isEqualTo(300);
        assertThat(img.u16().get(0, 0, 1)).isEqualTo(40000);
        assertThat(img.u16().get(0, 0, 2)).isEqualTo(7);
    }

    @Test
    void float32WithTwoChannelsIsLittleEndianAndRangeIsTheData() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(2 * 2 * 2 * 4).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = {-1.5f, 2f, 0f, 1e6f, 3.25f, -7f, 0.5f, 42f};
        for (float v : values) {
            b.putFloat(v);
        }
        DecodedImage img = raw(b.array(), 2, 2, 2, "FLOAT32");
        assertThat(img.format()).isEqualTo(PixelFormat.FLOAT32);
        assertThat(img.bitDepth()).isEqualTo(32);
        assertThat(img.channels()).isEqualTo(2);
        ImageF32 f = img.f32();
        assertThat(f.toArray()).containsExactly(values);
        assertThat(img.toF32()).isSameAs(f);
        assertThat(img.minValue()).isEqualTo(-7f);
        assertThat(img.maxValue()).isEqualTo(1e6f);
    }

    @Test
    void float32KeepsNanAndInfinityButRangeIgnoresThem() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(5 * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(Float.NaN)
                .putFloat(Float.POSITIVE_INFINITY)
                .putFloat(-3f)
                .putFloat(Float.NEGATIVE_INFINITY)
                .putFloat(8f);
        DecodedImage img = raw(b.array(), 5, 1, 1, "FLOAT32");
        float[] px = img.f32().toArray();
        assertThat(px[0]).isNaN();
        assertThat(px[1]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(px[3]).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(img.minValue()).isEqualTo(-3f);
        assertThat(img.maxValue()).isEqualTo(8f);
    }

    @Test
    void float32WithoutAnyFiniteValueReportsNanRange() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(Float.NaN).putFloat(Float.POSITIVE_INFINITY);
        DecodedImage img = raw(b.array(), 2, 1, 1, "FLOAT32");
        assertThat(img.minValue()).isNaN();
        assertThat(img.maxValue()).isNaN();
    }

    @Test
    void wrongByteCountIsRawSizeMismatchNamingBothCounts() {
        assertThatThrownBy(() -> raw(new byte[11], 2, 2, 3, "RGB8"))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("12")
                .hasMessageContaining("11")
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.RAW_SIZE_MISMATCH);
        assertThatThrownBy(() -> raw(new byte[13], 2, 2, 3, "RGB8"))
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.RAW_SIZE_MISMATCH);
        assertThatThrownBy(() -> raw(null, 2, 2, 1, "GRAY8"))
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.RAW_SIZE_MISMATCH);
    }

    @Test
    void zeroDimensionsAreInvalid() {
        assertThatThrownBy(() -> raw(new byte[0], 0, 4, 1, "GRAY8"))
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.INVALID_DIMENSIONS);
        assertThatThrownBy(() -> raw(new byte[0], 4, 0, 1, "GRAY8"))
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.INVALID_DIMENSIONS);
    }

    @Test
    void negativeDimensionsAreInvalid() {
        assertThatThrownBy(() -> raw(new byte[4], -2, -2, 1, "GRAY8"))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("-2x-2")
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.INVALID_DIMENSIONS);
        assertThatThrownBy(() -> raw(new byte[4], 2, 2, -1, "GRAY8"))
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.INVALID_DIMENSIONS);
    }

    @Test
    void missingOrUnknownPixelFormatIsRawSizeMismatch() {
        assertThatThrownBy(() -> raw(new byte[4], 2, 2, 1, null))
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.RAW_SIZE_MISMATCH);
        assertThatThrownBy(() -> raw(new byte[4], 2, 2, 1, "YUV420"))
                .hasMessageContaining("YUV420")
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.RAW_SIZE_MISMATCH);
    }

    @Test
    void channelsThatContradictThePixelFormatAreRawSizeMismatch() {
        assertThatThrownBy(() -> raw(new byte[12], 2, 2, 1, "RGB8"))
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.RAW_SIZE_MISMATCH);
    }

    @Test
    void float32AcceptsOneToFourChannelsOnly() throws Exception {
        assertThat(raw(new byte[4 * 4], 1, 1, 4, "FLOAT32").channels()).isEqualTo(4);
        assertThatThrownBy(() -> raw(new byte[5 * 4], 1, 1, 5, "FLOAT32"))
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.INVALID_DIMENSIONS);
    }

    @Test
    void oversizedRawIsRefusedBeforeTheByteCountIsEvenLookedAt() {
        DecodeLimits small = new DecodeLimits(100, 1000, 1000);
        assertThatThrownBy(() -> ImageDecoder.decode(new byte[1], "RAW", 20, 20, 1, "GRAY8", small))
                .hasMessageContaining("400")
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.TOO_MANY_PIXELS);
        assertThatThrownBy(
                        () ->
                                ImageDecoder.decode(
                                        new byte[1],
                                        "RAW",
                                        70_000,
                                        1,
                                        1,
                                        "GRAY8",
                                        DecodeLimits.DEFAULT))
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.TOO_MANY_PIXELS);
    }

    @Test
    void unknownEncodingIsUnsupported() {
        assertThatThrownBy(
                        () ->
                                ImageDecoder.decode(
                                        new byte[4], "WEBP", 0, 0, 0, null, DecodeLimits.DEFAULT))
                .hasMessageContaining("WEBP")
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.UNSUPPORTED_ENCODING);
        assertThatThrownBy(
                        () ->
                                ImageDecoder.decode(
                                        new byte[4], null, 0, 0, 0, null, DecodeLimits.DEFAULT))
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.UNSUPPORTED_ENCODING);
    }
}
