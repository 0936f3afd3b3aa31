package io.edgestream.imaging.stats;

import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.GradientFilter;
import io.edgestream.imaging.filter.ResponseRange;
import io.edgestream.imaging.tile.TilePlan;

/**
 * Everything that must be fixed BEFORE the first tile is seen so that per-tile statistics merge
 * exactly: the histogram range and bin count, the edge threshold, the orientation bins and the
 * density grid (one cell per tile of the plan).
 *
 * <p>The histogram range is the filter's theoretical output range for the input range, not the
 * observed one, so every tile bins into the same bins. Values outside it (possible only through
 * float rounding or inputs outside the declared range) are counted in the first or last bin. Value
 * {@code v} goes to bin {@code floor((v - min) * bins / (max - min))}, clamped to {@code [0,
 * bins-1]}.
 *
 * <p>An output value is an edge when {@code |value| >= edgeThreshold} (for a gradient filter the
 * value is the magnitude, so this is {@code magnitude >= threshold}). Orientation bins split {@code
 * [-pi, pi)} evenly and count {@code atan2(gy, gx)} of edge pixels only ({@code +pi} is counted as
 * {@code -pi}); 0 bins means no orientation histogram.
 *
 * @param histogramBins number of histogram bins, at least 1
 * @param histogramMin lower end of the histogram range
 * @param histogramMax upper end of the histogram range, greater than {@code histogramMin}
 * @param edgeThreshold edge pixels have {@code |value| >= edgeThreshold}
 * @param orientationBins bins over {@code [-pi, pi)} for gradient filters, 0 for none
 * @param gridCols density-grid columns (the plan's tile columns)
 * @param gridRows density-grid rows (the plan's tile rows)
 */
public record StatsConfig(
        int histogramBins,
        double histogramMin,
        double histogramMax,
        double edgeThreshold,
        int orientationBins,
        int gridCols,
        int gridRows) {

    /** Default histogram bins. */
    public static final int DEFAULT_HISTOGRAM_BINS = 64;

    /** Orientation bins of a gradient filter made by {@link #forFilter}: 10 degrees each. */
    public static final int DEFAULT_ORIENTATION_BINS = 36;

    /** The default edge threshold as a fraction of the output range's largest absolute value. */
    public static final double DEFAULT_THRESHOLD_FRACTION = 0.25;

    public StatsConfig {
        if (histogramBins < 1) {
            throw new IllegalArgumentException(
                    "histogram needs at least one bin, got " + histogramBins);
        }
        if (!(Double.isFinite(histogramMin)
                && Double.isFinite(histogramMax)
                && histogramMin < histogramMax)) {
            throw new IllegalArgumentException(
                    "histogram range must be finite with min < max, got ["
                            + histogramMin
                            + ", "
                            + histogramMax
                            + "]");
        }
        if (!(edgeThreshold >= 0) || Double.isInfinite(edgeThreshold)) {
            throw new IllegalArgumentException(
                    "edge threshold must be finite and non-negative, got " + edgeThreshold);
        }
        if (orientationBins < 0) {
            throw new IllegalArgumentException(
                    "orientation bins must be 0 (none) or more, got " + orientationBins);
        }
        if (gridCols < 1 || gridRows < 1) {
            throw new IllegalArgumentException(
                    "density grid must be at least 1x1, got " + gridCols + "x" + gridRows);
        }
    }

    /**
     * The configuration for {@code f} on images with values in {@code [inputMin, inputMax]}.
     *
     * <p>The histogram range is the filter's theoretical output range ({@link ResponseRange#of}):
     * for a linear kernel {@code [sum(min(w*lo, w*hi)), sum(max(w*lo, w*hi))]} over its weights,
     * where {@code [lo, hi]} is the range of the pixels the kernel sees: the input range, mapped
     * through the grey weights under GREY colour mode, widened to include 0 or the border constant
     * under SAME padding with ZERO or CONSTANT borders; under VOLUME colour mode the sum runs over
     * all {@code channels} copies of the weights. For a gradient filter the range is {@code [0,
     * sqrt(rx^2 + ry^2)]} with {@code rx}, {@code ry} the largest absolute responses of its
     * kernels. A degenerate range (e.g. an all-zero kernel) is widened to {@code [min, min + 1]}.
     *
     * @param channels channels of the decoded image
     * @param bins histogram bins, or 0 for {@link #DEFAULT_HISTOGRAM_BINS}
     * @param threshold the edge threshold, or null for {@link #DEFAULT_THRESHOLD_FRACTION} of the
     *     range's largest absolute value (e.g. 255 for SOBEL_X on 0..255)
     * @param plan the tile plan; its grid becomes the density grid
     */
    public static StatsConfig forFilter(
            Filter f,
            ConvParams p,
            int channels,
            float inputMin,
            float inputMax,
            int bins,
            Double threshold,
            TilePlan plan) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be at least 1, got " + channels);
        }
        if (!(Float.isFinite(inputMin) && Float.isFinite(inputMax) && inputMin <= inputMax)) {
            throw new IllegalArgumentException(
                    "input range must be finite with min <= max, got ["
                            + inputMin
                            + ", "
                            + inputMax
                            + "]");
        }
        if (plan.isEmpty()) {
            throw new IllegalArgumentException("no statistics for an empty output map: " + plan);
        }
        double[] range = ResponseRange.of(f, p, channels, inputMin, inputMax);
        double lo = range[0];
        double hi = range[1];
        int orientation = f instanceof GradientFilter ? DEFAULT_ORIENTATION_BINS : 0;
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        double t =
                threshold != null
                        ? threshold
                        : DEFAULT_THRESHOLD_FRACTION * Math.max(Math.abs(lo), Math.abs(hi));
        return new StatsConfig(
                bins == 0 ? DEFAULT_HISTOGRAM_BINS : bins,
                lo,
                hi,
                t,
                orientation,
                plan.tilesX(),
                plan.tilesY());
    }

    /** The same configuration with another edge threshold. */
    public StatsConfig withEdgeThreshold(double t) {
        return new StatsConfig(
                histogramBins, histogramMin, histogramMax, t, orientationBins, gridCols, gridRows);
    }

    /** The same configuration with another number of orientation bins (0 for none). */
    public StatsConfig withOrientationBins(int n) {
        return new StatsConfig(
                histogramBins, histogramMin, histogramMax, edgeThreshold, n, gridCols, gridRows);
    }

    /** The same configuration with another number of histogram bins. */
    public StatsConfig withHistogramBins(int n) {
        return new StatsConfig(
                n, histogramMin, histogramMax, edgeThreshold, orientationBins, gridCols, gridRows);
    }

    /** The histogram bin of a finite value (values outside the range go to the end bins). */
    public int histogramBin(double v) {
        return bin(v, histogramMin, histogramBins / (histogramMax - histogramMin), histogramBins);
    }

    static int bin(double v, double min, double scale, int bins) {
        double b = Math.floor((v - min) * scale);
        if (b < 0) {
            return 0;
        }
        return b >= bins ? bins - 1 : (int) b;
    }

    /** The orientation bin of {@code atan2(gy, gx)}, {@code +pi} folded onto {@code -pi}. */
    static int orientationBin(double theta, int bins) {
        if (theta >= Math.PI) {
            return 0;
        }
        int b = (int) Math.floor((theta + Math.PI) * (bins / (2 * Math.PI)));
        // Rounding may push an angle just below +pi onto bins; it belongs in the last bin.
        return b >= bins ? bins - 1 : Math.max(b, 0);
    }
}
