package io.edgestream.imaging.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.simd.ExpectedEngine;
import io.edgestream.imaging.tile.TileSpec;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The statistics pass on every engine of this surefire execution (vector and scalar in the default
 * one, scalar alone in {@code scalar-fallback}) against the former two-pass scalar code ({@link
 * TwoPassReference}): every field of the partial bit for bit equal ({@code doubleToRawLongBits} for
 * the sums, compensations, m2, min and max), on maps of every kind of value (integers, gradient
 * magnitudes, fractions, a dynamic range too wide for the exact lane sums, NaN and infinities,
 * signed zeros), strided views, several channels, density-grid cells narrower than the map, any
 * histogram size and threshold, with and without orientation.
 */
class StatsEngineTest {

    static List<StatsEngine> engines() {
        return ExpectedEngine.engines(
                "EdgeStatsPartial",
                EdgeStatsPartial.scalarEngine(),
                EdgeStatsPartial.vectorEngine(),
                EdgeStatsPartial.implementationReason());
    }

    @Test
    void theEngineThisSurefireExecutionExpectsIsActive() {
        ExpectedEngine.assertSelected(
                "EdgeStatsPartial",
                EdgeStatsPartial.implementation(),
                EdgeStatsPartial.vectorEngine(),
                EdgeStatsPartial.implementationReason());
    }

    /**
     * In the {@code vector-256} execution ({@code -XX:MaxVectorSize=32}) the vector engine runs
     * with 4 double lanes, so its sums of squares take their two-vector path.
     */
    @Test
    void theVectorWidthThisExecutionAsksForIsActive() {
        String bits = System.getProperty("edgestream.test.vectorBits");
        if (bits != null) {
            assertThat(EdgeStatsPartial.implementation()).isEqualTo("vector-" + bits);
        }
    }

    /**
     * Each row's sum of squares on every engine equals the definition written plainly (term {@code
     * x} into partial sum {@code x % 8}, then the fixed tree), for every row length up to a few
     * vectors past the tail cases, odd and even row counts, strided rows, with and without
     * non-finite values.
     */
    @Test
    void rowSquaresFollowTheDefinedOrderOnEveryEngine() {
        Random rnd = new Random(5);
        for (int rowLen = 0; rowLen <= 70; rowLen++) {
            for (int rows : new int[] {1, 2, 3, 8}) {
                for (boolean special : new boolean[] {false, true}) {
                    int stride = rowLen + 3;
                    float[] d = new float[2 + rows * stride];
                    for (int i = 0; i < d.length; i++) {
                        d[i] = rnd.nextFloat() * 600 - 100;
                        if (special && rnd.nextInt(7) == 0) {
                            d[i] = rnd.nextBoolean() ? Float.NaN : Float.NEGATIVE_INFINITY;
                        }
                    }
                    double mean = rnd.nextDouble() * 200;
                    double[] want = new double[rows];
                    for (int j = 0; j < rows; j++) {
                        double[] lane = new double[8];
                        for (int x = 0; x < rowLen; x++) {
                            float f = d[2 + j * stride + x];
                            if (Float.isFinite(f)) {
                                lane[x % 8] += (f - mean) * (f - mean);
                            }
                        }
                        want[j] =
                                ((lane[0] + lane[1]) + (lane[2] + lane[3]))
                                        + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
                    }
                    for (StatsEngine e : engines()) {
                        double[] got = new double[rows];
                        e.rowSquares(d, 2, stride, rows, rowLen, mean, !special, got);
                        for (int j = 0; j < rows; j++) {
                            assertThat(Double.doubleToRawLongBits(got[j]))
                                    .as("%s row %d of %d, length %d", e.name(), j, rows, rowLen)
                                    .isEqualTo(Double.doubleToRawLongBits(want[j]));
                        }
                    }
                }
            }
        }
    }

    /** A value of the given kind (see the class comment). */
    private static float value(Random rnd, int kind) {
        switch (kind) {
            case 0:
                return rnd.nextInt(2041) - 1020; // integer responses of 8-bit input
            case 1:
                return (float) Math.sqrt(rnd.nextInt(2 * 1020 * 1020)); // gradient magnitudes
            case 2:
                return rnd.nextFloat() * 300 - 100; // fractions
            case 3:
                // A dynamic range above 2^22 within a segment: lane sums are not provably exact.
                return rnd.nextBoolean() ? rnd.nextFloat() * 1e-6f : rnd.nextFloat() * 1e9f;
            case 4:
                {
                    float[] special = {Float.NaN, Float.POSITIVE_INFINITY, -Float.MAX_VALUE};
                    return rnd.nextInt(6) == 0 ? special[rnd.nextInt(3)] : rnd.nextInt(200) - 100;
                }
            case 5:
                {
                    // Signed zeros among small values: min or max is often a zero.
                    float[] zeros = {0f, -0f, 1f, 2f};
                    return zeros[rnd.nextInt(4)];
                }
            default:
                return rnd.nextInt(3) == 0 ? Float.NaN : -0f;
        }
    }

    private static ImageF32 map(Random rnd, int w, int h, int channels, int kind, boolean view) {
        ImageF32 big = ImageF32.allocate(w + 3, h + 2, channels);
        for (int i = 0; i < big.data.length; i++) {
            big.data[i] = value(rnd, kind);
        }
        return view ? big.view(2, 1, w, h) : big.view(0, 0, w, h).compact();
    }

    private static StatsConfig config(Random rnd, int kind, int orientation, int cols, int rows) {
        int bins = rnd.nextInt(10) == 0 ? 5000 : 1 + rnd.nextInt(100);
        double lo = kind == 1 ? 0 : -1020;
        double hi = 1020 * Math.sqrt(2);
        double[] thresholds = {0, 255, rnd.nextDouble() * hi, 1e30, 1.5};
        return new StatsConfig(
                bins, lo, hi, thresholds[rnd.nextInt(thresholds.length)], orientation, cols, rows);
    }

    @Property(tries = 600)
    void theOnePassEqualsTheTwoPassCodeBitForBit(
            @ForAll @IntRange(min = 1, max = 90) int w,
            @ForAll @IntRange(min = 1, max = 40) int h,
            @ForAll @IntRange(min = 1, max = 3) int channels,
            @ForAll @IntRange(min = 0, max = 6) int kind,
            @ForAll @IntRange(min = 1, max = 90) int cellW,
            @ForAll @IntRange(min = 1, max = 40) int cellH,
            @ForAll boolean gradient,
            @ForAll boolean view,
            @ForAll long seed) {
        Random rnd = new Random(seed);
        ImageF32 m = map(rnd, w, h, channels, kind, view);
        ImageF32 gx = gradient ? map(rnd, w, h, channels, 0, view) : null;
        ImageF32 gy = gradient ? map(rnd, w, h, channels, 0, view) : null;
        int cols = (w + cellW - 1) / cellW;
        int rows = (h + cellH - 1) / cellH;
        StatsConfig cfg = config(rnd, kind, gradient ? 36 : 0, cols, rows);
        EdgeStatsPartial want = new EdgeStatsPartial();
        long[] wantCounts = new long[cols * rows];
        long[] wantEdges = new long[cols * rows];
        TwoPassReference.statistics(
                m, gx, gy, cfg, want, cellW, cellH, cols, wantCounts, wantEdges);
        for (StatsEngine e : engines()) {
            EdgeStatsPartial got = new EdgeStatsPartial();
            long[] counts = new long[cols * rows];
            long[] edges = new long[cols * rows];
            EdgeStatsPartial.scan(e, m, gx, gy, cfg, got, cellW, cellH, cols, counts, edges);
            got.m2 =
                    EdgeStatsPartial.sumSquaredDeviations(
                            e, m, got.mean(), got.nonFiniteCount == 0);
            String what = e.name() + " kind " + kind + " " + m + " cells " + cellW + "x" + cellH;
            assertSameBits(got, want, what);
            assertThat(counts).as(what).isEqualTo(wantCounts);
            assertThat(edges).as(what).isEqualTo(wantEdges);
        }
    }

    @Test
    void aTileOfEveryKindGivesTheSamePartialOnEveryEngine() {
        Random rnd = new Random(17);
        for (int kind = 0; kind <= 6; kind++) {
            ImageF32 m = map(rnd, 256, 64, 1, kind, false);
            ImageF32 gx = map(rnd, 256, 64, 1, 0, false);
            ImageF32 gy = map(rnd, 256, 64, 1, 0, false);
            StatsConfig cfg = new StatsConfig(64, -1020, 1442.5, 255, 36, 3, 2);
            TileSpec t = new TileSpec(4, 1, 1, 256, 64, 256, 64, 255, 63, 258, 66);
            EdgeStatsPartial want = new EdgeStatsPartial();
            long[] c = new long[1];
            long[] e = new long[1];
            TwoPassReference.statistics(m, gx, gy, cfg, want, 256, 64, 1, c, e);
            for (StatsEngine engine : engines()) {
                EdgeStatsPartial got = EdgeStatsPartial.of(engine, m, gx, gy, cfg, t);
                assertSameBits(got, want, engine.name() + " kind " + kind);
                assertThat(got.gridCells).containsExactly(1 * 3 + 1);
                assertThat(got.gridCounts).containsExactly(c[0]);
                assertThat(got.gridEdges).containsExactly(e[0]);
            }
        }
    }

    /** The sign of a zero min or max is the first zero's, whatever the lanes met first. */
    @Test
    void aZeroMinimumHasTheSignOfTheFirstZero() {
        for (float first : new float[] {-0f, 0f}) {
            float[] v = new float[37];
            java.util.Arrays.fill(v, 3f);
            v[5] = first;
            v[20] = -first;
            v[36] = -0f;
            ImageF32 m = ImageF32.wrap(v, 37, 1, 1);
            StatsConfig cfg = new StatsConfig(8, -4, 4, 2, 0, 1, 1);
            for (StatsEngine e : engines()) {
                EdgeStatsPartial p = new EdgeStatsPartial();
                EdgeStatsPartial.scan(e, m, null, null, cfg, p, 37, 1, 1, new long[1], new long[1]);
                assertThat(Double.doubleToRawLongBits(p.min))
                        .as("%s first zero %s", e.name(), first)
                        .isEqualTo(Double.doubleToRawLongBits(first));
                assertThat(p.max).isEqualTo(3.0);
            }
        }
    }

    static void assertSameBits(EdgeStatsPartial got, EdgeStatsPartial want, String what) {
        assertThat(got.count).as(what + " count").isEqualTo(want.count);
        assertThat(got.nonFiniteCount).as(what + " nonFinite").isEqualTo(want.nonFiniteCount);
        assertThat(got.edgeCount).as(what + " edges").isEqualTo(want.edgeCount);
        assertThat(got.histogram).as(what + " histogram").isEqualTo(want.histogram);
        assertThat(got.orientation).as(what + " orientation").isEqualTo(want.orientation);
        double[][] pairs = {
            {got.sum, want.sum},
            {got.sumCompensation, want.sumCompensation},
            {got.sumAbs, want.sumAbs},
            {got.sumAbsCompensation, want.sumAbsCompensation},
            {got.m2, want.m2},
            {got.min, want.min},
            {got.max, want.max}
        };
        String[] names = {"sum", "sumCompensation", "sumAbs", "sumAbsCompensation", "m2", "min"};
        for (int i = 0; i < pairs.length; i++) {
            assertThat(Double.doubleToRawLongBits(pairs[i][0]))
                    .as(
                            "%s %s: %s vs %s",
                            what, i < names.length ? names[i] : "max", pairs[i][0], pairs[i][1])
                    .isEqualTo(Double.doubleToRawLongBits(pairs[i][1]));
        }
    }
}
