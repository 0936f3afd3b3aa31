package io.edgestream.imaging.fused;

import java.util.Arrays;

/**
 * Statistics of the gradient magnitudes produced by {@link FusedSobelU8}, accumulated while the
 * magnitudes are computed (so the map is never read back). Calls to {@link FusedSobelU8#apply} add
 * to an instance; {@link #reset()} clears it, {@link #merge} adds another one.
 *
 * <p>Exact fields: {@link #count}, {@link #edgeCount}, {@link #histogram}, {@link #min}, {@link
 * #max} and {@link #sumSq} (which is the integer {@code sum(gx^2 + gy^2)}, i.e. the squared
 * magnitudes before the square root is rounded). Edge and histogram decisions are made on the float
 * magnitude exactly as {@code StatsConfig} defines them, so they agree with {@code
 * EdgeStatsPartial} on the same map. {@link #sum} (= {@link #sumAbs}, magnitudes are non-negative)
 * is summed in float over blocks of at most 512 pixels per lane group and in double across blocks,
 * so its relative error is below about {@code 1e-6}.
 */
public final class GradientStats {
    /** Pixels seen. */
    public long count;

    /** Sum of the magnitudes (see the class comment for its accuracy). */
    public double sum;

    /** Exact sum of {@code gx^2 + gy^2} over the pixels. */
    public long sumSq;

    /** Sum of the absolute magnitudes; equal to {@link #sum} since magnitudes are non-negative. */
    public double sumAbs;

    /** Smallest magnitude, +infinity when no pixel was seen. */
    public float min = Float.POSITIVE_INFINITY;

    /** Largest magnitude, -infinity when no pixel was seen. */
    public float max = Float.NEGATIVE_INFINITY;

    /** Pixels with {@code magnitude >= edgeThreshold}. */
    public long edgeCount;

    /** Magnitude histogram over the configured range and bins. */
    public final long[] histogram;

    /** An empty accumulator with {@code bins} histogram bins. */
    public GradientStats(int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("histogram needs at least one bin, got " + bins);
        }
        histogram = new long[bins];
    }

    /** Back to the empty state, keeping the histogram array (no allocation). */
    public void reset() {
        count = 0;
        sum = 0;
        sumSq = 0;
        sumAbs = 0;
        min = Float.POSITIVE_INFINITY;
        max = Float.NEGATIVE_INFINITY;
        edgeCount = 0;
        Arrays.fill(histogram, 0);
    }

    /** Adds {@code other} (same bin count) to this accumulator. */
    public void merge(GradientStats other) {
        if (other.histogram.length != histogram.length) {
            throw new IllegalArgumentException(
                    "cannot merge statistics with "
                            + other.histogram.length
                            + " bins into one with "
                            + histogram.length);
        }
        count += other.count;
        sum += other.sum;
        sumSq += other.sumSq;
        sumAbs += other.sumAbs;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        edgeCount += other.edgeCount;
        for (int i = 0; i < histogram.length; i++) {
            histogram[i] += other.histogram[i];
        }
    }

    /** Mean magnitude, NaN when empty. */
    public double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }

    /** Population variance of the magnitudes ({@code E[m^2] - E[m]^2}), NaN when empty. */
    public double variance() {
        if (count == 0) {
            return Double.NaN;
        }
        double m = sum / count;
        return Math.max(0, (double) sumSq / count - m * m);
    }

    @Override
    public String toString() {
        return "GradientStats{count="
                + count
                + ", sum="
                + sum
                + ", sumSq="
                + sumSq
                + ", min="
                + min
                + ", max="
                + max
                + ", edges="
                + edgeCount
                + ", bins="
                + histogram.length
                + "}";
    }
}
