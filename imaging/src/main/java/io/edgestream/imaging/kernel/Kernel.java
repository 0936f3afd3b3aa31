package io.edgestream.imaging.kernel;

import java.util.Arrays;

/**
 * A convolution filter: {@code rows x cols x depth} float weights, laid over the image as they are
 * (cross-correlation, never flipped). {@code depth} is 1 for a 2-D filter and equals the image's
 * channel count for a colour-volume filter, which sums over channels into one map.
 *
 * <p>Weights are row-major with the channel innermost: weight {@code (r, c, ch)} is {@code
 * weights[(r * cols + c) * depth + ch]}.
 */
public final class Kernel {
    private final String name;
    private final int rows;
    private final int cols;
    private final int depth;
    private final float[] weights;

    public Kernel(String name, int rows, int cols, int depth, float[] weights) {
        if (rows < 1 || cols < 1 || depth < 1) {
            throw new IllegalArgumentException(
                    "kernel '"
                            + name
                            + "' must be at least 1x1x1, got "
                            + rows
                            + "x"
                            + cols
                            + "x"
                            + depth);
        }
        if (weights.length != rows * cols * depth) {
            throw new IllegalArgumentException(
                    "kernel '"
                            + name
                            + "' is "
                            + rows
                            + "x"
                            + cols
                            + "x"
                            + depth
                            + " but has "
                            + weights.length
                            + " weights");
        }
        for (float w : weights) {
            if (!Float.isFinite(w)) {
                throw new IllegalArgumentException(
                        "kernel '" + name + "' has a non-finite weight " + w);
            }
        }
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.depth = depth;
        this.weights = weights.clone();
    }

    /** A 2-D kernel from rows of weights, e.g. {@code of("v", new float[][] {{1, 0, -1}, ...})}. */
    public static Kernel of(String name, float[][] matrix) {
        int r = matrix.length;
        int c = r == 0 ? 0 : matrix[0].length;
        float[] w = new float[r * c];
        for (int i = 0; i < r; i++) {
            if (matrix[i].length != c) {
                throw new IllegalArgumentException(
                        "kernel '"
                                + name
                                + "' rows have different lengths ("
                                + c
                                + " and "
                                + matrix[i].length
                                + ")");
            }
            System.arraycopy(matrix[i], 0, w, i * c, c);
        }
        return new Kernel(name, r, c, 1, w);
    }

    public String name() {
        return name;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int depth() {
        return depth;
    }

    /** A copy of the weights. */
    public float[] weights() {
        return weights.clone();
    }

    /** The weights without copying; callers must not modify the array. */
    public float[] weightsUnsafe() {
        return weights;
    }

    public float weight(int r, int c, int ch) {
        return weights[(r * cols + c) * depth + ch];
    }

    /** The same weights under another name. */
    public Kernel renamed(String newName) {
        return new Kernel(newName, rows, cols, depth, weights);
    }

    /**
     * This 2-D kernel repeated over {@code channels} channels (a colour-volume filter that applies
     * the same weights to every channel and sums them).
     */
    public Kernel toVolume(int channels) {
        if (depth != 1) {
            throw new IllegalStateException("kernel '" + name + "' already has depth " + depth);
        }
        float[] w = new float[rows * cols * channels];
        for (int i = 0; i < rows * cols; i++) {
            Arrays.fill(w, i * channels, (i + 1) * channels, weights[i]);
        }
        return new Kernel(name, rows, cols, channels, w);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Kernel k
                && k.name.equals(name)
                && k.rows == rows
                && k.cols == cols
                && k.depth == depth
                && Arrays.equals(k.weights, weights);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        return "Kernel["
                + name
                + " "
                + rows
                + "x"
                + cols
                + "x"
                + depth
                + " "
                + Arrays.toString(weights)
                + "]";
    }
}
