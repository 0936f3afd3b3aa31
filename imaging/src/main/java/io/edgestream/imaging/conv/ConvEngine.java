package io.edgestream.imaging.conv;

import io.edgestream.imaging.kernel.Kernel;

/**
 * The inner loop of every convolution, behind an interface so that the Vector API implementation is
 * only loaded when the {@code jdk.incubator.vector} module is present.
 *
 * <p>Geometry: {@link ConvInput} says where the taps of each output pixel read, {@link ConvOutput}
 * where the result goes. A kernel row has {@link #tapsPerRow} taps, tap {@code (r, j)} weighing
 * {@code weights[r * tapsPerRow + j]}: a colour volume of depth C is a kernel of depth C over a
 * {@link ConvInput#volume} (tap step 1, the channels of a pixel are consecutive taps); one channel
 * of a C-channel image is a depth-1 kernel over a {@link ConvInput#channel} (tap step C).
 *
 * <p>Arithmetic contract, shared by every implementation and every position (vector lanes, scalar
 * tails, first/last columns): {@code acc = +0f; for r, for j: acc = Math.fma(x(r, j), w(r, j),
 * acc)}, taps in row-major order, zero weights included. Implementations are therefore
 * bit-identical to each other and independent of where a pixel falls in a window.
 */
interface ConvEngine {

    /** "vector-256", "vector-128", ... or "scalar". */
    String name();

    /** Convolves {@code in} with {@code kernel} into every pixel of {@code out}. */
    void conv(ConvInput in, Kernel kernel, ConvOutput out);

    /**
     * Several kernels of the same size over the same input; kernel {@code k} writes {@code
     * outs[k]}, all of one width and height and with pixel step 1.
     */
    void convBank(ConvInput in, Kernel[] kernels, ConvOutput[] outs);

    /** Below this magnitude {@code (x + INTEGER_MAGIC) - INTEGER_MAGIC} rounds x to an integer. */
    float INTEGER_LIMIT = 0x1p22f;

    /** 1.5 * 2^23: adding it leaves no fraction bits to a float of magnitude below 2^22. */
    float INTEGER_MAGIC = 0x1.8p23f;

    /**
     * The largest {@code |a[i]|} for {@code i} in {@code [from, from + n)} if every one is an
     * integer of magnitude below {@link #INTEGER_LIMIT}, else -1 (NaN and infinity included). Per
     * value: {@code (x + INTEGER_MAGIC) - INTEGER_MAGIC - x} is 0 exactly for such integers, and
     * non-zero or NaN for every other float below the limit.
     */
    float integerMaxAbs(float[] a, int from, int n);

    /**
     * {@code out[o + i] = Gradient.magnitude(gx[a + i], gy[b + i])} for {@code i} in {@code [0,
     * n)}: {@code sqrt(fma(gx, gx, gy * gy))} in float, each operation correctly rounded, so lanes
     * give the same bits (a float square root equals the double one rounded to float).
     */
    void magnitude(float[] gx, int a, float[] gy, int b, float[] out, int o, int n);

    /**
     * {@code out[o + i] = in[a + i] & 0xff} for {@code i} in {@code [0, n)}: unsigned bytes widened
     * to float (exact: every value 0..255 is a float).
     */
    void widenU8(byte[] in, int a, float[] out, int o, int n);

    /**
     * Narrows {@code in[a, a + n)} to int16 written little-endian to {@code out} from {@code o} on
     * (two bytes per sample) while every sample is an integer in [-32768, 32767], i.e. equals
     * {@code (float) (short) x}; returns -1 when all are, else the index (relative to {@code a}) of
     * the first that is not, with the samples before it written and nothing after it.
     */
    int narrowInt16LE(float[] in, int a, byte[] out, int o, int n);

    /** Taps in one kernel row: the kernel's columns times its depth (channel innermost). */
    static int tapsPerRow(Kernel k) {
        return k.cols() * k.depth();
    }
}
