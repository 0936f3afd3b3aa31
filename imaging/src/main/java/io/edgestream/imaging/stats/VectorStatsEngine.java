package io.edgestream.imaging.stats;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link StatsEngine} on the incubating Vector API: lanes run along the row segment, as many float,
 * int and double lanes as the preferred double vector has (8 with AVX-512, 4 with AVX2), so each
 * value is converted to double once. Counts, edges, min and max are order-free; histogram bins are
 * computed in double lanes by {@link Segment#bin}'s two operations (the same bits) and counted by a
 * scalar loop; the edge test compares the float {@code |v|} with {@link Segment#edgeFloat}, which
 * is the same test as {@code |v| >= threshold} in double.
 *
 * <p><b>Sums, bit for bit.</b> Lane sums add the values in another order than the sequential
 * definition, so they are used only when both are exact, which this engine proves per segment:
 * every finite value is a multiple of {@code u = 2^(e - 23)}, {@code e} the exponent of the
 * smallest non-zero {@code |v|}, so every partial sum in any order is a multiple of {@code u} no
 * larger than {@code Σ|v|}, and exact in double when {@code Σ|v| < 2^53 u}. The lane sum of {@code
 * |v|} is below that bound exactly when the true one is (rounding is monotone and the bound a power
 * of two), so the test cannot be fooled by its own rounding. Integer maps, gradient magnitudes of
 * integer gradients and most float maps pass easily (a 256-value segment of 8-bit Sobel responses
 * needs {@code Σ|v| < 2^30}); a segment that does not (a dynamic range above about 2^22 within one
 * row of a tile) is summed again sequentially. Only loaded (reflectively, by {@link
 * EdgeStatsPartial}) when {@code jdk.incubator.vector} is in the boot layer.
 */
final class VectorStatsEngine implements StatsEngine {
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int L = DS.length();
    private static final VectorSpecies<Float> FS =
            VectorSpecies.of(float.class, VectorShape.forBitSize(L * Float.SIZE));
    private static final VectorSpecies<Integer> IS =
            VectorSpecies.of(int.class, VectorShape.forBitSize(L * Integer.SIZE));

    /** Lane {@code i}'s histogram copy, {@code i % 8} (masked to the copies a segment keeps). */
    private static final int[] COPY_OF_LANE = new int[L];

    static {
        for (int i = 0; i < L; i++) {
            COPY_OF_LANE[i] = i % Segment.COPIES;
        }
    }

    VectorStatsEngine() {
        if (FS.length() != L || IS.length() != L || L > 64) {
            throw new IllegalStateException("lane counts differ: " + DS + " " + FS + " " + IS);
        }
        // Touch the species now so a broken Vector API fails at selection time, not mid-job.
        DoubleVector.zero(DS).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public String name() {
        return "vector-" + DS.vectorBitSize();
    }

    /** Runs of equal bins (flat areas) would otherwise serialise on one counter. */
    @Override
    public int histogramCopies() {
        return Segment.COPIES;
    }

    @Override
    public void segment(float[] d, int from, int n, Segment s) {
        FloatVector zero = FloatVector.zero(FS);
        FloatVector posInf = FloatVector.broadcast(FS, Float.POSITIVE_INFINITY);
        FloatVector negInf = FloatVector.broadcast(FS, Float.NEGATIVE_INFINITY);
        FloatVector largest = FloatVector.broadcast(FS, Float.MAX_VALUE);
        FloatVector thr = FloatVector.broadcast(FS, s.edgeFloat);
        DoubleVector histMin = DoubleVector.broadcast(DS, s.histMin);
        DoubleVector histScale = DoubleVector.broadcast(DS, s.histScale);
        IntVector lastBin = IntVector.broadcast(IS, s.bins - 1);
        IntVector skipBin = IntVector.broadcast(IS, s.bins);
        DoubleVector sum = DoubleVector.zero(DS);
        DoubleVector abs = DoubleVector.zero(DS);
        FloatVector mn = posInf;
        FloatVector mx = negInf;
        FloatVector nz = posInf;
        int[] idx = s.binIdx;
        int shift = s.copyShift;
        IntVector copy = IntVector.fromArray(IS, COPY_OF_LANE, 0).and((1 << shift) - 1);
        int count = 0;
        int edges = 0;
        int k = 0;
        for (; k <= n - L; k += L) {
            FloatVector v = FloatVector.fromArray(FS, d, from + k);
            // NaN and infinities fail |v| <= MAX_VALUE; they count as 0 below and are excluded.
            VectorMask<Float> fin = v.abs().compare(VectorOperators.LE, largest);
            FloatVector vz = zero.blend(v, fin);
            FloatVector az = vz.abs();
            DoubleVector dv = (DoubleVector) vz.convertShape(VectorOperators.F2D, DS, 0);
            sum = sum.add(dv);
            abs = abs.add(dv.abs());
            mn = mn.min(posInf.blend(v, fin));
            mx = mx.max(negInf.blend(v, fin));
            nz = nz.min(az.blend(posInf, az.compare(VectorOperators.EQ, 0f)));
            VectorMask<Float> edge = az.compare(VectorOperators.GE, thr).and(fin);
            count += fin.trueCount();
            int e = edge.trueCount();
            if (e > 0 && s.positions) {
                long bits = edge.toLong();
                for (int j = edges; bits != 0; j++, bits &= bits - 1) {
                    s.edgePos[j] = k + Long.numberOfTrailingZeros(bits);
                }
            }
            edges += e;
            // Segment.bin in lanes: the same two double operations; truncation then the clamp
            // equals the scalar's ends (the D2I conversion saturates like a Java cast).
            IntVector b =
                    (IntVector)
                            dv.sub(histMin).mul(histScale).convertShape(VectorOperators.D2I, IS, 0);
            // With the copy of each lane's counter: the count loop is then a bare increment.
            b.max(0)
                    .min(lastBin)
                    .blend(skipBin, fin.cast(IS).not())
                    .lanewise(VectorOperators.LSHL, shift)
                    .or(copy)
                    .intoArray(idx, k);
        }
        double sumT = 0;
        double absT = 0;
        float mnT = Float.POSITIVE_INFINITY;
        float mxT = Float.NEGATIVE_INFINITY;
        float nzT = Float.POSITIVE_INFINITY;
        for (; k < n; k++) {
            float f = d[from + k];
            if (!Float.isFinite(f)) {
                idx[k] = (s.bins << shift) | (k & ((1 << shift) - 1));
                continue;
            }
            float af = Math.abs(f);
            count++;
            sumT += f;
            absT += af;
            mnT = Math.min(mnT, f);
            mxT = Math.max(mxT, f);
            if (af != 0) {
                nzT = Math.min(nzT, af);
            }
            if (af >= s.edgeFloat) {
                if (s.positions) {
                    s.edgePos[edges] = k;
                }
                edges++;
            }
            idx[k] = (s.bin(f) << shift) | (k & ((1 << shift) - 1));
        }
        s.countIndices(n);
        s.count = count;
        s.nonFinite = n - count;
        s.edges = edges;
        s.min = Math.min(mn.reduceLanes(VectorOperators.MIN), mnT);
        s.max = Math.max(mx.reduceLanes(VectorOperators.MAX), mxT);
        float smallest = Math.min(nz.reduceLanes(VectorOperators.MIN), nzT);
        double totalAbs = abs.reduceLanes(VectorOperators.ADD) + absT;
        // Exact (see the class comment) when every value is 0 or Σ|v| < 2^53 * 2^(e - 23).
        if (smallest == Float.POSITIVE_INFINITY
                || totalAbs < Math.scalb(1.0, 30 + Math.getExponent(smallest))) {
            s.sum = sum.reduceLanes(VectorOperators.ADD) + sumT;
            s.sumAbs = totalAbs;
        } else {
            s.sequentialSums(d, from, n);
        }
    }

    /**
     * The rows in {@link StatsEngine#rowSquares}'s order: its eight partial sums are the lanes of
     * one vector (8 double lanes, two rows at a time so that two chains of additions overlap) or of
     * two (4 lanes: lanes 0-3 and 4-7 of each group of eight values); {@code (v - mean)} and its
     * square are two roundings as in the scalar {@code dv * dv} (no fused multiply-add), and the
     * last {@code rowLen % 8} terms are added to partial sums 0, 1, ... one at a time. Other lane
     * counts take the scalar engine's loop, which computes the same order. (Rows in lanes, one
     * gathered column of rows per step, would need no partial sums but measured slower on Zen 4,
     * whose gathers are slow.)
     */
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
        if (L != 8 && L != 4) {
            ScalarStatsEngine.INSTANCE.rowSquares(
                    d, from, stride, rows, rowLen, mean, allFinite, out);
            return;
        }
        double[] lanes = new double[2 * SQUARE_LANES];
        int j = 0;
        if (L == 8) {
            for (; j + 1 < rows; j += 2) {
                int p = from + j * stride;
                twoRows8(d, p, p + stride, rowLen, mean, allFinite, lanes);
                out[j] = combine(lanes, 0);
                out[j + 1] = combine(lanes, SQUARE_LANES);
            }
            if (j < rows) {
                // The last odd row: computed as both rows of a pair, the second discarded.
                int p = from + j * stride;
                twoRows8(d, p, p, rowLen, mean, allFinite, lanes);
                out[j] = combine(lanes, 0);
            }
        } else {
            for (; j < rows; j++) {
                row4(d, from + j * stride, rowLen, mean, allFinite, lanes);
                out[j] = combine(lanes, 0);
            }
        }
    }

    /** {@code (v - mean)^2} of the finite lanes of {@code v}, {@code +0} in the others. */
    private static DoubleVector squares(
            FloatVector v, DoubleVector mean, boolean allFinite, FloatVector largest) {
        DoubleVector dv = ((DoubleVector) v.convertShape(VectorOperators.F2D, DS, 0)).sub(mean);
        DoubleVector sq = dv.mul(dv);
        if (allFinite) {
            return sq;
        }
        VectorMask<Float> fin = v.abs().compare(VectorOperators.LE, largest);
        return DoubleVector.zero(DS).blend(sq, fin.cast(DS));
    }

    /** Rows at {@code p} and {@code q} with 8 lanes: partial sums into lanes[0, 8) and [8, 16). */
    private static void twoRows8(
            float[] d, int p, int q, int rowLen, double mean, boolean allFinite, double[] lanes) {
        DoubleVector m = DoubleVector.broadcast(DS, mean);
        FloatVector largest = FloatVector.broadcast(FS, Float.MAX_VALUE);
        DoubleVector a = DoubleVector.zero(DS);
        DoubleVector b = DoubleVector.zero(DS);
        int x = 0;
        for (; x <= rowLen - 8; x += 8) {
            a = a.add(squares(FloatVector.fromArray(FS, d, p + x), m, allFinite, largest));
            b = b.add(squares(FloatVector.fromArray(FS, d, q + x), m, allFinite, largest));
        }
        a.intoArray(lanes, 0);
        b.intoArray(lanes, SQUARE_LANES);
        for (int k = 0; x + k < rowLen; k++) {
            lanes[k] += StatsEngine.square(d[p + x + k], mean);
            lanes[SQUARE_LANES + k] += StatsEngine.square(d[q + x + k], mean);
        }
    }

    /** The row at {@code p} with 4 lanes, two vectors: partial sums into lanes[0, 8). */
    private static void row4(
            float[] d, int p, int rowLen, double mean, boolean allFinite, double[] lanes) {
        DoubleVector m = DoubleVector.broadcast(DS, mean);
        FloatVector largest = FloatVector.broadcast(FS, Float.MAX_VALUE);
        DoubleVector lo = DoubleVector.zero(DS);
        DoubleVector hi = DoubleVector.zero(DS);
        int x = 0;
        for (; x <= rowLen - 8; x += 8) {
            lo = lo.add(squares(FloatVector.fromArray(FS, d, p + x), m, allFinite, largest));
            hi = hi.add(squares(FloatVector.fromArray(FS, d, p + x + 4), m, allFinite, largest));
        }
        lo.intoArray(lanes, 0);
        hi.intoArray(lanes, 4);
        for (int k = 0; x + k < rowLen; k++) {
            lanes[k] += StatsEngine.square(d[p + x + k], mean);
        }
    }

    private static double combine(double[] lanes, int o) {
        return StatsEngine.combineLanes(
                lanes[o],
                lanes[o + 1],
                lanes[o + 2],
                lanes[o + 3],
                lanes[o + 4],
                lanes[o + 5],
                lanes[o + 6],
                lanes[o + 7]);
    }
}
