package io.edgestream.imaging.stats;

/**
 * The per-value work of {@link EdgeStatsPartial}'s pass over a map, one row segment (the values of
 * one density-grid cell on one row) at a time, behind an interface so that the Vector API
 * implementation is only loaded when {@code jdk.incubator.vector} is present.
 *
 * <p>Contract, for the values {@code d[from, from + n)}: {@link Segment#count}, {@link
 * Segment#nonFinite} and {@link Segment#edges} as {@code EdgeStatsPartial} defines them; the
 * histogram bin of every finite value counted into {@link Segment#hist}; the positions of edge
 * values in {@link Segment#edgePos} when {@link Segment#positions} is set; {@link Segment#min} and
 * {@link Segment#max} of the finite values (whose sign of zero may differ from the first zero's,
 * see {@code EdgeStatsPartial.scan}); and {@link Segment#sum} and {@link Segment#sumAbs} bit for
 * bit equal to the plain sequential double sums of the finite values {@code s += v} in order.
 */
interface StatsEngine {

    /** {@code "scalar"}, {@code "vector-256"}, ... */
    String name();

    /**
     * Interleaved copies of the histogram counters this engine wants (see {@link Segment#hist}): a
     * power of two, at most {@link Segment#COPIES}.
     */
    int histogramCopies();

    /** One row segment, see the interface comment. */
    void segment(float[] d, int from, int n, Segment s);

    /**
     * For each of {@code rows} rows of {@code rowLen} values, the first at {@code d[from]} and each
     * {@code stride} after the one before, the plain sum {@code r += (v - mean)^2} over its finite
     * values in order (a non-finite value adds {@code +0}, which changes no such sum), into {@code
     * out[0, rows)}: every row bit for bit as a loop over that row alone computes it.
     */
    void rowSquares(
            float[] d, int from, int stride, int rows, int rowLen, double mean, double[] out);

    /** {@code (f - mean)^2} for a finite {@code f}, else {@code +0}: one term of a row. */
    static double square(float f, double mean) {
        double dv = Float.isFinite(f) ? f - mean : 0;
        return dv * dv;
    }
}
