package io.edgestream.imaging.conv;

import java.util.Arrays;

/**
 * Everything besides the filter that decides a convolution's result.
 *
 * @param padding VALID (default) or SAME
 * @param border what pixels outside the image are under SAME
 * @param borderConstant the value used by {@link BorderMode#CONSTANT}
 * @param stride step between output pixels, in input pixels, at least 1
 * @param colorMode how a multi-channel image meets a filter
 * @param greyWeights per-channel weights for {@link ColorMode#GREY} (BT.601 by default)
 */
public record ConvParams(
        Padding padding,
        BorderMode border,
        float borderConstant,
        int stride,
        ColorMode colorMode,
        float[] greyWeights) {

    /** ITU-R BT.601 luma weights (OpenCV, MATLAB) for R, G, B. */
    public static final float[] BT601 = {0.299f, 0.587f, 0.114f};

    /** ITU-R BT.709 luma weights (scikit-image's rgb2gray) for R, G, B. */
    public static final float[] BT709 = {0.2125f, 0.7154f, 0.0721f};

    public static final ConvParams DEFAULT =
            new ConvParams(Padding.VALID, BorderMode.ZERO, 0f, 1, ColorMode.VOLUME, BT601);

    public ConvParams {
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be at least 1, got " + stride);
        }
        if (padding == null || border == null || colorMode == null || greyWeights == null) {
            throw new IllegalArgumentException("convolution parameters must not be null");
        }
        greyWeights = greyWeights.clone();
    }

    public ConvParams withPadding(Padding p) {
        return new ConvParams(p, border, borderConstant, stride, colorMode, greyWeights);
    }

    public ConvParams withBorder(BorderMode b, float constant) {
        return new ConvParams(padding, b, constant, stride, colorMode, greyWeights);
    }

    public ConvParams withStride(int s) {
        return new ConvParams(padding, border, borderConstant, s, colorMode, greyWeights);
    }

    public ConvParams withColorMode(ColorMode m) {
        return new ConvParams(padding, border, borderConstant, stride, m, greyWeights);
    }

    public ConvParams withGreyWeights(float[] w) {
        return new ConvParams(padding, border, borderConstant, stride, colorMode, w);
    }

    /** Output rows (or columns) for an input of {@code n} and a filter of {@code f}; may be 0. */
    public int outputSize(int n, int f) {
        if (padding == Padding.VALID) {
            return n < f ? 0 : (n - f) / stride + 1;
        }
        return (n + stride - 1) / stride;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConvParams p
                && p.padding == padding
                && p.border == border
                && Float.compare(p.borderConstant, borderConstant) == 0
                && p.stride == stride
                && p.colorMode == colorMode
                && Arrays.equals(p.greyWeights, greyWeights);
    }

    @Override
    public int hashCode() {
        return ((padding.hashCode() * 31 + border.hashCode()) * 31 + stride) * 31
                + colorMode.hashCode();
    }

    @Override
    public String toString() {
        return "ConvParams[padding="
                + padding
                + ", border="
                + border
                + (border == BorderMode.CONSTANT ? "(" + borderConstant + ")" : "")
                + ", stride="
                + stride
                + ", color="
                + colorMode
                + (colorMode == ColorMode.GREY ? Arrays.toString(greyWeights) : "")
                + "]";
    }
}
