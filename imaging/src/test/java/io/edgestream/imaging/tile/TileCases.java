package io.edgestream.imaging.tile;

import io.edgestream.imaging.conv.BorderMode;
import io.edgestream.imaging.conv.ColorMode;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.conv.Convolution;
import io.edgestream.imaging.conv.Gradient;
import io.edgestream.imaging.conv.Padding;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.Filters;
import io.edgestream.imaging.filter.GradientFilter;
import io.edgestream.imaging.filter.LinearFilter;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.kernel.Kernel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random images and filter groups for the tile and statistics contract tests, plus the whole-image
 * reference that tiles must reproduce: {@link Convolution#convolve} per kernel and {@link
 * Gradient#magnitude(float, float)} element-wise for gradient filters.
 */
public final class TileCases {
    private TileCases() {}

    /** A random image; integer-valued or fractional values in [0, 255], by the seed. */
    public static ImageF32 image(Random rnd, int w, int h, int channels) {
        ImageF32 img = ImageF32.allocate(w, h, channels);
        boolean integers = rnd.nextBoolean();
        for (int i = 0; i < img.data.length; i++) {
            img.data[i] = integers ? rnd.nextInt(256) : rnd.nextFloat() * 255f;
        }
        return img;
    }

    /** A random 2-D kernel: small integers or fractional weights. */
    public static Kernel kernel(Random rnd, String name, int rows, int cols) {
        float[] w = new float[rows * cols];
        boolean integers = rnd.nextBoolean();
        for (int i = 0; i < w.length; i++) {
            w[i] = integers ? rnd.nextInt(9) - 4 : rnd.nextFloat() * 4f - 2f;
        }
        return new Kernel(name, rows, cols, 1, w);
    }

    /**
     * One to three filters of one size: built-in ones (all 3x3, gradients included), or random
     * linear and gradient filters of {@code rows x cols}.
     */
    public static List<Filter> filters(Random rnd, int rows, int cols) {
        List<Filter> out = new ArrayList<>();
        int n = 1 + rnd.nextInt(3);
        if (rnd.nextInt(4) == 0) {
            List<String> names = new ArrayList<>(Filters.names());
            for (int i = 0; i < n; i++) {
                out.add(Filters.parse(names.remove(rnd.nextInt(names.size()))));
            }
            return out;
        }
        for (int i = 0; i < n; i++) {
            if (rnd.nextBoolean()) {
                out.add(new LinearFilter("k" + i, kernel(rnd, "k" + i, rows, cols)));
            } else {
                out.add(
                        new GradientFilter(
                                "g" + i,
                                kernel(rnd, "g" + i + "x", rows, cols),
                                kernel(rnd, "g" + i + "y", rows, cols)));
            }
        }
        return out;
    }

    /** The whole-image map of {@code f}: the reference the tiles must reproduce. */
    public static ImageF32 reference(ImageF32 image, Filter f, ConvParams p) {
        if (f instanceof LinearFilter lf) {
            return Convolution.convolve(image, lf.kernel(), p);
        }
        ImageF32[] g = gradients(image, f, p);
        return magnitude(g[0], g[1]);
    }

    /** The whole-image x and y responses of a gradient filter. */
    public static ImageF32[] gradients(ImageF32 image, Filter f, ConvParams p) {
        GradientFilter gf = (GradientFilter) f;
        return new ImageF32[] {
            Convolution.convolve(image, gf.x(), p), Convolution.convolve(image, gf.y(), p)
        };
    }

    /** Element-wise magnitude of compact images of any channel count. */
    public static ImageF32 magnitude(ImageF32 gx, ImageF32 gy) {
        ImageF32 out = ImageF32.allocate(gx.width, gx.height, gx.channels);
        for (int i = 0; i < out.data.length; i++) {
            out.data[i] = Gradient.magnitude(gx.data[i], gy.data[i]);
        }
        return out;
    }

    /** Channels of the output map. */
    public static int outputChannels(ConvParams p, int imageChannels) {
        return p.colorMode() == ColorMode.PER_CHANNEL ? imageChannels : 1;
    }

    /** Index of the first value whose bits differ, or -1. */
    public static int firstBitDifference(ImageF32 a, ImageF32 b) {
        float[] x = a.toArray();
        float[] y = b.toArray();
        for (int i = 0; i < x.length; i++) {
            if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * What the tile and statistics contract tests vary besides the image: kernel size, the
     * convolution parameters and the tile size.
     */
    public record Geometry(
            int kernelRows,
            int kernelCols,
            Padding padding,
            BorderMode border,
            int stride,
            ColorMode colorMode,
            int tileWidth,
            int tileHeight) {

        /** These parameters, with {@code borderConstant} for {@link BorderMode#CONSTANT}. */
        public ConvParams params(float borderConstant) {
            return ConvParams.DEFAULT
                    .withPadding(padding)
                    .withBorder(border, borderConstant)
                    .withStride(stride)
                    .withColorMode(colorMode);
        }

        /** The tile plan of a {@code width x height} image for {@code filters} under {@code p}. */
        public TilePlan plan(int width, int height, List<Filter> filters, ConvParams p) {
            return TilePlan.forFilters(width, height, filters, p, tileWidth, tileHeight);
        }
    }

    /**
     * Kernels of 1 to 7 rows and columns, any padding, border and colour mode, strides 1 to 3,
     * tiles of {@code minTile} to {@code maxTile} pixels a side.
     */
    public static Arbitrary<Geometry> geometries(int minTile, int maxTile) {
        return Combinators.combine(
                        Arbitraries.integers().between(1, 7),
                        Arbitraries.integers().between(1, 7),
                        Arbitraries.of(Padding.class),
                        Arbitraries.of(BorderMode.class),
                        Arbitraries.integers().between(1, 3),
                        Arbitraries.of(ColorMode.class),
                        Arbitraries.integers().between(minTile, maxTile),
                        Arbitraries.integers().between(minTile, maxTile))
                .as(Geometry::new);
    }
}
