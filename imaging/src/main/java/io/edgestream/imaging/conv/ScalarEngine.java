package io.edgestream.imaging.conv;

import io.edgestream.imaging.kernel.Kernel;

/**
 * Plain-Java implementation of {@link ConvEngine}: the fallback when the Vector API is absent or
 * disabled, and the code the vector engine's tails share so both are bit-identical.
 */
final class ScalarEngine implements ConvEngine {
    static final ScalarEngine INSTANCE = new ScalarEngine();

    private ScalarEngine() {}

    @Override
    public String name() {
        return "scalar";
    }

    /** One output pixel whose window starts at {@code base}, by the contract's operations. */
    static float pixel(
            float[] in, int base, int rowStride, int tapStep, float[] w, int kr, int kw) {
        float acc = 0f;
        int t = 0;
        for (int r = 0; r < kr; r++) {
            int p = base + r * rowStride;
            for (int j = 0; j < kw; j++, t++) {
                acc = Math.fma(in[p + j * tapStep], w[t], acc);
            }
        }
        return acc;
    }

    /** Pixels {@code [fromX, out.width())} of output row {@code oy}. */
    static void rowTail(ConvInput in, Kernel k, ConvOutput out, int oy, int fromX) {
        float[] src = in.data();
        int rowBase = in.windowRow(oy);
        int rowStride = in.rowStride();
        int pixelStep = in.pixelStep();
        int tapStep = in.tapStep();
        float[] w = k.weightsUnsafe();
        int kr = k.rows();
        int kw = ConvEngine.tapsPerRow(k);
        float[] dst = out.data();
        int outRow = out.row(oy);
        int outStep = out.pixelStep();
        int outW = out.width();
        if (kr == 3 && kw == 3 && tapStep == 1) {
            // Same operations as the generic loop, unrolled (the hot kernel size).
            float w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4];
            float w5 = w[5], w6 = w[6], w7 = w[7], w8 = w[8];
            for (int ox = fromX; ox < outW; ox++) {
                int p0 = rowBase + ox * pixelStep;
                int p1 = p0 + rowStride;
                int p2 = p1 + rowStride;
                float acc = Math.fma(src[p0], w0, 0f);
                acc = Math.fma(src[p0 + 1], w1, acc);
                acc = Math.fma(src[p0 + 2], w2, acc);
                acc = Math.fma(src[p1], w3, acc);
                acc = Math.fma(src[p1 + 1], w4, acc);
                acc = Math.fma(src[p1 + 2], w5, acc);
                acc = Math.fma(src[p2], w6, acc);
                acc = Math.fma(src[p2 + 1], w7, acc);
                acc = Math.fma(src[p2 + 2], w8, acc);
                dst[outRow + ox * outStep] = acc;
            }
            return;
        }
        for (int ox = fromX; ox < outW; ox++) {
            dst[outRow + ox * outStep] =
                    pixel(src, rowBase + ox * pixelStep, rowStride, tapStep, w, kr, kw);
        }
    }

    @Override
    public float integerMaxAbs(float[] a, int from, int n) {
        return integerMaxAbs(a, from, n, 0f, 0f);
    }

    /**
     * {@link #integerMaxAbs} continuing from a running maximum {@code max} and a running largest
     * {@code |fraction|} {@code frac} (the vector engine's tail).
     */
    static float integerMaxAbs(float[] a, int from, int n, float max, float frac) {
        for (int i = from; i < from + n; i++) {
            float x = a[i];
            // Math.max keeps a NaN, so a NaN sample or fraction ends up failing the test below.
            frac = Math.max(frac, Math.abs((x + INTEGER_MAGIC) - INTEGER_MAGIC - x));
            max = Math.max(max, Math.abs(x));
        }
        return frac == 0f && max < INTEGER_LIMIT ? max : -1f;
    }

    @Override
    public void widenU8(byte[] in, int a, float[] out, int o, int n) {
        for (int i = 0; i < n; i++) {
            out[o + i] = in[a + i] & 0xff;
        }
    }

    @Override
    public int narrowInt16LE(float[] in, int a, byte[] out, int o, int n) {
        for (int i = 0; i < n; i++) {
            float v = in[a + i];
            short s = (short) v;
            // (short) wraps beyond int16 and truncates fractions (NaN gives 0): both differ.
            if (s != v) {
                return i;
            }
            out[o + 2 * i] = (byte) s;
            out[o + 2 * i + 1] = (byte) (s >>> 8);
        }
        return -1;
    }

    @Override
    public void magnitude(float[] gx, int a, float[] gy, int b, float[] out, int o, int n) {
        for (int i = 0; i < n; i++) {
            out[o + i] = Gradient.magnitude(gx[a + i], gy[b + i]);
        }
    }

    @Override
    public void conv(ConvInput in, Kernel kernel, ConvOutput out) {
        for (int oy = 0; oy < out.height(); oy++) {
            rowTail(in, kernel, out, oy, 0);
        }
    }

    @Override
    public void convBank(ConvInput in, Kernel[] kernels, ConvOutput[] outs) {
        // Row-blocked: the kernel rows of input behind one output row stay in cache for all
        // kernels.
        int outH = outs[0].height();
        for (int oy = 0; oy < outH; oy++) {
            for (int k = 0; k < kernels.length; k++) {
                rowTail(in, kernels[k], outs[k], oy, 0);
            }
        }
    }
}
