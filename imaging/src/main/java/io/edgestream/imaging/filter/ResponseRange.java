package io.edgestream.imaging.filter;

import io.edgestream.imaging.conv.BorderMode;
import io.edgestream.imaging.conv.ColorMode;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.conv.Padding;
import io.edgestream.imaging.kernel.Kernel;

/**
 * What a filter's response can be, known from its weights, the convolution parameters and the
 * input's range before any pixel is seen: the theoretical output range (the histogram range of the
 * statistics and the UINT8 map scale), and whether the core's float32 result is provably an exact
 * integer in a given range (the INT16 map encoding).
 *
 * <p>The integer rule. Every output sample of a linear filter is {@code Σ w·x} over its taps and
 * the channels it sums, computed as a chain of float32 fused multiply-adds from {@code +0} (see
 * docs/convolution.md). If every weight {@code w} and every sample {@code x} the kernel sees is an
 * integer, every partial sum is an integer of magnitude at most {@code Σ|w| · M · c}, where {@code
 * M} is the largest magnitude a seen sample can have and {@code c} the channels summed; while that
 * is at most 2^24, every partial sum is a float32 integer, so every step is exact and the result is
 * the exact integer response, inside {@link #of}'s range. Samples are integers for 8- and 16-bit
 * input, in {@code VOLUME} and {@code PER_CHANNEL} colour modes (not {@code GREY}, whose weights
 * are fractions), with border values that are image samples or an integer {@code border.constant}.
 * Gradient magnitudes {@code sqrt(gx² + gy²)} are not integers.
 */
public final class ResponseRange {
    private ResponseRange() {}

    /** 2^24: every integer up to this magnitude is a float32. */
    public static final double FLOAT32_EXACT_INTEGERS = 1 << 24;

    /**
     * The range of {@code f}'s output on images with {@code channels} channels and samples in
     * {@code [inputMin, inputMax]}: for a linear kernel {@code [Σ min(w·lo, w·hi), Σ max(w·lo,
     * w·hi)]} over its weights, where {@code [lo, hi]} is the range the kernel sees ({@link
     * #seenByKernel}), repeated over the channels summed ({@link #summedChannels}); for a gradient
     * filter {@code [0, sqrt(rx² + ry²)]} with {@code rx}, {@code ry} the largest absolute
     * responses of its kernels.
     */
    public static double[] of(
            Filter f, ConvParams p, int channels, double inputMin, double inputMax) {
        double[] seen = seenByKernel(p, channels, inputMin, inputMax);
        int depth = summedChannels(p, channels);
        if (f instanceof LinearFilter lf) {
            return ofKernel(lf.kernel(), depth, seen[0], seen[1]);
        }
        GradientFilter gf = (GradientFilter) f;
        double[] rx = ofKernel(gf.x(), depth, seen[0], seen[1]);
        double[] ry = ofKernel(gf.y(), depth, seen[0], seen[1]);
        double ax = Math.max(Math.abs(rx[0]), Math.abs(rx[1]));
        double ay = Math.max(Math.abs(ry[0]), Math.abs(ry[1]));
        return new double[] {0, Math.sqrt(ax * ax + ay * ay)};
    }

    /**
     * The range of the sample values a kernel sees in one channel: the input range, mapped through
     * the grey weights under {@link ColorMode#GREY}, widened to include 0 or the border constant
     * under {@link Padding#SAME} with {@link BorderMode#ZERO} or {@link BorderMode#CONSTANT} (the
     * other border modes repeat image samples).
     */
    public static double[] seenByKernel(
            ConvParams p, int channels, double inputMin, double inputMax) {
        double lo = inputMin;
        double hi = inputMax;
        if (p.colorMode() == ColorMode.GREY && channels > 1) {
            float[] w = p.greyWeights();
            double glo = 0;
            double ghi = 0;
            for (int c = 0; c < Math.min(channels, w.length); c++) {
                glo += Math.min(w[c] * lo, w[c] * hi);
                ghi += Math.max(w[c] * lo, w[c] * hi);
            }
            lo = glo;
            hi = ghi;
        }
        if (p.padding() == Padding.SAME) {
            if (p.border() == BorderMode.ZERO) {
                lo = Math.min(lo, 0);
                hi = Math.max(hi, 0);
            } else if (p.border() == BorderMode.CONSTANT) {
                lo = Math.min(lo, p.borderConstant());
                hi = Math.max(hi, p.borderConstant());
            }
        }
        return new double[] {lo, hi};
    }

    /** Channels one output sample sums: all of them under {@code VOLUME}, else one. */
    public static int summedChannels(ConvParams p, int channels) {
        return p.colorMode() == ColorMode.VOLUME ? channels : 1;
    }

    /** {@code [min, max]} of a 2-D kernel's response, its weights repeated {@code depth} times. */
    public static double[] ofKernel(Kernel k, int depth, double lo, double hi) {
        double rlo = 0;
        double rhi = 0;
        for (float w : k.weightsUnsafe()) {
            rlo += Math.min(w * lo, w * hi);
            rhi += Math.max(w * lo, w * hi);
        }
        return new double[] {rlo * depth, rhi * depth};
    }

    /**
     * Why {@code f} under {@code p} may give a non-integer result on integer (8- or 16-bit) input,
     * or null if every result is an integer as long as {@link #exactIntegerRange} holds: a gradient
     * magnitude, a non-integer weight, {@code GREY} colour mode, or a non-integer {@code
     * border.constant} that SAME padding shows the kernel.
     */
    public static String whyNotInteger(Filter f, ConvParams p) {
        if (!(f instanceof LinearFilter lf)) {
            return "'"
                    + f.name()
                    + "' is a gradient magnitude sqrt(gx^2 + gy^2), which is not an integer";
        }
        Kernel k = lf.kernel();
        float[] w = k.weightsUnsafe();
        for (int i = 0; i < w.length; i++) {
            if (w[i] != Math.rint(w[i]) || Float.isInfinite(w[i])) {
                return "'"
                        + f.name()
                        + "' has the non-integer weight "
                        + w[i]
                        + " (row "
                        + (i / k.cols() + 1)
                        + ", column "
                        + (i % k.cols() + 1)
                        + ")";
            }
        }
        if (p.colorMode() == ColorMode.GREY) {
            return "color.mode GREY converts colour to grey with fractional weights, so the"
                    + " samples '"
                    + f.name()
                    + "' sees are not integers";
        }
        if (p.padding() == Padding.SAME
                && p.border() == BorderMode.CONSTANT
                && p.borderConstant() != Math.rint(p.borderConstant())) {
            return "border.constant "
                    + p.borderConstant()
                    + " is not an integer, and SAME padding shows it to '"
                    + f.name()
                    + "'";
        }
        return null;
    }

    /**
     * The range of {@code f}'s response on integer samples in {@code [0, maxSample]} with {@code
     * channels} channels, if the core's float32 result is provably that exact integer ({@link
     * #whyNotInteger} is null and {@code Σ|w| · M · c <= 2^24}); else null.
     */
    public static double[] exactIntegerRange(Filter f, ConvParams p, int channels, int maxSample) {
        if (whyNotInteger(f, p) != null) {
            return null;
        }
        double[] seen = seenByKernel(p, channels, 0, maxSample);
        double m = Math.max(Math.abs(seen[0]), Math.abs(seen[1]));
        double sumAbs = 0;
        for (float w : ((LinearFilter) f).kernel().weightsUnsafe()) {
            sumAbs += Math.abs(w);
        }
        if (sumAbs * m * summedChannels(p, channels) > FLOAT32_EXACT_INTEGERS) {
            return null;
        }
        return of(f, p, channels, 0, maxSample);
    }
}
