package io.edgestream.imaging.conv;

import io.edgestream.imaging.kernel.Kernel;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ConvEngine} on the incubating Vector API: lanes run along an output row, each lane does
 * exactly the scalar sequence of {@code fma}s, and row tails go through {@link ScalarEngine}'s
 * code, so results are bit-identical to the scalar engine. Only loaded (reflectively, by {@link
 * Convolution}) when {@code jdk.incubator.vector} is in the boot layer.
 */
final class VectorEngine implements ConvEngine {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** As many byte lanes as {@link #S} has float lanes (a quarter of its width). */
    private static final VectorSpecies<Byte> BS =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, L * Byte.SIZE)));

    /** As many int lanes as {@link #S} has float lanes. */
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;

    /** As many short lanes as {@link #S} has float lanes (half its width). */
    private static final VectorSpecies<Short> SS =
            VectorSpecies.of(short.class, VectorShape.forBitSize(Math.max(64, L * Short.SIZE)));

    /**
     * Whether {@link #narrowInt16LE} may store a short vector's bytes as they are: its lanes' bytes
     * come out in the platform's order, which must be little-endian.
     */
    private static final boolean LITTLE_ENDIAN =
            ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN && SS.length() == L;

    VectorEngine() {
        // Touch the species now so a broken Vector API fails at selection time, not mid-job.
        FloatVector.zero(S).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize();
    }

    @Override
    public void conv(ConvInput in, Kernel kernel, ConvOutput out) {
        int kr = kernel.rows();
        int kw = ConvEngine.tapsPerRow(kernel);
        if (in.isDense() && kr == 3 && kw == 3 && out.pixelStep() == 1) {
            conv3x3(in, kernel, out);
            return;
        }
        float[] src = in.data();
        float[] w = kernel.weightsUnsafe();
        Taps taps = new Taps(in.pixelStep(), in.tapStep(), kr, kw, out.width(), out.pixelStep());
        for (int oy = 0; oy < out.height(); oy++) {
            taps.load(src, in.windowRow(oy), in.rowStride());
            taps.row(src, w, out.data(), out.row(oy));
            ScalarEngine.rowTail(in, kernel, out, oy, taps.nVec);
        }
    }

    /**
     * The hot case: 3x3, one channel, stride 1, contiguous output. Two output rows per pass, so the
     * two middle input rows are loaded once for both (12 loads per 2 output vectors instead of 18;
     * measured +40% on Zen 4 at 1000x1000). A row whose width is not a multiple of the lane count
     * ends with one vector overlapping the previous one (it recomputes a few pixels with the same
     * operations, hence the same bits) instead of a scalar tail. Rows narrower than a vector go to
     * the scalar code.
     */
    private static void conv3x3(ConvInput input, Kernel kernel, ConvOutput output) {
        int outW = output.width();
        int outH = output.height();
        if (outW < L) {
            for (int oy = 0; oy < outH; oy++) {
                ScalarEngine.rowTail(input, kernel, output, oy, 0);
            }
            return;
        }
        float[] in = input.data();
        int inOff = input.offset();
        int inStride = input.rowStride();
        float[] w = kernel.weightsUnsafe();
        float[] out = output.data();
        int outOff = output.offset();
        int outStride = output.rowStride();
        int nVec = outW - outW % L;
        int last = outW - L;
        int oy = 0;
        for (; oy + 1 < outH; oy += 2) {
            int p = inOff + oy * inStride;
            int o0 = outOff + oy * outStride;
            int o1 = o0 + outStride;
            twoRows3x3(in, p, inStride, w, out, o0, o1, nVec);
            if (nVec < outW) {
                twoRows3x3(in, p + last, inStride, w, out, o0 + last, o1 + last, L);
            }
        }
        if (oy < outH) {
            oneRow3x3(in, inOff + oy * inStride, inStride, w, out, outOff + oy * outStride, outW);
        }
    }

    /**
     * Columns {@code [0, n)} ({@code n} a multiple of L) of two output rows whose windows start at
     * {@code p0} and {@code p0 + inStride}.
     */
    private static void twoRows3x3(
            float[] in, int p0, int inStride, float[] w, float[] out, int o0, int o1, int n) {
        FloatVector z = FloatVector.zero(S);
        FloatVector w0 = FloatVector.broadcast(S, w[0]);
        FloatVector w1 = FloatVector.broadcast(S, w[1]);
        FloatVector w2 = FloatVector.broadcast(S, w[2]);
        FloatVector w3 = FloatVector.broadcast(S, w[3]);
        FloatVector w4 = FloatVector.broadcast(S, w[4]);
        FloatVector w5 = FloatVector.broadcast(S, w[5]);
        FloatVector w6 = FloatVector.broadcast(S, w[6]);
        FloatVector w7 = FloatVector.broadcast(S, w[7]);
        FloatVector w8 = FloatVector.broadcast(S, w[8]);
        int p1 = p0 + inStride;
        int p2 = p1 + inStride;
        int p3 = p2 + inStride;
        for (int ox = 0; ox < n; ox += L) {
            // Each lane: acc = +0, then fma over the taps in row-major order (the contract).
            FloatVector x0 = FloatVector.fromArray(S, in, p0 + ox);
            FloatVector x1 = FloatVector.fromArray(S, in, p0 + ox + 1);
            FloatVector x2 = FloatVector.fromArray(S, in, p0 + ox + 2);
            FloatVector a = x0.fma(w0, z);
            a = x1.fma(w1, a);
            a = x2.fma(w2, a);
            x0 = FloatVector.fromArray(S, in, p1 + ox);
            x1 = FloatVector.fromArray(S, in, p1 + ox + 1);
            x2 = FloatVector.fromArray(S, in, p1 + ox + 2);
            a = x0.fma(w3, a);
            a = x1.fma(w4, a);
            a = x2.fma(w5, a);
            FloatVector c = x0.fma(w0, z);
            c = x1.fma(w1, c);
            c = x2.fma(w2, c);
            x0 = FloatVector.fromArray(S, in, p2 + ox);
            x1 = FloatVector.fromArray(S, in, p2 + ox + 1);
            x2 = FloatVector.fromArray(S, in, p2 + ox + 2);
            a = x0.fma(w6, a);
            a = x1.fma(w7, a);
            a = x2.fma(w8, a);
            c = x0.fma(w3, c);
            c = x1.fma(w4, c);
            c = x2.fma(w5, c);
            a.intoArray(out, o0 + ox);
            x0 = FloatVector.fromArray(S, in, p3 + ox);
            x1 = FloatVector.fromArray(S, in, p3 + ox + 1);
            x2 = FloatVector.fromArray(S, in, p3 + ox + 2);
            c = x0.fma(w6, c);
            c = x1.fma(w7, c);
            c = x2.fma(w8, c);
            c.intoArray(out, o1 + ox);
        }
    }

    /** One output row of {@code outW >= L} pixels; window rows from {@code p0}. */
    private static void oneRow3x3(
            float[] in, int p0, int inStride, float[] w, float[] out, int o0, int outW) {
        int[] b = {p0, p0 + 1, p0 + 2, 0, 0, 0, 0, 0, 0};
        for (int t = 3; t < 9; t++) {
            b[t] = b[t - 3] + inStride;
        }
        int nVec = outW - outW % L;
        nine(in, b, w, out, o0, nVec);
        if (nVec < outW) {
            // Overlapping final vector: same operations per pixel, same bits.
            int last = outW - L;
            for (int t = 0; t < 9; t++) {
                b[t] += last;
            }
            nine(in, b, w, out, o0 + last, L);
        }
    }

    /**
     * The general case, any size, stride and channel layout. Taps are applied one at a time to a
     * whole row of accumulators ({@code acc = fma(x, w, acc)} per tap, stored as float in between,
     * which is exact), so no vector value lives across loops. Strided or interleaved input is first
     * split, row by row, into phase planes ({@code plane[m][i] = row[i * pixelStep + m]}) so that
     * every tap reads contiguous memory: tap {@code j} at output {@code ox} reads element {@code ox
     * * pixelStep + j * tapStep}, which is {@code plane[(j * tapStep) % pixelStep][ox + (j *
     * tapStep) / pixelStep]}.
     */
    private static final class Taps {
        final int pixelStep;
        final int kr;
        final int kw;
        final int nVec; // output columns [0, nVec) are done with vectors, the rest by rowTail
        final int outStep;
        final boolean direct; // pixelStep == 1 && tapStep == 1: the input rows are the planes
        final int[] phase;
        final int[] pos;
        final int[] planeLen; // per phase, 0 when no tap uses it
        final int planeStride;
        final float[] planes; // kr * pixelStep planes of planeStride floats
        final float[] acc; // accumulators when the output is not contiguous
        final int[] base; // per tap: where output column 0 reads in src
        int rowBase;
        int inStride;

        Taps(int pixelStep, int tapStep, int kr, int kw, int outW, int outStep) {
            this.pixelStep = pixelStep;
            this.kr = kr;
            this.kw = kw;
            this.outStep = outStep;
            this.nVec = outW - outW % L;
            this.direct = pixelStep == 1 && tapStep == 1;
            phase = new int[kw];
            pos = new int[kw];
            planeLen = new int[pixelStep];
            int longest = 0;
            for (int j = 0; j < kw; j++) {
                int q = j * tapStep;
                phase[j] = q % pixelStep;
                pos[j] = q / pixelStep;
                planeLen[phase[j]] = Math.max(planeLen[phase[j]], nVec + pos[j]);
                longest = Math.max(longest, planeLen[phase[j]]);
            }
            planeStride = longest;
            planes = direct || nVec == 0 ? null : new float[kr * pixelStep * planeStride];
            acc = outStep == 1 || nVec == 0 ? null : new float[nVec];
            base = new int[kr * kw];
        }

        /** Splits the kr input rows of one output row into phase planes (if needed). */
        void load(float[] in, int rowBase, int inStride) {
            this.rowBase = rowBase;
            this.inStride = inStride;
            if (direct || nVec == 0) {
                return;
            }
            for (int r = 0; r < kr; r++) {
                int src = rowBase + r * inStride;
                for (int m = 0; m < pixelStep; m++) {
                    int len = planeLen[m];
                    int dst = (r * pixelStep + m) * planeStride;
                    for (int i = 0, p = src + m; i < len; i++, p += pixelStep) {
                        planes[dst + i] = in[p];
                    }
                }
            }
        }

        /** Output columns [0, nVec) of one row with kernel weights {@code w}. */
        void row(float[] in, float[] w, float[] out, int outRow) {
            if (nVec == 0) {
                return;
            }
            float[] dst = acc == null ? out : acc;
            int d = acc == null ? outRow : 0;
            float[] src = direct ? in : planes;
            int t = 0;
            for (int r = 0; r < kr; r++) {
                for (int j = 0; j < kw; j++, t++) {
                    base[t] =
                            direct
                                    ? rowBase + r * inStride + j
                                    : (r * pixelStep + phase[j]) * planeStride + pos[j];
                }
            }
            int taps = kr * kw;
            if (taps == 9) {
                nine(src, base, w, dst, d, nVec);
            } else {
                // Groups of up to four taps in registers; accumulators go through dst between
                // (starting from +0, as the contract says).
                java.util.Arrays.fill(dst, d, d + nVec, 0f);
                for (t = 0; t < taps; t += 4) {
                    group(src, base, w, t, Math.min(4, taps - t), dst, d, nVec);
                }
            }
            if (acc != null) {
                for (int ox = 0; ox < nVec; ox++) {
                    out[outRow + ox * outStep] = acc[ox];
                }
            }
        }
    }

    /** Nine taps (3x3, 1x9, 9x1) entirely in registers: the hot path. */
    private static void nine(float[] src, int[] b, float[] w, float[] dst, int d, int nVec) {
        FloatVector z = FloatVector.zero(S);
        FloatVector w0 = FloatVector.broadcast(S, w[0]);
        FloatVector w1 = FloatVector.broadcast(S, w[1]);
        FloatVector w2 = FloatVector.broadcast(S, w[2]);
        FloatVector w3 = FloatVector.broadcast(S, w[3]);
        FloatVector w4 = FloatVector.broadcast(S, w[4]);
        FloatVector w5 = FloatVector.broadcast(S, w[5]);
        FloatVector w6 = FloatVector.broadcast(S, w[6]);
        FloatVector w7 = FloatVector.broadcast(S, w[7]);
        FloatVector w8 = FloatVector.broadcast(S, w[8]);
        int b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3], b4 = b[4];
        int b5 = b[5], b6 = b[6], b7 = b[7], b8 = b[8];
        for (int ox = 0; ox < nVec; ox += L) {
            FloatVector a = FloatVector.fromArray(S, src, b0 + ox).fma(w0, z);
            a = FloatVector.fromArray(S, src, b1 + ox).fma(w1, a);
            a = FloatVector.fromArray(S, src, b2 + ox).fma(w2, a);
            a = FloatVector.fromArray(S, src, b3 + ox).fma(w3, a);
            a = FloatVector.fromArray(S, src, b4 + ox).fma(w4, a);
            a = FloatVector.fromArray(S, src, b5 + ox).fma(w5, a);
            a = FloatVector.fromArray(S, src, b6 + ox).fma(w6, a);
            a = FloatVector.fromArray(S, src, b7 + ox).fma(w7, a);
            a = FloatVector.fromArray(S, src, b8 + ox).fma(w8, a);
            a.intoArray(dst, d + ox);
        }
    }

    /**
     * Taps {@code [t, t + count)} (count 1..4) over a row, accumulating into {@code dst} (exact:
     * the running sum is a float either way). A single loop-invariant path per count, so no vector
     * value is merged from two sources (which would defeat C2's box elimination).
     */
    private static void group(
            float[] src, int[] b, float[] w, int t, int count, float[] dst, int d, int nVec) {
        FloatVector w0 = FloatVector.broadcast(S, w[t]);
        int b0 = b[t];
        switch (count) {
            case 1:
                for (int ox = 0; ox < nVec; ox += L) {
                    FloatVector a = FloatVector.fromArray(S, dst, d + ox);
                    FloatVector.fromArray(S, src, b0 + ox).fma(w0, a).intoArray(dst, d + ox);
                }
                return;
            case 2:
                {
                    FloatVector w1 = FloatVector.broadcast(S, w[t + 1]);
                    int b1 = b[t + 1];
                    for (int ox = 0; ox < nVec; ox += L) {
                        FloatVector a = FloatVector.fromArray(S, dst, d + ox);
                        a = FloatVector.fromArray(S, src, b0 + ox).fma(w0, a);
                        a = FloatVector.fromArray(S, src, b1 + ox).fma(w1, a);
                        a.intoArray(dst, d + ox);
                    }
                    return;
                }
            case 3:
                {
                    FloatVector w1 = FloatVector.broadcast(S, w[t + 1]);
                    FloatVector w2 = FloatVector.broadcast(S, w[t + 2]);
                    int b1 = b[t + 1];
                    int b2 = b[t + 2];
                    for (int ox = 0; ox < nVec; ox += L) {
                        FloatVector a = FloatVector.fromArray(S, dst, d + ox);
                        a = FloatVector.fromArray(S, src, b0 + ox).fma(w0, a);
                        a = FloatVector.fromArray(S, src, b1 + ox).fma(w1, a);
                        a = FloatVector.fromArray(S, src, b2 + ox).fma(w2, a);
                        a.intoArray(dst, d + ox);
                    }
                    return;
                }
            default:
                {
                    FloatVector w1 = FloatVector.broadcast(S, w[t + 1]);
                    FloatVector w2 = FloatVector.broadcast(S, w[t + 2]);
                    FloatVector w3 = FloatVector.broadcast(S, w[t + 3]);
                    int b1 = b[t + 1];
                    int b2 = b[t + 2];
                    int b3 = b[t + 3];
                    for (int ox = 0; ox < nVec; ox += L) {
                        FloatVector a = FloatVector.fromArray(S, dst, d + ox);
                        a = FloatVector.fromArray(S, src, b0 + ox).fma(w0, a);
                        a = FloatVector.fromArray(S, src, b1 + ox).fma(w1, a);
                        a = FloatVector.fromArray(S, src, b2 + ox).fma(w2, a);
                        a = FloatVector.fromArray(S, src, b3 + ox).fma(w3, a);
                        a.intoArray(dst, d + ox);
                    }
                }
        }
    }

    @Override
    public float integerMaxAbs(float[] a, int from, int n) {
        FloatVector magic = FloatVector.broadcast(S, INTEGER_MAGIC);
        FloatVector max = FloatVector.zero(S);
        FloatVector frac = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - L; i += L) {
            // The scalar engine's operations per lane (lanewise MAX keeps NaN like Math.max).
            FloatVector x = FloatVector.fromArray(S, a, from + i);
            frac = frac.max(x.add(magic).sub(magic).sub(x).abs());
            max = max.max(x.abs());
        }
        return ScalarEngine.integerMaxAbs(
                a,
                from + i,
                n - i,
                max.reduceLanes(VectorOperators.MAX),
                frac.reduceLanes(VectorOperators.MAX));
    }

    @Override
    public void widenU8(byte[] in, int a, float[] out, int o, int n) {
        int i = 0;
        if (BS.length() == L && IS.length() == L) {
            for (; i <= n - L; i += L) {
                // Sign-extended to int, the sign bits masked off, then converted: exact.
                IntVector v =
                        (IntVector)
                                ByteVector.fromArray(BS, in, a + i)
                                        .convertShape(VectorOperators.B2I, IS, 0);
                ((FloatVector) v.and(0xff).convert(VectorOperators.I2F, 0)).intoArray(out, o + i);
            }
        }
        ScalarEngine.INSTANCE.widenU8(in, a + i, out, o + i, n - i);
    }

    @Override
    public int narrowInt16LE(float[] in, int a, byte[] out, int o, int n) {
        int i = 0;
        if (LITTLE_ENDIAN) {
            for (; i <= n - L; i += L) {
                FloatVector x = FloatVector.fromArray(S, in, a + i);
                // Java's (short) x per lane; back to float, it equals x only for the integers
                // in range (a fraction, an out-of-range value or NaN compares unequal).
                ShortVector s = (ShortVector) x.convertShape(VectorOperators.F2S, SS, 0);
                FloatVector back = (FloatVector) s.convertShape(VectorOperators.S2F, S, 0);
                if (back.compare(VectorOperators.NE, x).anyTrue()) {
                    break; // the scalar code below finds the sample and writes the ones before it
                }
                s.reinterpretAsBytes().intoArray(out, o + 2 * i);
            }
        }
        int bad = ScalarEngine.INSTANCE.narrowInt16LE(in, a + i, out, o + 2 * i, n - i);
        return bad < 0 ? -1 : i + bad;
    }

    @Override
    public void magnitude(float[] gx, int a, float[] gy, int b, float[] out, int o, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector x = FloatVector.fromArray(S, gx, a + i);
            FloatVector y = FloatVector.fromArray(S, gy, b + i);
            // Gradient.magnitude's operations: fma(x, x, y * y), then the square root.
            x.fma(x, y.mul(y)).sqrt().intoArray(out, o + i);
        }
        ScalarEngine.INSTANCE.magnitude(gx, a + i, gy, b + i, out, o + i, n - i);
    }

    @Override
    public void convBank(ConvInput in, Kernel[] kernels, ConvOutput[] outs) {
        int n = kernels.length;
        float[][] ws = new float[n][];
        float[][] od = new float[n][];
        int[] outOffs = new int[n];
        int[] outStrides = new int[n];
        for (int k = 0; k < n; k++) {
            ws[k] = kernels[k].weightsUnsafe();
            od[k] = outs[k].data();
            outOffs[k] = outs[k].offset();
            outStrides[k] = outs[k].rowStride();
        }
        int kr = kernels[0].rows();
        int kw = ConvEngine.tapsPerRow(kernels[0]);
        int outW = outs[0].width();
        int outH = outs[0].height();
        if (in.isDense() && kr == 3 && kw == 3 && outW >= L) {
            bank3x3(
                    in.data(),
                    in.offset(),
                    in.rowStride(),
                    ws,
                    od,
                    outOffs,
                    outStrides,
                    outW,
                    outH);
            return;
        }
        Taps taps = new Taps(in.pixelStep(), in.tapStep(), kr, kw, outW, 1);
        for (int oy = 0; oy < outH; oy++) {
            // Row-blocked: the kr input rows of this output row stay in cache across kernels.
            taps.load(in.data(), in.windowRow(oy), in.rowStride());
            for (int k = 0; k < n; k++) {
                taps.row(in.data(), ws[k], od[k], outs[k].row(oy));
                ScalarEngine.rowTail(in, kernels[k], outs[k], oy, taps.nVec);
            }
        }
    }

    /**
     * 3x3 bank, stride 1, rows of at least one vector: two output rows per pass, the twelve input
     * vectors of a column loaded once and used by every kernel for both rows (a bank is FMA-bound
     * on Zen 4 once loads are shared this way). Rows end with an overlapping vector, as in {@link
     * #conv3x3}.
     */
    private static void bank3x3(
            float[] in,
            int inOff,
            int inStride,
            float[][] ws,
            float[][] outs,
            int[] outOffs,
            int[] outStrides,
            int outW,
            int outH) {
        int nVec = outW - outW % L;
        int last = outW - L;
        int oy = 0;
        for (; oy + 1 < outH; oy += 2) {
            int p = inOff + oy * inStride;
            bankTwoRows(in, p, inStride, ws, outs, outOffs, outStrides, oy, 0, nVec);
            if (nVec < outW) {
                bankTwoRows(in, p, inStride, ws, outs, outOffs, outStrides, oy, last, outW);
            }
        }
        if (oy < outH) {
            // The last row of an odd height: the single-kernel row, once per kernel.
            int p = inOff + oy * inStride;
            for (int k = 0; k < ws.length; k++) {
                oneRow3x3(in, p, inStride, ws[k], outs[k], outOffs[k] + oy * outStrides[k], outW);
            }
        }
    }

    /** Columns {@code [from, to)} ({@code to - from} a multiple of L) of rows oy and oy + 1. */
    private static void bankTwoRows(
            float[] in,
            int p0,
            int inStride,
            float[][] ws,
            float[][] outs,
            int[] outOffs,
            int[] outStrides,
            int oy,
            int from,
            int to) {
        FloatVector z = FloatVector.zero(S);
        int p1 = p0 + inStride;
        int p2 = p1 + inStride;
        int p3 = p2 + inStride;
        int n = ws.length;
        for (int ox = from; ox < to; ox += L) {
            FloatVector a0 = FloatVector.fromArray(S, in, p0 + ox);
            FloatVector a1 = FloatVector.fromArray(S, in, p0 + ox + 1);
            FloatVector a2 = FloatVector.fromArray(S, in, p0 + ox + 2);
            FloatVector a3 = FloatVector.fromArray(S, in, p1 + ox);
            FloatVector a4 = FloatVector.fromArray(S, in, p1 + ox + 1);
            FloatVector a5 = FloatVector.fromArray(S, in, p1 + ox + 2);
            FloatVector a6 = FloatVector.fromArray(S, in, p2 + ox);
            FloatVector a7 = FloatVector.fromArray(S, in, p2 + ox + 1);
            FloatVector a8 = FloatVector.fromArray(S, in, p2 + ox + 2);
            FloatVector a9 = FloatVector.fromArray(S, in, p3 + ox);
            FloatVector a10 = FloatVector.fromArray(S, in, p3 + ox + 1);
            FloatVector a11 = FloatVector.fromArray(S, in, p3 + ox + 2);
            for (int k = 0; k < n; k++) {
                float[] w = ws[k];
                // Row oy in acc, row oy + 1 in c; each the contract's fma sequence.
                FloatVector v0 = FloatVector.broadcast(S, w[0]);
                FloatVector v1 = FloatVector.broadcast(S, w[1]);
                FloatVector v2 = FloatVector.broadcast(S, w[2]);
                FloatVector acc = a0.fma(v0, z);
                FloatVector c = a3.fma(v0, z);
                acc = a1.fma(v1, acc);
                c = a4.fma(v1, c);
                acc = a2.fma(v2, acc);
                c = a5.fma(v2, c);
                v0 = FloatVector.broadcast(S, w[3]);
                v1 = FloatVector.broadcast(S, w[4]);
                v2 = FloatVector.broadcast(S, w[5]);
                acc = a3.fma(v0, acc);
                c = a6.fma(v0, c);
                acc = a4.fma(v1, acc);
                c = a7.fma(v1, c);
                acc = a5.fma(v2, acc);
                c = a8.fma(v2, c);
                v0 = FloatVector.broadcast(S, w[6]);
                v1 = FloatVector.broadcast(S, w[7]);
                v2 = FloatVector.broadcast(S, w[8]);
                acc = a6.fma(v0, acc);
                c = a9.fma(v0, c);
                acc = a7.fma(v1, acc);
                c = a10.fma(v1, c);
                acc = a8.fma(v2, acc);
                c = a11.fma(v2, c);
                float[] o = outs[k];
                int row = outOffs[k] + oy * outStrides[k];
                acc.intoArray(o, row + ox);
                c.intoArray(o, row + outStrides[k] + ox);
            }
        }
    }
}
