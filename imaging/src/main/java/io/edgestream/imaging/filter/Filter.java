package io.edgestream.imaging.filter;

import io.edgestream.imaging.kernel.Kernel;
import java.util.List;

/**
 * An edge filter as the pipeline runs it: either one kernel whose response is the feature map
 * ({@link LinearFilter}), or a pair of derivative kernels whose gradient magnitude is the feature
 * map and whose gradient direction feeds orientation statistics ({@link GradientFilter}). The name
 * is the filter's identity in outputs (topics, stats), so it is unique within a job.
 */
public sealed interface Filter permits LinearFilter, GradientFilter {

    /** The filter's name as used in outputs, e.g. {@code sobel_x}, {@code sobel}, a custom name. */
    String name();

    /** Kernel rows (all kernels of a filter have the same size). */
    int rows();

    /** Kernel columns. */
    int cols();

    /**
     * The kernel size as {@code "rowsxcols"}, e.g. {@code "3x3"}: how groups and messages name it.
     */
    default String size() {
        return rows() + "x" + cols();
    }

    /** The kernels this filter convolves with: one for a linear filter, x then y for a gradient. */
    List<Kernel> kernels();
}
