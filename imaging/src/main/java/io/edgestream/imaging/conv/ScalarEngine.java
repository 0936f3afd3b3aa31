package io.edgestream.imaging.conv;

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

    /** One output pixel, by the contract's exact sequence of operations. */
    static float pixel(float[] in, int base, int inStride, int dx, float[] w, int kr, int kw) {
        float acc = 0f;
        int t = 0;
        for (int r = 0; r < kr; r++) {
            int p = base + r * inStride;
            for (int j = 0; j < kw; j++, t++) {
                acc = Math.fma(in[p + j * dx], w[t], acc);
            }
        }
        return acc;
    }

    /** Pixels {@code [ox0, outW)} of one output row. */
    static void rowTail(
            float[] in,
            int rowBase,
            int inStride,
            int sx,
            int dx,
            float[] w,
            int kr,
            int kw,
            float[] out,
            int outRow,
            int outStep,
            int ox0,
            int outW) {
        if (kr == 3 && kw == 3 && dx == 1) {
            // Same operations as the generic loop, unrolled (the hot kernel size).
            float w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4];
            float w5 = w[5], w6 = w[6], w7 = w[7], w8 = w[8];
            for (int ox = ox0; ox < outW; ox++) {
                int p0 = rowBase + ox * sx;
                int p1 = p0 + inStride;
                int p2 = p1 + inStride;
                float acc = Math.fma(in[p0], w0, 0f);
                acc = Math.fma(in[p0 + 1], w1, acc);
                acc = Math.fma(in[p0 + 2], w2, acc);
                acc = Math.fma(in[p1], w3, acc);
                acc = Math.fma(in[p1 + 1], w4, acc);
                acc = Math.fma(in[p1 + 2], w5, acc);
                acc = Math.fma(in[p2], w6, acc);
                acc = Math.fma(in[p2 + 1], w7, acc);
                acc = Math.fma(in[p2 + 2], w8, acc);
                out[outRow + ox * outStep] = acc;
            }
            return;
        }
        for (int ox = ox0; ox < outW; ox++) {
            out[outRow + ox * outStep] = pixel(in, rowBase + ox * sx, inStride, dx, w, kr, kw);
        }
    }

    @Override
    public void conv(
            float[] in,
            int inOff,
            int inStride,
            int sx,
            int sy,
            int dx,
            float[] w,
            int kr,
            int kw,
            float[] out,
            int outOff,
            int outStride,
            int outStep,
            int outW,
            int outH) {
        for (int oy = 0; oy < outH; oy++) {
            rowTail(
                    in,
                    inOff + oy * sy * inStride,
                    inStride,
                    sx,
                    dx,
                    w,
                    kr,
                    kw,
                    out,
                    outOff + oy * outStride,
                    outStep,
                    0,
                    outW);
        }
    }

    @Override
    public void convBank(
            float[] in,
            int inOff,
            int inStride,
            int sx,
            int sy,
            int dx,
            float[][] ws,
            int kr,
            int kw,
            float[][] outs,
            int[] outOffs,
            int[] outStrides,
            int outW,
            int outH) {
        // Row-blocked: the kr input rows of one output row stay in cache for all kernels.
        for (int oy = 0; oy < outH; oy++) {
            int rowBase = inOff + oy * sy * inStride;
            for (int k = 0; k < ws.length; k++) {
                rowTail(
                        in,
                        rowBase,
                        inStride,
                        sx,
                        dx,
                        ws[k],
                        kr,
                        kw,
                        outs[k],
                        outOffs[k] + oy * outStrides[k],
                        1,
                        0,
                        outW);
            }
        }
    }
}
