package io.edgestream.imaging.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast orientation binning must give exactly the bin of {@code Math.atan2}, edges included. */
class OrientationBinsTest {
    private static final int[] BIN_COUNTS = {1, 2, 4, 8, 36, 360, 1000};

    private static void check(float gy, float gx) {
        for (int bins : BIN_COUNTS) {
            int expected = StatsConfig.orientationBin(Math.atan2(gy, gx), bins);
            int actual = OrientationBins.bin(gy, gx, bins);
            if (actual != expected) {
                assertThat(actual)
                        .as("bin of (gy=%s, gx=%s) with %d bins", gy, gx, bins)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void everyIntegerGradientOfAnEightBitSobelNeighbourhoodBinsLikeAtan2() {
        // Integer gradients include the exact bin edges of 1, 2, 4 and 8 bins (axes, diagonals).
        for (int gy = -200; gy <= 200; gy++) {
            for (int gx = -200; gx <= 200; gx++) {
                check(gy, gx);
            }
        }
        for (int v = -1020; v <= 1020; v += 3) {
            check(v, 1020);
            check(1020, v);
            check(v, -1020);
            check(-1020, v);
        }
    }

    @Test
    void randomFloatGradientsBinLikeAtan2() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 2_000_000; i++) {
            float gy = (float) ((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-6, 7)));
            float gx = (float) ((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-6, 7)));
            check(gy, gx);
        }
    }

    @Test
    void gradientsOnAndNextToBinEdgesBinLikeAtan2() {
        SplittableRandom r = new SplittableRandom(11);
        for (int bins : BIN_COUNTS) {
            for (int edge = 0; edge < Math.min(bins, 400); edge++) {
                double theta = -Math.PI + edge * (2 * Math.PI / bins);
                for (int k = 0; k < 20; k++) {
                    double len = 1 + r.nextDouble() * 1000;
                    float gx = (float) (len * Math.cos(theta));
                    float gy = (float) (len * Math.sin(theta));
                    check(gy, gx);
                    check(Math.nextUp(gy), gx);
                    check(Math.nextDown(gy), gx);
                    check(gy, Math.nextUp(gx));
                }
            }
        }
    }

    @Test
    void theFastAngleIsWithinAThousandthOfTheMarginOfAtan2() {
        SplittableRandom r = new SplittableRandom(5);
        double worst = 0;
        for (int i = 0; i < 2_000_000; i++) {
            double gy = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-6, 7));
            double gx = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-6, 7));
            double err =
                    Math.abs(
                            OrientationBins.angle(gy, gx, Math.abs(gx), Math.abs(gy))
                                    - Math.atan2(gy, gx));
            worst = Math.max(worst, err);
        }
        assertThat(worst).isLessThan(OrientationBins.MARGIN_RADIANS / 1000);
    }

    @Test
    void axisAnglesAreExactlyTheAtan2Ones() {
        double[] values = {0.0, -0.0, 1.0, -1.0, 3e-300, -3e-300, 7e200, -7e200, 255.0, -1020.0};
        for (double v : values) {
            for (double zero : new double[] {0.0, -0.0}) {
                assertThat(OrientationBins.axisAngle(zero, v))
                        .as("atan2(%s, %s)", zero, v)
                        .isEqualTo(Math.atan2(zero, v));
                if (v != 0) {
                    assertThat(OrientationBins.axisAngle(v, zero))
                            .as("atan2(%s, %s)", v, zero)
                            .isEqualTo(Math.atan2(v, zero));
                }
            }
        }
    }

    @Test
    void zeroSignedZeroAndNonFiniteGradientsBinLikeAtan2() {
        float[] special = {
            0f,
            -0f,
            1f,
            -1f,
            Float.MIN_VALUE,
            -Float.MIN_VALUE,
            Float.MAX_VALUE,
            -Float.MAX_VALUE,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY,
            Float.NaN
        };
        for (float gy : special) {
            for (float gx : special) {
                check(gy, gx);
            }
        }
    }
}
