package io.edgestream.imaging.conv;

/** How the output size relates to the input size (TensorFlow/Keras semantics). */
public enum Padding {
    /**
     * No invented pixels: output is {@code floor((h - f) / s) + 1} by {@code floor((w - f) / s) +
     * 1}. The default.
     */
    VALID,
    /**
     * The input is extended by {@code (f-1)/2} pixels on each side, the extra pixel of an even
     * filter on the right/bottom, so that with stride {@code s} the output is {@code ceil(h / s)}
     * by {@code ceil(w / s)}. The invented pixels come from the {@link BorderMode}.
     */
    SAME;

    /** Pixels added before the first row/column for a filter of size {@code f} and stride 1. */
    public static int padBefore(Padding p, int f) {
        return p == VALID ? 0 : (f - 1) / 2;
    }

    /** Pixels added after the last row/column for a filter of size {@code f} and stride 1. */
    public static int padAfter(Padding p, int f) {
        return p == VALID ? 0 : (f - 1) - (f - 1) / 2;
    }
}
