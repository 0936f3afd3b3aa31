package io.edgestream.imaging.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageLayoutTest {

    @Test
    void viewSharesTheArrayAndReadsTheRightPixels() {
        ImageF32 image = ImageF32.wrap(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 4, 3, 1);
        ImageF32 view = image.view(1, 1, 2, 2);
        assertThat(view.data).isSameAs(image.data);
        assertThat(view.toArray()).containsExactly(5, 6, 9, 10);
        assertThat(view.isCompact()).isFalse();
        assertThat(view.compact().isCompact()).isTrue();
    }

    @Test
    void interleavedChannelsAreAddressedHwc() {
        byte[] rgb = {10, 20, 30, 40, 50, 60};
        ImageU8 image = ImageU8.wrap(rgb, 2, 1, 3);
        assertThat(image.get(1, 0, 2)).isEqualTo(60);
        assertThat(image.toF32().get(1, 0, 0)).isEqualTo(40f);
    }

    @Test
    void sixteenBitSamplesAreUnsigned() {
        ImageU16 image = ImageU16.wrap(new short[] {(short) 65535, 256}, 2, 1, 1);
        assertThat(image.get(0, 0, 0)).isEqualTo(65535);
        assertThat(image.toF32().toArray()).containsExactly(65535f, 256f);
    }

    @Test
    void aViewThatDoesNotFitItsArrayIsRefusedWithItsGeometry() {
        assertThatThrownBy(() -> new ImageF32(new float[10], 4, 3, 1, 4, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ImageF32 view 4x3x1")
                .hasMessageContaining("array of 10");
        assertThatThrownBy(() -> new ImageU8(new byte[12], 4, 3, 1, 3, 0))
                .hasMessageContaining("stride 3 is smaller than width*channels 4");
        assertThatThrownBy(() -> ImageU16.wrap(new short[4], -1, 2, 1))
                .hasMessageContaining("non-negative");
    }

    @Test
    void viewOutsideTheImageIsRefused() {
        ImageF32 image = ImageF32.allocate(4, 4, 1);
        assertThatThrownBy(() -> image.view(3, 3, 2, 2))
                .hasMessageContaining("outside the 4x4 image");
    }

    @Test
    void everyDepthAddressesAPaddedViewByTheSameRule() {
        // 2x2 RGB pixels in rows of 8 samples starting at 1: (x=1, y=1, c=2) is 1 + 8 + 3 + 2.
        byte[] bytes = new byte[17];
        bytes[14] = (byte) 200;
        short[] shorts = new short[17];
        shorts[14] = (short) 60000;
        float[] floats = new float[17];
        floats[14] = 0.5f;
        ImageU8 u8 = new ImageU8(bytes, 2, 2, 3, 8, 1);
        ImageU16 u16 = new ImageU16(shorts, 2, 2, 3, 8, 1);
        ImageF32 f32 = new ImageF32(floats, 2, 2, 3, 8, 1);
        for (ImageBuffer image : new ImageBuffer[] {u8, u16, f32}) {
            assertThat(image.index(1, 1, 2)).isEqualTo(14);
            assertThat(image.rowLength()).isEqualTo(6);
            assertThat(image.isCompact()).isFalse();
        }
        assertThat(u8.get(1, 1, 2)).isEqualTo(200);
        assertThat(u16.get(1, 1, 2)).isEqualTo(60000);
        assertThat(f32.get(1, 1, 2)).isEqualTo(0.5f);
        assertThat(u16.toString()).isEqualTo("ImageU16[2x2x3]");
        assertThat(ImageU8.wrap(new byte[12], 2, 2, 3).isCompact()).isTrue();
        assertThat(f32.view(1, 1, 1, 1).index(0, 0, 2)).isEqualTo(14);
    }
}
