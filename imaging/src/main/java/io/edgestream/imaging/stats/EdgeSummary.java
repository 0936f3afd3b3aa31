package io.edgestream.imaging.stats;

/**
 * The edge statistics of one feature map, final: produced by {@link EdgeStatsPartial#finish} from
 * merged per-tile partials, or by {@link EdgeStatistics#whole} from the whole map. Counts are of
 * output VALUES (pixels times channels for a per-channel map); non-finite values are counted only
 * in {@code nonFiniteCount}. With no finite values, min, max, mean, stddev and meanAbs are NaN.
 *
 * @param pixelCount finite output values
 * @param nonFiniteCount NaN or infinite output values (excluded from everything else)
 * @param min smallest finite value
 * @param max largest finite value
 * @param mean mean of the finite values
 * @param stddev population standard deviation of the finite values
 * @param meanAbs mean of the absolute finite values
 * @param edgeThreshold values with {@code |v| >= edgeThreshold} are edges
 * @param edgeCount finite values that are edges
 * @param edgeFraction {@code edgeCount / pixelCount} (0 when there are none)
 * @param histogram counts over the configured fixed range
 * @param orientation edge-pixel counts of {@code atan2(gy, gx)} over {@code [-pi, pi)} (bin {@code
 *     i} covers {@code [-pi + i*2pi/n, -pi + (i+1)*2pi/n)}), or null for a linear filter
 * @param density edge fraction per tile of the plan
 */
public record EdgeSummary(
        long pixelCount,
        long nonFiniteCount,
        double min,
        double max,
        double mean,
        double stddev,
        double meanAbs,
        double edgeThreshold,
        long edgeCount,
        double edgeFraction,
        Histogram histogram,
        long[] orientation,
        DensityGrid density) {

    /**
     * A histogram with equal-width bins over {@code [min, max]}; values outside are in the end
     * bins.
     *
     * @param min lower end of the range
     * @param max upper end of the range
     * @param counts one count per bin
     */
    public record Histogram(double min, double max, long[] counts) {
        /** Total count over all bins. */
        public long total() {
            long t = 0;
            for (long c : counts) {
                t += c;
            }
            return t;
        }
    }

    /**
     * Edge density per tile: {@code fraction[row * cols + col]} is the edge fraction of the finite
     * values of tile ({@code col}, {@code row}); 0 for a tile without finite values.
     *
     * @param rows tile rows
     * @param cols tile columns
     * @param fraction row-major fractions
     */
    public record DensityGrid(int rows, int cols, float[] fraction) {
        public float at(int col, int row) {
            return fraction[row * cols + col];
        }
    }
}
