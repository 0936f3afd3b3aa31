package io.edgestream.imaging.filter;

import io.edgestream.imaging.kernel.Kernel;
import java.util.List;

/**
 * A filter whose feature map is the kernel's response itself (signed), e.g. {@code sobel_x} or a
 * custom matrix.
 *
 * @param name the filter's name in outputs
 * @param kernel a 2-D kernel (depth 1); colour handling comes from the convolution parameters
 */
public record LinearFilter(String name, Kernel kernel) implements Filter {

    public LinearFilter {
        Filters.checkName(name);
        if (kernel == null) {
            throw new IllegalArgumentException("filter '" + name + "' has no kernel");
        }
        if (kernel.depth() != 1) {
            throw new IllegalArgumentException(
                    "filter '"
                            + name
                            + "' needs a 2-D kernel (depth 1), got depth "
                            + kernel.depth()
                            + "; the colour mode decides how it meets a colour image");
        }
    }

    @Override
    public int rows() {
        return kernel.rows();
    }

    @Override
    public int cols() {
        return kernel.cols();
    }

    @Override
    public List<Kernel> kernels() {
        return List.of(kernel);
    }
}
