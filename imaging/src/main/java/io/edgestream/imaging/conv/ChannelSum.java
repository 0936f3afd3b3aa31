package io.edgestream.imaging.conv;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.kernel.Kernel;

/**
 * A colour volume on the single-channel kernels: when every channel of a volume kernel carries the
 * same integer weights (a 2-D kernel repeated over the channels, as {@link ColorMode#VOLUME} makes
 * it) and the window's samples are integers, the channels are summed first and the 2-D kernel runs
 * on the plane of channel sums. For RGB that is 9 taps per output pixel on the fast 3x3 paths
 * instead of 27 on the generic one.
 *
 * <p><b>Why the bits are the same.</b> Both ways compute the exact integer {@code V = Σ_(r,j)
 * w(r,j) · Σ_ch x(r,j,ch)}, provided every value they form is an integer of magnitude below 2^24,
 * hence a float without rounding:
 *
 * <ul>
 *   <li>the volume way forms the products {@code x · w} and the partial sums of the contract's
 *       {@code fma} sequence over all {@code rows · cols · C} taps; each is at most {@code Σ|w| ·
 *       max Σ_ch|x|} in magnitude;
 *   <li>the channel-sum way forms {@code S = Σ_ch x} (at most {@code max Σ_ch|x|}) and the partial
 *       sums of the same sequence over the {@code rows · cols} taps with {@code S} in place of
 *       {@code x}; each is at most {@code Σ|w| · max Σ_ch|x|} as well.
 * </ul>
 *
 * So the condition, checked here before the fast path is taken, is: <b>the weights are integers,
 * equal (bit for bit) on every channel; every sample of the window is an integer; and {@code Σ|w| ·
 * C · max|x| < 2^24}</b> ({@code C · max|x|} bounds {@code max Σ_ch|x|}; samples must also stay
 * below 2^22, which the integer test needs). For 8-bit RGB and Sobel that is {@code 8 · 3 · 255 =
 * 6120}; for 16-bit RGB and Scharr {@code 32 · 3 · 65535 ≈ 6.3e6}, both far inside. A zero result
 * is {@code +0} both ways (the accumulator starts at {@code +0}, and an exact zero sum of non-zero
 * terms is {@code +0} in round-to-nearest), and a {@code -0} sample counts as 0 with the same
 * outcome. When any part of the condition fails (fractional weights or samples, NaN, infinity, a
 * fractional {@code CONSTANT} border value, sums that could reach 2^24) the window goes the volume
 * way.
 *
 * <p>The check is one pass over each window row as it lies in memory ({@link
 * ConvEngine#integerMaxAbs}, in vector lanes on the vector engine), the sum a second one writing
 * the plane.
 */
final class ChannelSum {
    private ChannelSum() {}

    /** Every integer of smaller magnitude is exactly a float. */
    static final double EXACT_LIMIT = 0x1p24;

    /**
     * Convolves {@code window} (more than one channel) with the volume kernels {@code ks} the
     * channel-sum way into {@code outs}, if the exactness condition holds; returns false, having
     * written nothing, if it does not.
     */
    static boolean tryConv(
            ConvEngine e, ImageF32 window, Kernel[] ks, int stride, ConvOutput[] outs) {
        int c = window.channels;
        if (c < 2) {
            return false; // one channel needs no sum
        }
        Kernel[] planes = new Kernel[ks.length];
        double weightSum = 0;
        for (int i = 0; i < ks.length; i++) {
            planes[i] = plane(ks[i], c);
            if (planes[i] == null) {
                return false;
            }
            weightSum = Math.max(weightSum, absSum(planes[i]));
        }
        float maxAbs = maxAbs(e, window);
        if (!(maxAbs >= 0) || weightSum * c * maxAbs >= EXACT_LIMIT) {
            return false;
        }
        ImageF32 sums = ImageF32.allocate(window.width, window.height, 1);
        sumInto(window, sums.data);
        ConvInput in = ConvInput.volume(sums, stride);
        if (ks.length == 1) {
            e.conv(in, planes[0], outs[0]);
        } else {
            e.convBank(in, planes, outs);
        }
        return true;
    }

    /**
     * The 2-D kernel that {@code k} (depth {@code channels}) repeats on every channel, if its
     * weights are integers and equal (bit for bit) across the channels; else null.
     */
    static Kernel plane(Kernel k, int channels) {
        if (k.depth() != channels) {
            return null;
        }
        float[] w = k.weightsUnsafe();
        int taps = k.rows() * k.cols();
        float[] p = new float[taps];
        for (int t = 0; t < taps; t++) {
            float v = w[t * channels];
            if (v != Math.rint(v)) {
                return null;
            }
            int bits = Float.floatToRawIntBits(v);
            for (int ch = 1; ch < channels; ch++) {
                if (Float.floatToRawIntBits(w[t * channels + ch]) != bits) {
                    return null;
                }
            }
            p[t] = v;
        }
        return new Kernel(k.name(), k.rows(), k.cols(), 1, p);
    }

    /** {@code Σ|w|} of a kernel with integer weights (exact in double for any sane kernel). */
    static double absSum(Kernel k) {
        double s = 0;
        for (float v : k.weightsUnsafe()) {
            s += Math.abs(v);
        }
        return s;
    }

    /**
     * The largest {@code |x|} over every sample of {@code window}, or -1 unless every one is an
     * integer of magnitude below 2^22.
     */
    static float maxAbs(ConvEngine e, ImageF32 window) {
        float max = 0;
        int row = window.width * window.channels;
        for (int y = 0; y < window.height; y++) {
            float m = e.integerMaxAbs(window.data, window.offset + y * window.stride, row);
            if (!(m >= 0)) {
                return -1;
            }
            max = Math.max(max, m);
        }
        return max;
    }

    /**
     * Writes {@code Σ_ch x} of every pixel of {@code window} to the compact plane {@code dst}, in
     * float: exact when {@link #maxAbs} allowed it.
     */
    static void sumInto(ImageF32 window, float[] dst) {
        int c = window.channels;
        int w = window.width;
        float[] src = window.data;
        int d = 0;
        for (int y = 0; y < window.height; y++) {
            int p = window.offset + y * window.stride;
            if (c == 3) {
                for (int x = 0; x < w; x++, p += 3, d++) {
                    dst[d] = src[p] + src[p + 1] + src[p + 2];
                }
            } else {
                for (int x = 0; x < w; x++, d++) {
                    float s = 0;
                    for (int ch = 0; ch < c; ch++, p++) {
                        s += src[p];
                    }
                    dst[d] = s;
                }
            }
        }
    }
}
