package io.edgestream.imaging.conv;

/**
 * The inner loop of every convolution, behind an interface so that the Vector API implementation is
 * only loaded when the {@code jdk.incubator.vector} module is present.
 *
 * <p>Geometry (all in array elements): the tap {@code (r, j)} of the output pixel {@code (ox, oy)}
 * reads {@code in[inOff + (oy * sy + r) * inStride + ox * sx + j * dx]} and has weight {@code w[r *
 * kw + j]}; the output goes to {@code out[outOff + oy * outStride + ox * outStep]}. A colour volume
 * of depth C is the special case {@code kw = cols * C, dx = 1, sx = stride * C}; one channel {@code
 * ch} of a C-channel image is {@code inOff + ch, dx = C, sx = stride * C}.
 *
 * <p>Arithmetic contract, shared by every implementation and every position (vector lanes, scalar
 * tails, first/last columns): {@code acc = +0f; for r, for j: acc = Math.fma(x(r, j), w(r, j),
 * acc)}, taps in row-major order, zero weights included. Implementations are therefore
 * bit-identical to each other and independent of where a pixel falls in a window.
 */
interface ConvEngine {

    /** "vector-256", "vector-128", ... or "scalar". */
    String name();

    void conv(
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
            int outH);

    /**
     * Several kernels of the same geometry over the same input; output {@code k} is compact rows at
     * {@code outs[k]} from {@code outOffs[k]} with {@code outStrides[k]}, step 1.
     */
    void convBank(
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
            int outH);
}
