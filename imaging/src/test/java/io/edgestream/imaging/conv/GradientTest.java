package io.edgestream.imaging.conv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.kernel.Kernels;
import org.junit.jupiter.api.Test;

class GradientTest {

    private static ImageF32 of(float... v) {
        return ImageF32.wrap(v.clone(), v.length, 1, 1);
    }

    @Test
    void magnitudeIsTheEuclideanNorm() {
        ImageF32 m = Gradient.magnitude(of(3, 0, -5, 0), of(4, 0, 12, -2));
        assertThat(m.toArray()).containsExactly(5f, 0f, 13f, 2f);
        ImageF32 into = ImageF32.allocate(4, 1, 1);
        Gradient.magnitudeInto(of(3, 0, -5, 0), of(4, 0, 12, -2), into);
        assertThat(into.contentEquals(m)).isTrue();
    }

    @Test
    void orientationIsAtan2InTheHalfOpenRange() {
        ImageF32 o = Gradient.orientation(of(1, 0, -1, -1, 0), of(0, 1, 0, -0f, -1));
        float[] v = o.toArray();
        assertThat(v[0]).isEqualTo(0f);
        assertThat(v[1]).isCloseTo((float) (Math.PI / 2), within(1e-7f));
        assertThat(v[2]).isEqualTo((float) Math.PI);
        assertThat(v[3]).as("atan2(-0, -1) = -pi is reported as +pi").isEqualTo((float) Math.PI);
        assertThat(v[4]).isCloseTo((float) (-Math.PI / 2), within(1e-7f));
        ImageF32 into = ImageF32.allocate(5, 1, 1);
        Gradient.orientationInto(of(1, 0, -1, -1, 0), of(0, 1, 0, -0f, -1), into);
        assertThat(into.contentEquals(o)).isTrue();
    }

    @Test
    void sobelOnABrightLeftEdgeGivesPositiveXAndOrientationZero() {
        ImageF32 img = Golden.image(Golden.EXAMPLE2_IMAGE);
        ImageF32 gx = Convolution.convolve(img, Kernels.SOBEL_X, ConvParams.DEFAULT);
        ImageF32 gy = Convolution.convolve(img, Kernels.SOBEL_Y, ConvParams.DEFAULT);
        assertThat(Gradient.magnitude(gx, gy).get(1, 0)).isEqualTo(40f);
        assertThat(Gradient.orientation(gx, gy).get(1, 0)).isEqualTo(0f);
    }

    /**
     * The engines' magnitude (vector lanes and scalar tails) against the one-pixel formula, bit for
     * bit, at every length and offset, on integer gradients, fractions, zeros of both signs,
     * subnormals, huge values that overflow to infinity, infinities and NaN.
     */
    @Test
    void everyEngineGivesTheOnePixelFormulaBitForBit() {
        java.util.Random rnd = new java.util.Random(8);
        float[] special = {
            0f,
            -0f,
            Float.MIN_VALUE,
            1e-30f,
            3e38f,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY,
            Float.NaN,
            1020f,
            -1020f
        };
        for (ConvEngine e : Engines.all()) {
            for (int n = 0; n <= 70; n++) {
                float[] gx = new float[n + 3];
                float[] gy = new float[n + 2];
                for (int i = 0; i < gx.length; i++) {
                    gx[i] = pick(rnd, special);
                }
                for (int i = 0; i < gy.length; i++) {
                    gy[i] = pick(rnd, special);
                }
                float[] out = new float[n + 1];
                Gradient.magnitudeInto(e, gx, 3, gy, 2, out, 1, n);
                for (int i = 0; i < n; i++) {
                    assertThat(Float.floatToRawIntBits(out[1 + i]))
                            .as("%s n=%d i=%d: %s, %s", e.name(), n, i, gx[3 + i], gy[2 + i])
                            .isEqualTo(
                                    Float.floatToRawIntBits(
                                            Gradient.magnitude(gx[3 + i], gy[2 + i])));
                }
            }
        }
    }

    private static float pick(java.util.Random rnd, float[] special) {
        switch (rnd.nextInt(3)) {
            case 0:
                return special[rnd.nextInt(special.length)];
            case 1:
                return rnd.nextInt(4081) - 2040;
            default:
                return (rnd.nextFloat() - 0.5f) * 1e4f;
        }
    }

    @Test
    void mismatchedSizesAreRejected() {
        assertThatThrownBy(() -> Gradient.magnitude(of(1, 2), of(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("same size");
    }
}
