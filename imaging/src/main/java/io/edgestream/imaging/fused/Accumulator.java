package io.edgestream.imaging.fused;

import io.edgestream.imaging.stats.StatsConfig;

/**
 * The mutable state of one {@link FusedSobelU8#apply} call: the statistics tables (fixed per
 * kernel) and the running sums, plus per-row scratch. Reused across calls so the steady state
 * allocates nothing.
 */
final class Accumulator {
    /** The histogram range and bins; {@link #binOf} is its {@code histogramBin}. */
    final StatsConfig config;

    /** {@code config.histogramMin()}, for the vector engine's lanes of the same formula. */
    final double histMin;

    /**
     * {@code bins / (max - min)}, computed exactly as {@link StatsConfig#histogramBin} computes it,
     * so a vector lane doing {@code floor((m - histMin) * histScale)} in double gets the same bits.
     */
    final double histScale;

    /** Smallest {@code s} whose magnitude is an edge; {@link Integer#MAX_VALUE} if none. */
    final int edgeSq;

    final int bins;

    /**
     * Interleaved copies of the histogram: runs of equal bins (flat areas) would otherwise
     * serialise on store-to-load forwarding of one counter; 8 measured 18% faster than 4.
     */
    static final int COPIES = 8;

    /** {@link #COPIES} interleaved copies of the histogram ({@code bin * COPIES + i % COPIES}). */
    final int[] histCopies;

    /** The histogram of this call so far, apart from what is still in {@link #histCopies}. */
    final long[] histLong;

    /** Pixels counted into {@link #histCopies} since it was last folded into {@link #histLong}. */
    long pending;

    /** Ring of three input rows widened to int (vector engine). */
    final int[][] rows = new int[3][0];

    /**
     * Per-row scratch of the vector engine: {@code bin * COPIES + copy} of each pixel, computed in
     * vector lanes and then counted by a scalar loop (an int row of 4 KB instead of the former 2 MB
     * table of every {@code gx^2 + gy^2}, which did not fit in L2).
     */
    int[] binIdx = new int[0];

    double sum;
    long sumSq;
    int minSq;
    int maxSq;
    long edges;

    Accumulator(StatsConfig config, int edgeSq) {
        this.config = config;
        this.histMin = config.histogramMin();
        this.bins = config.histogramBins();
        this.histScale = bins / (config.histogramMax() - config.histogramMin());
        this.edgeSq = edgeSq;
        this.histCopies = new int[bins * COPIES];
        this.histLong = new long[bins];
    }

    void start(int rowWidth) {
        if (binIdx.length < rowWidth) {
            binIdx = new int[rowWidth];
            for (int i = 0; i < 3; i++) {
                rows[i] = new int[rowWidth + 2];
            }
        }
        sum = 0;
        sumSq = 0;
        minSq = Integer.MAX_VALUE;
        maxSq = Integer.MIN_VALUE;
        edges = 0;
        pending = 0;
        java.util.Arrays.fill(histCopies, 0);
        java.util.Arrays.fill(histLong, 0);
    }

    /** The exact bin of the magnitude {@code m}: {@link StatsConfig#histogramBin} itself. */
    int binOf(float m) {
        return config.histogramBin(m);
    }

    /**
     * Counts {@code binIdx[0, n)} (entries {@code bin * COPIES + copy}, consecutive pixels in
     * different copies so that runs of equal bins do not serialise on one counter).
     */
    void countBinIndices(int n) {
        int[] b = binIdx;
        int[] h = histCopies;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            h[b[i]]++;
            h[b[i + 1]]++;
            h[b[i + 2]]++;
            h[b[i + 3]]++;
        }
        for (; i < n; i++) {
            h[b[i]]++;
        }
        countPending(n);
    }

    /**
     * Counts the magnitudes {@code m[off, off + n)} with the scalar {@link #binOf} (the vector
     * engine's path where the double lanes it needs are not native).
     */
    void countMagnitudes(float[] m, int off, int n) {
        int[] h = histCopies;
        for (int i = 0; i < n; i++) {
            h[(binOf(m[off + i]) << 3) | (i & 7)]++;
        }
        countPending(n);
    }

    /** Folds {@link #histCopies} into {@link #histLong} before its int counters could overflow. */
    void countPending(int n) {
        pending += n;
        if (pending > (1L << 30)) {
            foldHistogram();
        }
    }

    private void foldHistogram() {
        for (int b = 0; b < bins; b++) {
            for (int c = 0; c < COPIES; c++) {
                histLong[b] += histCopies[b * COPIES + c];
            }
        }
        java.util.Arrays.fill(histCopies, 0);
        pending = 0;
    }

    /** Adds everything to {@code stats}. */
    void finish(GradientStats stats, long pixels) {
        stats.count += pixels;
        stats.sum += sum;
        stats.sumAbs += sum;
        stats.sumSq += sumSq;
        stats.edgeCount += edges;
        if (pixels > 0) {
            stats.min = Math.min(stats.min, FusedSobelU8.magnitudeOfSquare(minSq));
            stats.max = Math.max(stats.max, FusedSobelU8.magnitudeOfSquare(maxSq));
        }
        foldHistogram();
        for (int b = 0; b < bins; b++) {
            stats.histogram[b] += histLong[b];
        }
    }
}
