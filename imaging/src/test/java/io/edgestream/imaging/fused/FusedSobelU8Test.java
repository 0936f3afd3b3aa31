package io.edgestream.imaging.fused;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.conv.Convolution;
import io.edgestream.imaging.conv.Gradient;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.Filters;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.image.ImageU8;
import io.edgestream.imaging.kernel.Kernels;
import io.edgestream.imaging.simd.ExpectedEngine;
import io.edgestream.imaging.stats.StatsConfig;
import io.edgestream.imaging.tile.TilePlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link FusedSobelU8} on every engine of this JVM against a deliberately naive reference: Sobel as
 * plain loops over {@code Kernels.SOBEL_X/Y}'s weights, magnitude {@code (float) Math.sqrt(gx*gx +
 * gy*gy)}, statistics by {@link StatsConfig}'s own formulas. Magnitudes, counts, histogram, min,
 * max and sumSq must match exactly; the sum to 1e-6 relative.
 */
class FusedSobelU8Test {

    /** The gradient filter's own configuration: magnitudes in [0, 1020*sqrt(2)], 64 bins. */
    static StatsConfig sobelConfig() {
        Filter f = Filters.parse("sobel");
        TilePlan plan = TilePlan.forFilters(100, 100, List.of(f), ConvParams.DEFAULT, 100, 100);
        return StatsConfig.forFilter(f, ConvParams.DEFAULT, 1, 0f, 255f, 0, null, plan);
    }

    /** Scalar, plus vector in the vector run (where its absence fails, see ExpectedEngine). */
    static List<FusedEngine> engines() {
        return ExpectedEngine.engines(
                "FusedSobelU8",
                FusedSobelU8.scalarEngine(),
                FusedSobelU8.vectorEngine(),
                FusedSobelU8.implementationReason());
    }

    /** A random single-channel view with a margin around it, so stride and offset matter. */
    static ImageU8 randomView(Random rnd, int w, int h, boolean extremes) {
        int margin = 3;
        int stride = w + 2 * margin + rnd.nextInt(5);
        byte[] data = new byte[stride * (h + 2 * margin)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (extremes ? (rnd.nextBoolean() ? 255 : 0) : rnd.nextInt(256));
        }
        return new ImageU8(data, w, h, 1, stride, margin * stride + margin);
    }

    /** The naive reference: magnitudes and statistics. */
    static final class Reference {
        final float[] mag;
        final GradientStats stats;

        Reference(ImageU8 in, StatsConfig cfg) {
            int ow = in.width - 2;
            int oh = in.height - 2;
            float[] kx = Kernels.SOBEL_X.weightsUnsafe();
            float[] ky = Kernels.SOBEL_Y.weightsUnsafe();
            mag = new float[ow * oh];
            stats = new GradientStats(cfg.histogramBins());
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    double gx = 0;
                    double gy = 0;
                    for (int j = 0; j < 3; j++) {
                        for (int i = 0; i < 3; i++) {
                            gx += kx[j * 3 + i] * in.get(x + i, y + j, 0);
                            gy += ky[j * 3 + i] * in.get(x + i, y + j, 0);
                        }
                    }
                    float m = (float) Math.sqrt(gx * gx + gy * gy);
                    mag[y * ow + x] = m;
                    stats.count++;
                    stats.sum += m;
                    stats.sumAbs += m;
                    stats.sumSq += (long) (gx * gx + gy * gy);
                    stats.min = Math.min(stats.min, m);
                    stats.max = Math.max(stats.max, m);
                    if (m >= cfg.edgeThreshold()) {
                        stats.edgeCount++;
                    }
                    stats.histogram[cfg.histogramBin(m)]++;
                }
            }
        }
    }

    static void assertSameStats(GradientStats actual, GradientStats expected) {
        assertThat(actual.count).isEqualTo(expected.count);
        assertThat(actual.sumSq).isEqualTo(expected.sumSq);
        assertThat(actual.min).isEqualTo(expected.min);
        assertThat(actual.max).isEqualTo(expected.max);
        assertThat(actual.edgeCount).isEqualTo(expected.edgeCount);
        assertThat(actual.histogram).containsExactly(expected.histogram);
        assertThat(actual.sum).isCloseTo(expected.sum, within(1e-6 * expected.sum + 1e-9));
        assertThat(actual.sumAbs).isCloseTo(expected.sumAbs, within(1e-6 * expected.sum + 1e-9));
    }

    static float[] run(FusedEngine e, ImageU8 in, StatsConfig cfg, GradientStats stats) {
        int ow = in.width - 2;
        int oh = in.height - 2;
        // A strided output view with guard cells that must stay untouched.
        int stride = ow + 3;
        float[] buf = new float[stride * oh + 5];
        Arrays.fill(buf, -7f);
        ImageF32 out = new ImageF32(buf, ow, oh, 1, stride, 2);
        new FusedSobelU8(cfg, e).apply(in, out, stats);
        float[] compact = new float[ow * oh];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < stride; x++) {
                float v = buf[2 + y * stride + x];
                if (x < ow) {
                    compact[y * ow + x] = v;
                } else if (2 + y * stride + x < buf.length) {
                    assertThat(v).as("guard cell %d,%d", x, y).isEqualTo(-7f);
                }
            }
        }
        assertThat(buf[0]).isEqualTo(-7f);
        assertThat(buf[1]).isEqualTo(-7f);
        return compact;
    }

    @Test
    void matchesTheNaiveReferenceOnRandomViewsOnEveryEngine() {
        Random rnd = new Random(20240611);
        StatsConfig cfg = sobelConfig();
        int[][] sizes = {{3, 3}, {4, 5}, {10, 3}, {11, 7}, {17, 9}, {33, 20}, {130, 41}, {257, 3}};
        for (FusedEngine e : engines()) {
            for (int[] s : sizes) {
                for (boolean extremes : new boolean[] {false, true}) {
                    ImageU8 in = randomView(rnd, s[0], s[1], extremes);
                    Reference ref = new Reference(in, cfg);
                    GradientStats stats = new GradientStats(cfg.histogramBins());
                    float[] mag = run(e, in, cfg, stats);
                    assertThat(mag)
                            .as("%s on %dx%d extremes=%s", e.name(), s[0], s[1], extremes)
                            .containsExactly(ref.mag);
                    assertSameStats(stats, ref.stats);
                }
            }
        }
    }

    @Test
    void theVectorAndScalarEnginesAgreeBitForBitOnALargeImage() {
        Random rnd = new Random(5);
        StatsConfig cfg = sobelConfig().withEdgeThreshold(100);
        ImageU8 in = randomView(rnd, 1003, 211, false);
        List<float[]> mags = new ArrayList<>();
        List<GradientStats> stats = new ArrayList<>();
        for (FusedEngine e : engines()) {
            GradientStats st = new GradientStats(cfg.histogramBins());
            mags.add(run(e, in, cfg, st));
            stats.add(st);
        }
        Reference ref = new Reference(in, cfg);
        for (int i = 0; i < mags.size(); i++) {
            assertThat(mags.get(i)).containsExactly(ref.mag);
            assertSameStats(stats.get(i), ref.stats);
        }
    }

    @Test
    void equalsTheProjectsConvolutionAndGradientMagnitude() {
        Random rnd = new Random(9);
        ImageU8 in = randomView(rnd, 77, 45, false);
        ImageF32 f = in.toF32();
        ImageF32 gx = ImageF32.allocate(75, 43, 1);
        ImageF32 gy = ImageF32.allocate(75, 43, 1);
        Convolution.validInto(f, Kernels.SOBEL_X, 1, gx);
        Convolution.validInto(f, Kernels.SOBEL_Y, 1, gy);
        ImageF32 expected = Gradient.magnitude(gx, gy);
        StatsConfig cfg = sobelConfig();
        for (FusedEngine e : engines()) {
            float[] mag = run(e, in, cfg, new GradientStats(cfg.histogramBins()));
            assertThat(ImageF32.wrap(mag, 75, 43, 1).contentEquals(expected)).as(e.name()).isTrue();
        }
    }

    @Test
    void signConventionFollowsKernelsSobelX() {
        // Bright left, dark right: SOBEL_X = [1 0 -1; ...] gives +4*255 = 1020, gy = 0.
        byte[] px = {(byte) 255, 0, 0, (byte) 255, 0, 0, (byte) 255, 0, 0};
        ImageU8 in = ImageU8.wrap(px, 3, 3, 1);
        StatsConfig cfg = sobelConfig().withEdgeThreshold(1020);
        for (FusedEngine e : engines()) {
            GradientStats st = new GradientStats(cfg.histogramBins());
            float[] mag = run(e, in, cfg, st);
            assertThat(mag).containsExactly(1020f);
            assertThat(st.edgeCount).isEqualTo(1);
            assertThat(st.sumSq).isEqualTo(1020L * 1020);
        }
    }

    @Test
    void anEdgeExactlyAtTheThresholdCountsAndOneBelowDoesNot() {
        // gx = 3 + 2*... : a column step of 1 gives gx = 4, gy = 0, magnitude exactly 4.
        byte[] px = {1, 0, 0, 1, 0, 0, 1, 0, 0};
        ImageU8 in = ImageU8.wrap(px, 3, 3, 1);
        for (FusedEngine e : engines()) {
            GradientStats at = new GradientStats(64);
            new FusedSobelU8(sobelConfig().withEdgeThreshold(4), e)
                    .apply(in, ImageF32.allocate(1, 1, 1), at);
            GradientStats above = new GradientStats(64);
            new FusedSobelU8(sobelConfig().withEdgeThreshold(Math.nextUp(4.0)), e)
                    .apply(in, ImageF32.allocate(1, 1, 1), above);
            assertThat(at.edgeCount).isEqualTo(1);
            assertThat(above.edgeCount).isZero();
        }
    }

    @Test
    void valuesOutsideTheHistogramRangeGoToTheEndBins() {
        Random rnd = new Random(3);
        // A narrow range [10, 50) in 7 bins: most magnitudes of noise fall outside it.
        StatsConfig cfg = new StatsConfig(7, 10, 50, 30, 0, 1, 1);
        ImageU8 in = randomView(rnd, 64, 16, false);
        Reference ref = new Reference(in, cfg);
        for (FusedEngine e : engines()) {
            GradientStats st = new GradientStats(7);
            assertThat(run(e, in, cfg, st)).containsExactly(ref.mag);
            assertSameStats(st, ref.stats);
            assertThat(st.histogram[0] + st.histogram[6]).isGreaterThan(0);
        }
    }

    @Test
    void everyPossibleSquareIsBinnedAsStatsConfigBinsItsMagnitude() {
        // Exhaustive over all gx^2+gy^2 values on every engine (vector lanes included), with
        // awkward ranges and bin counts: a minimum above 0 (negative offsets), one far above the
        // data (saturating conversions), more than 256 bins, a single bin.
        StatsConfig[] cfgs = {
            sobelConfig(),
            new StatsConfig(7, 10, 50, 30, 0, 1, 1),
            new StatsConfig(1000, -3.3, 1441.7, 0, 0, 1, 1),
            new StatsConfig(5, 1e12, 1e12 + 1, 0, 0, 1, 1),
            new StatsConfig(1, 0, 1, 0, 0, 1, 1)
        };
        int n = FusedSobelU8.MAX_SQ + 1;
        float[] mags = new float[n];
        for (int s = 0; s < n; s++) {
            mags[s] = FusedSobelU8.magnitudeOfSquare(s);
        }
        int[] bins = new int[n];
        for (StatsConfig cfg : cfgs) {
            Accumulator acc = accumulatorOf(new FusedSobelU8(cfg));
            for (FusedEngine e : engines()) {
                Arrays.fill(bins, -1);
                e.bins(mags, n, acc, bins);
                for (int s = 0; s < n; s++) {
                    int expected = cfg.histogramBin(mags[s]);
                    if (bins[s] != expected) {
                        throw new AssertionError(
                                e.name()
                                        + ": square "
                                        + s
                                        + " binned as "
                                        + bins[s]
                                        + " not "
                                        + expected
                                        + " "
                                        + cfg);
                    }
                }
            }
            for (int s = 0; s < n; s++) {
                if ((s >= acc.edgeSq) != (mags[s] >= cfg.edgeThreshold())) {
                    throw new AssertionError(
                            "square " + s + " edge decision differs from StatsConfig " + cfg);
                }
            }
        }
    }

    private static Accumulator accumulatorOf(FusedSobelU8 k) {
        try {
            java.lang.reflect.Field f = FusedSobelU8.class.getDeclaredField("acc");
            f.setAccessible(true);
            return (Accumulator) f.get(k);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void statisticsAccumulateAcrossCallsAndReset() {
        Random rnd = new Random(17);
        StatsConfig cfg = sobelConfig();
        ImageU8 a = randomView(rnd, 40, 12, false);
        ImageU8 b = randomView(rnd, 21, 30, true);
        FusedSobelU8 k = new FusedSobelU8(cfg);
        GradientStats both = k.newStats();
        k.apply(a, ImageF32.allocate(38, 10, 1), both);
        k.apply(b, ImageF32.allocate(19, 28, 1), both);
        GradientStats merged = new Reference(a, cfg).stats;
        merged.merge(new Reference(b, cfg).stats);
        assertSameStats(both, merged);
        both.reset();
        assertThat(both.count).isZero();
        assertThat(both.histogram).containsOnly(0L);
        assertThat(both.min).isEqualTo(Float.POSITIVE_INFINITY);
    }

    @Test
    void rejectsMultiChannelInputWrongOutputSizeAndWrongBinCount() {
        FusedSobelU8 k = new FusedSobelU8(sobelConfig());
        ImageU8 rgb = ImageU8.wrap(new byte[5 * 5 * 3], 5, 5, 3);
        ImageU8 grey = ImageU8.wrap(new byte[25], 5, 5, 1);
        assertThatThrownBy(() -> k.apply(rgb, ImageF32.allocate(3, 3, 1), k.newStats()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("single-channel");
        assertThatThrownBy(() -> k.apply(grey, ImageF32.allocate(5, 5, 1), k.newStats()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3x3");
        assertThatThrownBy(() -> k.apply(grey, ImageF32.allocate(3, 3, 1), new GradientStats(3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("newStats()");
    }

    @Test
    void theEngineThisSurefireExecutionExpectsIsActive() {
        // Vector in the default execution: fails if --add-modules went missing or the vector
        // engine threw while loading (Simd.select would have fallen back to scalar silently).
        ExpectedEngine.assertSelected(
                "FusedSobelU8",
                FusedSobelU8.implementation(),
                FusedSobelU8.vectorEngine(),
                FusedSobelU8.implementationReason());
        assertThat(engines()).extracting(FusedEngine::name).first().isEqualTo("scalar");
        if (ExpectedEngine.expected() == ExpectedEngine.Kind.VECTOR) {
            assertThat(engines())
                    .extracting(FusedEngine::name)
                    .last()
                    .asString()
                    .startsWith("vector-");
        }
    }
}
