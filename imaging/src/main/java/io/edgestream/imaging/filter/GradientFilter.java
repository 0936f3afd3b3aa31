package io.edgestream.imaging.filter;

import io.edgestream.imaging.kernel.Kernel;
import java.util.List;

/**
 * A filter whose feature map is the gradient magnitude {@code sqrt(gx^2 + gy^2)} of two derivative
 * kernels (e.g. {@code sobel} = SOBEL_X and SOBEL_Y); the gradient direction {@code atan2(gy, gx)}
 * of strong pixels feeds the orientation histogram of the edge statistics.
 *
 * @param name the filter's name in outputs
 * @param x the kernel giving {@code gx} (2-D, same size as {@code y})
 * @param y the kernel giving {@code gy}
 */
public record GradientFilter(String name, Kernel x, Kernel y) implements Filter {

    public GradientFilter {
        Filters.checkName(name);
        if (x == null || y == null) {
            throw new IllegalArgumentException("gradient filter '" + name + "' needs both kernels");
        }
        if (x.depth() != 1 || y.depth() != 1) {
            throw new IllegalArgumentException(
                    "gradient filter '" + name + "' needs 2-D kernels (depth 1)");
        }
        if (x.rows() != y.rows() || x.cols() != y.cols()) {
            throw new IllegalArgumentException(
                    "gradient filter '"
                            + name
                            + "' needs kernels of the same size, got "
                            + x.rows()
                            + "x"
                            + x.cols()
                            + " and "
                            + y.rows()
                            + "x"
                            + y.cols());
        }
    }

    @Override
    public int rows() {
        return x.rows();
    }

    @Override
    public int cols() {
        return x.cols();
    }

    @Override
    public List<Kernel> kernels() {
        return List.of(x, y);
    }
}
