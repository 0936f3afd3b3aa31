package io.edgestream.imaging.fused;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused Sobel pass on the incubating Vector API, in integer lanes: each input row is widened to
 * ints once (a ring of three rows), the Sobel sums and {@code s = gx^2 + gy^2} are exact integers,
 * and only the magnitude goes through float ({@code sqrt} of an exact float, correctly rounded), so
 * the result is bit-identical to {@link ScalarFusedEngine}. Histogram bins are computed in double
 * lanes by {@code StatsConfig.histogramBin}'s own operations (where such lanes are native) and
 * counted by a scalar loop over a small per-row scratch. Only loaded (reflectively, by {@link
 * FusedSobelU8}) when {@code jdk.incubator.vector} is in the boot layer.
 *
 * <p>Integer lanes because the sums, squares, min/max and edge test are then exact and cheap, and
 * one int-to-float conversion per vector (for the root) is all the float work; a float-lane variant
 * was not measured. Widening bytes inside each of the eight loads per vector (byte-to-int {@code
 * convertShape}) measured slower than widening each row once, markedly so on JDK 17.
 */
final class VectorFusedEngine implements FusedEngine {
    // 256-bit lanes even where 512 are available: measured no faster on AMD Zen 4 (its AVX-512
    // is double-pumped), and twice the row tail left to the scalar code.
    // (JDK 25; on JDK 17 this whole kernel runs 4-5x slower, see bench/README.md).
    private static final VectorSpecies<Integer> IS =
            IntVector.SPECIES_PREFERRED.length() > 8
                    ? IntVector.SPECIES_256
                    : IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FS = IS.withLanes(float.class);
    private static final int L = IS.length();

    /** As many double lanes as int lanes (512-bit for 256-bit ints), for the histogram bins. */
    private static final VectorSpecies<Double> DS =
            VectorSpecies.of(double.class, VectorShape.forBitSize(L * Double.SIZE));

    /**
     * Whether {@link #DS} is native (AVX-512 for 8 lanes). Otherwise the Vector API would emulate
     * it very slowly, and the bins are computed by the scalar formula instead.
     */
    private static final boolean VECTOR_BINS =
            DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= DS.vectorBitSize();

    /** {@code i % COPIES} for lane i: consecutive pixels count into different histogram copies. */
    private static final int[] COPY_OF_LANE = new int[L];

    static {
        for (int i = 0; i < L; i++) {
            COPY_OF_LANE[i] = i % Accumulator.COPIES;
        }
    }

    /** Vector iterations between flushes of the float / int partial sums. */
    private static final int FLUSH = 64;

    VectorFusedEngine() {
        if (FS.length() != L) {
            throw new IllegalStateException("int and float species differ: " + IS + " " + FS);
        }
        // Touch the species now so a broken Vector API fails at selection time, not mid-job.
        IntVector.zero(IS).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public String name() {
        return "vector-" + IS.vectorBitSize();
    }

    @Override
    public void bins(float[] m, int n, Accumulator acc, int[] out) {
        int x = 0;
        if (VECTOR_BINS) {
            DoubleVector min = DoubleVector.broadcast(DS, acc.histMin);
            DoubleVector scale = DoubleVector.broadcast(DS, acc.histScale);
            for (; x <= n - L; x += L) {
                bin(FloatVector.fromArray(FS, m, x), min, scale, acc.bins).intoArray(out, x);
            }
        }
        for (; x < n; x++) {
            out[x] = acc.binOf(m[x]);
        }
    }

    /**
     * {@code StatsConfig.histogramBin} in lanes: {@code floor((m - min) * scale)} in double, the
     * same two correctly rounded operations on the same values, so the same bits; then clamped to
     * {@code [0, bins)}. Truncating conversion instead of floor is equal after the clamp: they
     * differ only below 0, and the D2I conversion saturates like a Java cast.
     */
    private static IntVector bin(FloatVector m, DoubleVector min, DoubleVector scale, int bins) {
        DoubleVector d = (DoubleVector) m.convertShape(VectorOperators.F2D, DS, 0);
        IntVector b = (IntVector) d.sub(min).mul(scale).convertShape(VectorOperators.D2I, IS, 0);
        return b.max(0).min(bins - 1);
    }

    /**
     * Histogram of the magnitudes {@code m[off, off + n)}: bins (with the copy index) computed in
     * lanes into {@code acc.binIdx}, then counted by a scalar loop.
     */
    private static void histogram(float[] m, int off, int n, Accumulator acc) {
        if (!VECTOR_BINS) {
            acc.countMagnitudes(m, off, n);
            return;
        }
        int[] idx = acc.binIdx;
        DoubleVector min = DoubleVector.broadcast(DS, acc.histMin);
        DoubleVector scale = DoubleVector.broadcast(DS, acc.histScale);
        IntVector copy = IntVector.fromArray(IS, COPY_OF_LANE, 0);
        int bins = acc.bins;
        int x = 0;
        for (; x <= n - L; x += L) {
            bin(FloatVector.fromArray(FS, m, off + x), min, scale, bins)
                    .lanewise(VectorOperators.LSHL, 3)
                    .or(copy)
                    .intoArray(idx, x);
        }
        for (; x < n; x++) {
            idx[x] = (acc.binOf(m[off + x]) << 3) | (x & 7);
        }
        acc.countBinIndices(n);
    }

    @Override
    public void run(
            byte[] in,
            int inOff,
            int inStride,
            int outW,
            int outH,
            float[] out,
            int outOff,
            int outStride,
            Accumulator acc) {
        int[][] ring = acc.rows;
        int rowLen = outW + 2;
        widen(in, inOff, ring[0], rowLen);
        widen(in, inOff + inStride, ring[1], rowLen);
        for (int y = 0; y < outH; y++) {
            int[] r2 = ring[(y + 2) % 3];
            widen(in, inOff + (y + 2) * inStride, r2, rowLen);
            int o = outOff + y * outStride;
            // One method per stage, and no vector value lives across these calls: C2 does not
            // inline them all into one, and vectors live across a call measured ~300 ns per row
            // (a third of the whole row's time).
            int x = row(ring[y % 3], ring[(y + 1) % 3], r2, out, o, outW, acc);
            histogram(out, o, x, acc);
            if (x < outW) {
                ScalarFusedEngine.segment(in, inOff + y * inStride, inStride, x, outW, out, o, acc);
            }
        }
    }

    /**
     * Magnitudes of output columns {@code [0, x)} of one row from the widened input rows, with
     * every statistic but the histogram added to {@code acc}; returns {@code x}, the first column
     * left to the scalar tail.
     */
    private static int row(
            int[] r0, int[] r1, int[] r2, float[] out, int o, int outW, Accumulator acc) {
        IntVector edgeSq = IntVector.broadcast(IS, acc.edgeSq);
        IntVector one = IntVector.broadcast(IS, 1);
        IntVector mn = IntVector.broadcast(IS, Integer.MAX_VALUE);
        IntVector mx = IntVector.broadcast(IS, Integer.MIN_VALUE);
        IntVector edges = IntVector.zero(IS);
        FloatVector fsum = FloatVector.zero(FS);
        IntVector ssum = IntVector.zero(IS);
        double sum = 0;
        long sumSq = 0;
        int n = 0;
        int x = 0;
        int bound = outW - L;
        for (; x <= bound; x += L) {
            IntVector a0 = IntVector.fromArray(IS, r0, x);
            IntVector a1 = IntVector.fromArray(IS, r0, x + 1);
            IntVector a2 = IntVector.fromArray(IS, r0, x + 2);
            IntVector m0 = IntVector.fromArray(IS, r1, x);
            IntVector m2 = IntVector.fromArray(IS, r1, x + 2);
            IntVector c0 = IntVector.fromArray(IS, r2, x);
            IntVector c1 = IntVector.fromArray(IS, r2, x + 1);
            IntVector c2 = IntVector.fromArray(IS, r2, x + 2);
            IntVector dm = m0.sub(m2);
            IntVector gx = a0.sub(a2).add(c0.sub(c2)).add(dm.add(dm));
            IntVector d1 = a1.sub(c1);
            IntVector gy = a0.sub(c0).add(a2.sub(c2)).add(d1.add(d1));
            IntVector s = gx.mul(gx).add(gy.mul(gy));
            mn = mn.min(s);
            mx = mx.max(s);
            edges = edges.add(one, s.compare(VectorOperators.GE, edgeSq));
            ssum = ssum.add(s);
            FloatVector mag = ((FloatVector) s.convert(VectorOperators.I2F, 0)).sqrt();
            mag.intoArray(out, o + x);
            fsum = fsum.add(mag);
            if (++n == FLUSH) {
                // Float lane sums of <= 64 magnitudes each keep ~1e-6 relative accuracy;
                // int lane sums of <= 64 squares (< 2^21 each) cannot overflow.
                sum += fsum.reduceLanes(VectorOperators.ADD);
                sumSq += ssum.reduceLanes(VectorOperators.ADD);
                fsum = FloatVector.zero(FS);
                ssum = IntVector.zero(IS);
                n = 0;
            }
        }
        acc.sum += sum + fsum.reduceLanes(VectorOperators.ADD);
        acc.sumSq += sumSq + ssum.reduceLanes(VectorOperators.ADD);
        acc.minSq = Math.min(acc.minSq, mn.reduceLanes(VectorOperators.MIN));
        acc.maxSq = Math.max(acc.maxSq, mx.reduceLanes(VectorOperators.MAX));
        acc.edges += edges.reduceLanes(VectorOperators.ADD);
        return x;
    }

    /**
     * One input row as ints. Widening each row once (a loop the JIT vectorises itself) is cheaper
     * than widening bytes in every one of the eight loads per output vector, and JDK 17 does not
     * compile byte-to-int vector conversions well.
     */
    private static void widen(byte[] in, int p, int[] dst, int n) {
        for (int i = 0; i < n; i++) {
            dst[i] = in[p + i] & 0xFF;
        }
    }
}
