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
            float[] d, int from, int stride, int rows, int rowLen, double mean, double[] out) {
        int j = 0;
        for (; j + 7 < rows; j += 8) {
            // Eight rows at once: eight independent chains of additions overlap.
            int p = from + j * stride;
            double r0 = 0;
            double r1 = 0;
            double r2 = 0;
            double r3 = 0;
            double r4 = 0;
            double r5 = 0;
            double r6 = 0;
            double r7 = 0;
            for (int x = 0; x < rowLen; x++, p++) {
                r0 += StatsEngine.square(d[p], mean);
                r1 += StatsEngine.square(d[p + stride], mean);
                r2 += StatsEngine.square(d[p + 2 * stride], mean);
                r3 += StatsEngine.square(d[p + 3 * stride], mean);
                r4 += StatsEngine.square(d[p + 4 * stride], mean);
                r5 += StatsEngine.square(d[p + 5 * stride], mean);
                r6 += StatsEngine.square(d[p + 6 * stride], mean);
                r7 += StatsEngine.square(d[p + 7 * stride], mean);
            }
            out[j] = r0;
            out[j + 1] = r1;
            out[j + 2] = r2;
            out[j + 3] = r3;
            out[j + 4] = r4;
            out[j + 5] = r5;
            out[j + 6] = r6;
            out[j + 7] = r7;
        }
        for (; j < rows; j++) {
            out[j] = row(d, from + j * stride, rowLen, mean);
        }
    }

    /** One row's plain sum of squares: the definition. */
    static double row(float[] d, int p, int rowLen, double mean) {
        double r = 0;
        for (int x = 0; x < rowLen; x++) {
            r += StatsEngine.square(d[p + x], mean);
        }
        return r;
    }
}
