package io.edgestream.imaging.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.image.ImageU16;
import io.edgestream.imaging.image.ImageU8;
import io.edgestream.imaging.image.PixelFormat;
import org.junit.jupiter.api.Test;

class DecodedImageTest {

    @Test
    void formatFollowsDepthAndChannels() {
        assertThat(DecodedImage.ofU8(ImageU8.wrap(new byte[4], 2, 2, 1)).format())
                .isEqualTo(PixelFormat.GRAY8);
        assertThat(DecodedImage.ofU8(ImageU8.wrap(new byte[16], 2, 2, 4)).format())
                .isEqualTo(PixelFormat.RGBA8);
        assertThat(DecodedImage.ofU16(ImageU16.wrap(new short[12], 2, 2, 3)).format())
                .isEqualTo(PixelFormat.RGB16);
        assertThat(DecodedImage.ofF32(ImageF32.wrap(new float[8], 2, 2, 2)).format())
                .isEqualTo(PixelFormat.FLOAT32);
    }

    @Test
    void combinationsWithoutAPixelFormatAreRefused() {
        assertThatThrownBy(() -> DecodedImage.ofU8(ImageU8.wrap(new byte[8], 2, 2, 2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DecodedImage.ofU16(ImageU16.wrap(new short[16], 2, 2, 4)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void accessorOfTheWrongDepthSaysWhichOneToUse() {
        DecodedImage img = DecodedImage.ofU16(ImageU16.wrap(new short[] {1000}, 1, 1, 1));
        assertThatThrownBy(img::u8)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GRAY16");
        assertThat(img.toF32().get(0, 0, 0)).isEqualTo(1000f);
        assertThat(img.minValue()).isZero();
        assertThat(img.maxValue()).isEqualTo(65535f);
    }

    @Test
    void floatRangeIgnoresNonFiniteSamplesOfAView() {
        float[] data = {Float.NaN, -2f, 100f, 5f, Float.NEGATIVE_INFINITY, 3f};
        // A 1x2 view on column 1 of a 3x2 image holds -2 and -Infinity: the range must skip
        // -Infinity and never read the samples outside the view (100, 5, 3).
        ImageF32 view = new ImageF32(data, 1, 2, 1, 3, 1);
        DecodedImage img = DecodedImage.ofF32(view);
        assertThat(img.minValue()).isEqualTo(-2f);
        assertThat(img.maxValue()).isEqualTo(-2f);
    }
}
