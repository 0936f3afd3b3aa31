package io.edgestream.imaging.fused;

/**
 * The mutable state of one {@link FusedSobelU8#apply} call: the statistics tables (fixed per
 * kernel) and the running sums, plus per-row scratch. Reused across calls so the steady state
 * allocates nothing.
 */
final class Accumulator {
    /** {@code bounds[k]} = smallest {@code s = gx^2+gy^2} whose magnitude falls in bin >= k. */
    final int[] bounds;

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

    /**
     * The exact bin of every possible {@code s} ({@code MAX_SQ + 1} entries, built from {@link
     * #bounds}): one table read gives the exact bin, with no float arithmetic per pixel. {@code
     * byte} (read unsigned) when there are at most 256 bins, else {@code char}; 2 or 4 MB, but
     * images touch mostly the small-{@code s} end (flat areas), which stays in cache.
     */
    final byte[] binOfSq8;

    final char[] binOfSq16;

    /** Ring of three input rows widened to int (vector engine). */
    final int[][] rows = new int[3][0];

    int[] sq = new int[0];

    double sum;
    long sumSq;
    int minSq;
    int maxSq;
    long edges;

    Accumulator(int[] bounds, int edgeSq, int bins) {
        this.bounds = bounds;
        this.edgeSq = edgeSq;
        this.bins = bins;
        this.histCopies = new int[bins * COPIES];
        this.histLong = new long[bins];
        int n = FusedSobelU8.MAX_SQ + 1;
        if (bins <= 256) {
            binOfSq8 = new byte[n];
            binOfSq16 = null;
        } else {
            binOfSq8 = null;
            binOfSq16 = new char[n];
        }
        for (int b = 0; b < bins; b++) {
            int from = Math.min(bounds[b], n);
            int to = Math.min(bounds[b + 1], n);
            if (binOfSq8 != null) {
                java.util.Arrays.fill(binOfSq8, from, Math.max(from, to), (byte) b);
            } else {
                java.util.Arrays.fill(binOfSq16, from, Math.max(from, to), (char) b);
            }
        }
    }

    void start(int rowWidth) {
        if (sq.length < rowWidth) {
            sq = new int[rowWidth];
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

    /** The exact bin of {@code s}, by table. */
    int binOf(int s) {
        return binOfSq8 != null ? binOfSq8[s] & 0xFF : binOfSq16[s];
    }

    /**
     * Histogram of a row whose {@code s = gx^2 + gy^2} values are in {@link #sq}. Consecutive
     * pixels go to different copies of the histogram so that runs of equal bins (the common case:
     * flat areas) do not serialise on store-to-load forwarding of one counter.
     */
    void histogramOfSquares(int n) {
        int[] s = sq;
        int[] h = histCopies;
        int i = 0;
        if (binOfSq8 != null) {
            byte[] t = binOfSq8;
            for (; i + 7 < n; i += 8) {
                h[(t[s[i]] & 0xFF) << 3]++;
                h[((t[s[i + 1]] & 0xFF) << 3) | 1]++;
                h[((t[s[i + 2]] & 0xFF) << 3) | 2]++;
                h[((t[s[i + 3]] & 0xFF) << 3) | 3]++;
                h[((t[s[i + 4]] & 0xFF) << 3) | 4]++;
                h[((t[s[i + 5]] & 0xFF) << 3) | 5]++;
                h[((t[s[i + 6]] & 0xFF) << 3) | 6]++;
                h[((t[s[i + 7]] & 0xFF) << 3) | 7]++;
            }
        } else {
            char[] t = binOfSq16;
            for (; i + 7 < n; i += 8) {
                h[t[s[i]] << 3]++;
                h[(t[s[i + 1]] << 3) | 1]++;
                h[(t[s[i + 2]] << 3) | 2]++;
                h[(t[s[i + 3]] << 3) | 3]++;
                h[(t[s[i + 4]] << 3) | 4]++;
                h[(t[s[i + 5]] << 3) | 5]++;
                h[(t[s[i + 6]] << 3) | 6]++;
                h[(t[s[i + 7]] << 3) | 7]++;
            }
        }
        for (; i < n; i++) {
            h[(binOf(s[i]) << 3) | (i & 7)]++;
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
