package io.edgestream.imaging.stats;

/**
 * The configuration, scratch and results of {@link StatsEngine#segment} for one pass over a map:
 * the histogram and edge constants, the histogram counters (kept as {@link #COPIES} interleaved
 * copies so that runs of equal bins do not serialise on one counter), and the results of the last
 * segment. One instance per pass; not thread-safe.
 */
final class Segment {
    /** Interleaved copies of the histogram for bins up to {@link #MAX_COPIED_BINS}. */
    static final int COPIES = 8;

    /** Above this many bins the copies would cost more memory than they save time: one copy. */
    static final int MAX_COPIED_BINS = 4096;

    /** {@code StatsConfig.histogramMin}. */
    final double histMin;

    /** {@code bins / (max - min)}, computed exactly as the scalar formula computes it. */
    final double histScale;

    final int bins;

    /** {@code StatsConfig.edgeThreshold}: a value is an edge when {@code |v| >= edgeThreshold}. */
    final double edgeThreshold;

    /**
     * The smallest float {@code >= edgeThreshold}: for a float {@code |v|}, {@code |v| >=
     * edgeFloat} exactly when {@code |v| >= edgeThreshold} (in double), so lanes can test in float.
     */
    final float edgeFloat;

    /** Whether to record the positions of edge values (for the orientation histogram). */
    final boolean positions;

    /** log2 of the copies kept: the engine's wish, or 0 above {@link #MAX_COPIED_BINS}. */
    final int copyShift;

    /**
     * {@code (bins + 1) << copyShift} counters: bin {@code b}, copy {@code i} at {@code (b <<
     * copyShift) | i}; bin {@code bins} collects what must not be counted (non-finite values).
     */
    final int[] hist;

    /** Values counted into {@link #hist} since it was last folded. */
    private long pending;

    /** The histogram folded so far. */
    final long[] histLong;

    /** Per-value scratch of the vector engine: counter indices computed in lanes, then counted. */
    final int[] binIdx;

    /** Positions (relative to the segment) of the edge values, the first {@link #edges}. */
    final int[] edgePos;

    // --- results of the last segment ---
    long count;
    long nonFinite;
    int edges;
    double sum;
    double sumAbs;
    double min;
    double max;

    Segment(StatsConfig cfg, int copies, boolean positions, int maxLength) {
        this.histMin = cfg.histogramMin();
        this.bins = cfg.histogramBins();
        this.histScale = bins / (cfg.histogramMax() - cfg.histogramMin());
        this.edgeThreshold = cfg.edgeThreshold();
        this.edgeFloat = floatAtLeast(edgeThreshold);
        this.positions = positions;
        this.copyShift =
                bins <= MAX_COPIED_BINS
                        ? Integer.numberOfTrailingZeros(Math.min(copies, COPIES))
                        : 0;
        this.hist = new int[(bins + 1) << copyShift];
        this.histLong = new long[bins];
        this.binIdx = new int[maxLength];
        this.edgePos = new int[positions ? maxLength : 0];
    }

    /** The smallest float that is {@code >= t} (+infinity above the largest float). */
    static float floatAtLeast(double t) {
        float f = (float) t;
        return f < t ? Math.nextUp(f) : f;
    }

    /** The histogram bin of a finite value: {@code StatsConfig.bin} without Math.floor. */
    int bin(double v) {
        // For x >= 0 truncation is the floor; below 0 and at or above bins the ends take it.
        double x = (v - histMin) * histScale;
        return x < 0 ? 0 : x >= bins ? bins - 1 : (int) x;
    }

    /**
     * Counts {@code binIdx[0, n)}, each already a counter index {@code (bin << copyShift) | copy}
     * with consecutive values in different copies.
     */
    void countIndices(int n) {
        int[] b = binIdx;
        int[] h = hist;
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
        counted(n);
    }

    /** Notes {@code n} more values in {@link #hist}, folding before an int could overflow. */
    void counted(int n) {
        pending += n;
        if (pending > (1L << 30)) {
            fold();
        }
    }

    /** Adds the copies into {@link #histLong} and clears them; returns the histogram. */
    long[] fold() {
        int c = 1 << copyShift;
        for (int b = 0; b < bins; b++) {
            long t = 0;
            for (int i = 0; i < c; i++) {
                t += hist[(b << copyShift) | i];
            }
            histLong[b] += t;
        }
        java.util.Arrays.fill(hist, 0);
        pending = 0;
        return histLong;
    }

    /**
     * The plain sequential sums of the finite values of {@code d[from, from + n)} into {@link #sum}
     * and {@link #sumAbs}: the definition the engines must reproduce bit for bit.
     */
    void sequentialSums(float[] d, int from, int n) {
        double s = 0;
        double a = 0;
        for (int i = from; i < from + n; i++) {
            float f = d[i];
            if (Float.isFinite(f)) {
                s += f;
                a += Math.abs((double) f);
            }
        }
        sum = s;
        sumAbs = a;
    }
}
