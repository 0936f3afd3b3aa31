package io.edgestream.imaging.fused;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.image.ImageU8;
import io.edgestream.imaging.simd.Simd;
import io.edgestream.imaging.stats.StatsConfig;

/**
 * Sobel gradient magnitude of an 8-bit single-channel image with the tile's statistics, in one pass
 * over the input: for each output pixel {@code gx} ({@code Kernels.SOBEL_X = [1 0 -1; 2 0 -2; 1 0
 * -1]}, cross-correlation) and {@code gy} ({@code SOBEL_Y}, its transpose) are computed as exact
 * integers, the magnitude {@code (float) Math.sqrt(gx * gx + gy * gy)} is written to a
 * caller-provided float32 buffer, and count, sum, sum of squares, min, max, edge count and the
 * magnitude histogram are accumulated into a {@link GradientStats}. VALID only: a {@code W x H}
 * input window gives a {@code (W-2) x (H-2)} output, the caller supplies the halo.
 *
 * <p>The magnitude is bit-identical to {@code Gradient.magnitude} of the float32 {@code SOBEL_X}
 * and {@code SOBEL_Y} convolutions of the same pixels: {@code gx^2 + gy^2 <= 2 * 1020^2 < 2^24} is
 * exact in float, and a square root rounded once to float equals one computed in double and then
 * rounded. Histogram bins and edges follow {@link StatsConfig} exactly ({@code
 * cfg.histogramBin(magnitude)}, {@code magnitude >= cfg.edgeThreshold()}): the edge test is decided
 * on the integer {@code gx^2 + gy^2} against a boundary precomputed with that very formula, the bin
 * by the formula itself (in double vector lanes on the vector path, the same operations).
 *
 * <p>The Vector API path ({@code jdk.incubator.vector}, integer lanes) is used when the module is
 * in the boot layer, unless {@code -Dedgestream.simd=false}; otherwise a scalar path with identical
 * results. An instance holds reusable scratch: use one per thread.
 */
public final class FusedSobelU8 {

    /** System property that forces the scalar path when set to {@code false}. */
    public static final String SIMD_PROPERTY = Simd.PROPERTY;

    /** Largest possible {@code gx^2 + gy^2}: both at {@code 4 * 255}. */
    static final int MAX_SQ = 2 * 1020 * 1020;

    private static final FusedEngine ENGINE;
    private static final FusedEngine VECTOR; // null when unavailable
    private static final String WHY;

    static {
        Simd.Selection<FusedEngine> selected =
                Simd.select(
                        FusedEngine.class,
                        "io.edgestream.imaging.fused.VectorFusedEngine",
                        ScalarFusedEngine.INSTANCE);
        ENGINE = selected.active();
        VECTOR = selected.vector();
        WHY = selected.reason();
    }

    private final StatsConfig config;
    private final FusedEngine engine;
    private final Accumulator acc;

    /** A kernel with the histogram range, bins and edge threshold of {@code cfg}. */
    public FusedSobelU8(StatsConfig cfg) {
        this(cfg, ENGINE);
    }

    FusedSobelU8(StatsConfig cfg, FusedEngine engine) {
        this.config = cfg;
        this.engine = engine;
        int edgeSq = firstSquare(s -> magnitudeOfSquare(s) >= cfg.edgeThreshold());
        this.acc = new Accumulator(cfg, edgeSq);
    }

    /**
     * The active path: {@code "vector-256"} (AVX2), {@code "vector-512"}, ... or {@code "scalar"}.
     */
    public static String implementation() {
        return ENGINE.name();
    }

    /** Why {@link #implementation()} is what it is, for start-up logs. */
    public static String implementationReason() {
        return WHY;
    }

    static FusedEngine vectorEngine() {
        return VECTOR;
    }

    static FusedEngine scalarEngine() {
        return ScalarFusedEngine.INSTANCE;
    }

    /** The statistics configuration this kernel bins and thresholds with. */
    public StatsConfig config() {
        return config;
    }

    /** A fresh accumulator with this kernel's histogram bins. */
    public GradientStats newStats() {
        return new GradientStats(config.histogramBins());
    }

    /** The magnitude for {@code s = gx^2 + gy^2}; exact square root rounded once to float. */
    static float magnitudeOfSquare(int s) {
        return (float) Math.sqrt(s);
    }

    /**
     * The smallest {@code s} in {@code [0, MAX_SQ]} satisfying a predicate that is monotone in
     * {@code s} (false then true), or {@link Integer#MAX_VALUE} if none does.
     */
    private static int firstSquare(java.util.function.IntPredicate p) {
        if (!p.test(MAX_SQ)) {
            return Integer.MAX_VALUE;
        }
        int lo = 0;
        int hi = MAX_SQ;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (p.test(mid)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * Magnitudes of the window {@code in} (single channel, halo included) into {@code out} (single
     * channel, {@code (in.width-2) x (in.height-2)}, any stride), adding the statistics of those
     * magnitudes to {@code stats}.
     */
    public void apply(ImageU8 in, ImageF32 out, GradientStats stats) {
        if (in.channels != 1) {
            throw new IllegalArgumentException(
                    "fused Sobel needs a single-channel image, got "
                            + in.channels
                            + " channels; convert to grey first");
        }
        int outW = Math.max(0, in.width - 2);
        int outH = Math.max(0, in.height - 2);
        if (out.channels != 1 || out.width != outW || out.height != outH) {
            throw new IllegalArgumentException(
                    "output "
                            + out
                            + " must be single-channel "
                            + outW
                            + "x"
                            + outH
                            + " (VALID 3x3 of a "
                            + in.width
                            + "x"
                            + in.height
                            + " window)");
        }
        if (stats.histogram.length != config.histogramBins()) {
            throw new IllegalArgumentException(
                    "statistics have "
                            + stats.histogram.length
                            + " bins but this kernel bins into "
                            + config.histogramBins()
                            + "; make them with newStats()");
        }
        if (outW == 0 || outH == 0) {
            return;
        }
        acc.start(outW);
        engine.run(
                in.data, in.offset, in.stride, outW, outH, out.data, out.offset, out.stride, acc);
        acc.finish(stats, (long) outW * outH);
    }
}
