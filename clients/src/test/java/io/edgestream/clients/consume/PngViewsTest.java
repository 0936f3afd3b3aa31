package io.edgestream.clients.consume;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.imaging.image.ImageF32;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngViewsTest {

    @Test
    void signedMapsPutZeroAtMidGreyAndTheLargestMagnitudeAtTheEnds() {
        ImageF32 m = ImageF32.wrap(new float[] {-30, 0, 15, 30}, 4, 1, 1);
        PngViews.Scale s = PngViews.scaleOf(m);
        assertThat(s.signed()).isTrue();
        assertThat(s.maxAbs()).isEqualTo(30f);
        assertThat(s.apply(-30)).isEqualTo(1);
        assertThat(s.apply(0)).isEqualTo(128);
        assertThat(s.apply(15)).isEqualTo(192); // 128 + 63.5 rounds to 192
        assertThat(s.apply(30)).isEqualTo(255);
    }

    @Test
    void nonNegativeMapsAreScaledFromBlackToWhite() {
        ImageF32 m = ImageF32.wrap(new float[] {0, 10, 20, 40}, 2, 2, 1);
        PngViews.Scale s = PngViews.scaleOf(m);
        assertThat(s.signed()).isFalse();
        assertThat(s.apply(0)).isEqualTo(0);
        assertThat(s.apply(10)).isEqualTo(64); // 63.75
        assertThat(s.apply(40)).isEqualTo(255);
    }

    @Test
    void allZeroMapsAreMidGreyAndNanIsBlack() {
        PngViews.Scale s = PngViews.scaleOf(ImageF32.wrap(new float[] {0, 0}, 2, 1, 1));
        assertThat(s.apply(0)).isEqualTo(128);
        assertThat(s.apply(Float.NaN)).isEqualTo(0);
        PngViews.Scale t =
                PngViews.scaleOf(
                        ImageF32.wrap(
                                new float[] {Float.NaN, 4, Float.POSITIVE_INFINITY}, 3, 1, 1));
        assertThat(t.maxAbs()).isEqualTo(4f);
        assertThat(t.apply(Float.POSITIVE_INFINITY)).isEqualTo(255);
    }

    @Test
    void writesAGreyPngWithTheScaledValues(@TempDir Path dir) throws Exception {
        ImageF32 m = ImageF32.wrap(new float[] {-2, 0, 2, 1}, 2, 2, 1);
        Path f = dir.resolve("m.png");
        PngViews.write(m, f);
        BufferedImage img = ImageIO.read(f.toFile());
        assertThat(img.getWidth()).isEqualTo(2);
        assertThat(img.getHeight()).isEqualTo(2);
        assertThat(img.getRaster().getSample(0, 0, 0)).isEqualTo(1);
        assertThat(img.getRaster().getSample(1, 0, 0)).isEqualTo(128);
        assertThat(img.getRaster().getSample(0, 1, 0)).isEqualTo(255);
        assertThat(img.getRaster().getSample(1, 1, 0)).isEqualTo(192);
    }

    @Test
    void perChannelMapsBecomeRgb(@TempDir Path dir) throws Exception {
        ImageF32 m = ImageF32.wrap(new float[] {10, 0, 5}, 1, 1, 3);
        Path f = dir.resolve("rgb.png");
        PngViews.write(m, f);
        BufferedImage img = ImageIO.read(f.toFile());
        int rgb = img.getRGB(0, 0);
        assertThat((rgb >> 16) & 0xFF).isEqualTo(255);
        assertThat((rgb >> 8) & 0xFF).isEqualTo(0);
        assertThat(rgb & 0xFF).isEqualTo(128);
    }
}
