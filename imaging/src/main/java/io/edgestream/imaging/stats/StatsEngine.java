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

    /** Interleaved partial sums of a row of squares, see {@link #rowSquares}. */
    int SQUARE_LANES = 8;

    /**
     * For each of {@code rows} rows of {@code rowLen} values, the first at {@code d[from]} and each
     * {@code stride} after the one before, the row's sum of {@link #square}s, into {@code out[0,
     * rows)}, bit for bit in this order (the definition, whatever the engine's lane count): term
     * {@code x} of the row is added, in increasing {@code x}, to partial sum {@code a[x % 8]} (each
     * starting at {@code +0}); the row's sum is {@code ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 +
     * a7))}. Eight interleaved sums are what a vector of eight double lanes computes with one
     * addition per eight values (two such vectors with four lanes); a non-finite value's term is
     * {@code +0}, which changes no partial sum, so lanes past the end of a row may add {@code +0}
     * too.
     *
     * @param allFinite the caller's promise that no value of these rows is NaN or infinite (an
     *     engine may then skip the test)
     */
    void rowSquares(
            float[] d,
            int from,
            int stride,
            int rows,
            int rowLen,
            double mean,
            boolean allFinite,
            double[] out);

    /** The row's sum from its eight partial sums, in the order {@link #rowSquares} defines. */
    static double combineLanes(
            double a0,
            double a1,
            double a2,
            double a3,
            double a4,
            double a5,
            double a6,
            double a7) {
        return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
    }

    /** {@code (f - mean)^2} for a finite {@code f}, else {@code +0}: one term of a row. */
    static double square(float f, double mean) {
        double dv = Float.isFinite(f) ? f - mean : 0;
        return dv * dv;
    }
}
