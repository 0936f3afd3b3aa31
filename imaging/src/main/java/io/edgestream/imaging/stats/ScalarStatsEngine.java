package io.edgestream.imaging.stats;

/**
 * Plain-Java {@link StatsEngine}: the fallback when the Vector API is absent or disabled. One loop
 * in the order of the values, which is the definition of every result.
 */
final class ScalarStatsEngine implements StatsEngine {
    static final ScalarStatsEngine INSTANCE = new ScalarStatsEngine();

    private ScalarStatsEngine() {}

    @Override
    public String name() {
        return "scalar";
    }

    /** One set of counters: measured faster here than copies, whose indexing costs more. */
    @Override
    public int histogramCopies() {
        return 1;
    }

    @Override
    public void segment(float[] d, int from, int n, Segment s) {
        int[] h = s.hist;
        double thr = s.edgeThreshold;
        double hmin = s.histMin;
        double scale = s.histScale;
        int bins = s.bins;
        int[] pos = s.positions ? s.edgePos : null;
        long nonFinite = 0;
        int edges = 0;
        double sum = 0;
        double abs = 0;
        double mn = Double.POSITIVE_INFINITY;
        double mx = Double.NEGATIVE_INFINITY;
        for (int i = from, end = from + n; i < end; i++) {
            float f = d[i];
            if (!Float.isFinite(f)) {
                nonFinite++;
                continue;
            }
            double v = f;
            sum += v;
            double av = Math.abs(v);
            abs += av;
            if (v < mn) {
                mn = v;
            }
            if (v > mx) {
                mx = v;
            }
            // Segment.bin, inline; one set of counters (histogramCopies() is 1).
            double x = (v - hmin) * scale;
            h[x < 0 ? 0 : x >= bins ? bins - 1 : (int) x]++;
            if (av >= thr) {
                if (pos != null) {
                    pos[edges] = i - from;
                }
                edges++;
            }
        }
        s.counted(n);
        s.count = n - nonFinite;
        s.nonFinite = nonFinite;
        s.edges = edges;
        s.sum = sum;
        s.sumAbs = abs;
        s.min = mn;
        s.max = mx;
    }

    @Override
    public void rowSquares(
            float[] d,
            int from,
            int stride,
            int rows,
            int rowLen,
            double mean,
            boolean allFinite,
            double[] out) {
        for (int j = 0; j < rows; j++) {
            out[j] = row(d, from + j * stride, rowLen, mean);
        }
    }

    /**
     * One row's sum of squares in the order {@link StatsEngine#rowSquares} defines: term {@code x}
     * into partial sum {@code x % 8}, then the partial sums in a fixed tree. (The eight sums are
     * also eight independent chains of additions, which overlap.)
     */
    static double row(float[] d, int p, int rowLen, double mean) {
        double a0 = 0;
        double a1 = 0;
        double a2 = 0;
        double a3 = 0;
        double a4 = 0;
        double a5 = 0;
        double a6 = 0;
        double a7 = 0;
        int x = 0;
        for (; x + 7 < rowLen; x += 8) {
            a0 += StatsEngine.square(d[p + x], mean);
            a1 += StatsEngine.square(d[p + x + 1], mean);
            a2 += StatsEngine.square(d[p + x + 2], mean);
            a3 += StatsEngine.square(d[p + x + 3], mean);
            a4 += StatsEngine.square(d[p + x + 4], mean);
            a5 += StatsEngine.square(d[p + x + 5], mean);
            a6 += StatsEngine.square(d[p + x + 6], mean);
            a7 += StatsEngine.square(d[p + x + 7], mean);
        }
        // The tail: terms x, x + 1, ... go to partial sums 0, 1, ... (x is a multiple of 8).
        int left = rowLen - x;
        a0 += left > 0 ? StatsEngine.square(d[p + x], mean) : 0;
        a1 += left > 1 ? StatsEngine.square(d[p + x + 1], mean) : 0;
        a2 += left > 2 ? StatsEngine.square(d[p + x + 2], mean) : 0;
        a3 += left > 3 ? StatsEngine.square(d[p + x + 3], mean) : 0;
        a4 += left > 4 ? StatsEngine.square(d[p + x + 4], mean) : 0;
        a5 += left > 5 ? StatsEngine.square(d[p + x + 5], mean) : 0;
        a6 += left > 6 ? StatsEngine.square(d[p + x + 6], mean) : 0;
        return StatsEngine.combineLanes(a0, a1, a2, a3, a4, a5, a6, a7);
    }
}
