package io.edgestream.imaging.conv;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.kernel.Kernel;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The fast paths against the naive reference, against each other (bit for bit) and against
 * themselves on sub-windows (the tiling contract), over random geometry.
 */
class ConvolutionPropertiesTest {

    /** One random case: image, kernel and parameters derived from the generated numbers. */
    record Case(ImageF32 image, Kernel kernel, ConvParams params) {
        static Case of(
                int w,
                int h,
                int channels,
                int kr,
                int kc,
                int stride,
                int mode,
                int pad,
                int border,
                boolean volumeKernel,
                boolean viewed,
                long seed) {
            Random rnd = new Random(seed);
            ImageF32 img;
            if (viewed) {
                // A view inside a larger array: exercises offset and stride.
                ImageF32 big = ImageF32.allocate(w + 3, h + 2, channels);
                fill(big, rnd);
                img = big.view(2, 1, w, h);
            } else {
                img = ImageF32.allocate(w, h, channels);
                fill(img, rnd);
            }
            ColorMode cm = ColorMode.values()[mode];
            int depth = cm == ColorMode.VOLUME && volumeKernel ? channels : 1;
            float[] weights = new float[kr * kc * depth];
            for (int i = 0; i < weights.length; i++) {
                // Mostly small integers like the named kernels, sometimes arbitrary floats.
                weights[i] = rnd.nextInt(4) == 0 ? rnd.nextFloat() * 4 - 2 : rnd.nextInt(7) - 3;
            }
            ConvParams p =
                    ConvParams.DEFAULT
                            .withPadding(Padding.values()[pad])
                            .withBorder(BorderMode.values()[border], rnd.nextFloat() * 100)
                            .withStride(stride)
                            .withColorMode(cm);
            if (cm == ColorMode.GREY && channels > 1 && !(channels == 4 && rnd.nextBoolean())) {
                // One weight per channel (the 4-channel case otherwise uses RGB weights).
                float[] grey = new float[channels];
                for (int i = 0; i < channels; i++) {
                    grey[i] = rnd.nextFloat();
                }
                p = p.withGreyWeights(grey);
            }
            return new Case(img, new Kernel("k", kr, kc, depth, weights), p);
        }

        private static void fill(ImageF32 img, Random rnd) {
            for (int i = 0; i < img.data.length; i++) {
                img.data[i] = rnd.nextFloat() * 255 - 64;
            }
        }
    }

    @Property(tries = 1000)
    void fastPathsMatchTheReference(
            @ForAll @IntRange(min = 1, max = 70) int w,
            @ForAll @IntRange(min = 1, max = 70) int h,
            @ForAll @IntRange(min = 1, max = 4) int channels,
            @ForAll @IntRange(min = 1, max = 7) int kr,
            @ForAll @IntRange(min = 1, max = 7) int kc,
            @ForAll @IntRange(min = 1, max = 3) int stride,
            @ForAll @IntRange(min = 0, max = 2) int mode,
            @ForAll @IntRange(min = 0, max = 1) int pad,
            @ForAll @IntRange(min = 0, max = 5) int border,
            @ForAll boolean volumeKernel,
            @ForAll boolean viewed,
            @ForAll long seed) {
        Case c =
                Case.of(
                        w,
                        h,
                        channels,
                        kr,
                        kc,
                        stride,
                        mode,
                        pad,
                        border,
                        volumeKernel,
                        viewed,
                        seed);
        ImageF32 expected = ReferenceConvolution.convolve(c.image, c.kernel, c.params);
        // Error scale: the same sum over |weight| * |pixel|, so cancellation does not fool us.
        ImageF32 scale =
                ReferenceConvolution.convolve(
                        abs(c.image),
                        absKernel(c.kernel),
                        c.params.withBorder(
                                c.params.border(), Math.abs(c.params.borderConstant())));
        for (ConvEngine e : Engines.all()) {
            ImageF32 actual = Convolution.convolve(e, c.image, c.kernel, c.params);
            assertThat(actual.width).isEqualTo(expected.width);
            assertThat(actual.height).isEqualTo(expected.height);
            assertThat(actual.channels).isEqualTo(expected.channels);
            float[] a = actual.toArray();
            float[] x = expected.toArray();
            float[] s = scale.toArray();
            for (int i = 0; i < a.length; i++) {
                double tol = 1e-5 * s[i] + 1e-6;
                assertThat((double) a[i])
                        .as("%s element %d of %s with %s", e.name(), i, c.params, c.kernel)
                        .isCloseTo(x[i], org.assertj.core.data.Offset.offset(tol));
            }
        }
    }

    @Property(tries = 1000)
    void vectorAndScalarPathsAreBitIdentical(
            @ForAll @IntRange(min = 1, max = 70) int w,
            @ForAll @IntRange(min = 1, max = 70) int h,
            @ForAll @IntRange(min = 1, max = 4) int channels,
            @ForAll @IntRange(min = 1, max = 7) int kr,
            @ForAll @IntRange(min = 1, max = 7) int kc,
            @ForAll @IntRange(min = 1, max = 3) int stride,
            @ForAll @IntRange(min = 0, max = 2) int mode,
            @ForAll @IntRange(min = 0, max = 1) int pad,
            @ForAll @IntRange(min = 0, max = 5) int border,
            @ForAll boolean volumeKernel,
            @ForAll boolean viewed,
            @ForAll long seed) {
        Case c =
                Case.of(
                        w,
                        h,
                        channels,
                        kr,
                        kc,
                        stride,
                        mode,
                        pad,
                        border,
                        volumeKernel,
                        viewed,
                        seed);
        ImageF32 scalar =
                Convolution.convolve(Convolution.scalarEngine(), c.image, c.kernel, c.params);
        for (ConvEngine e : Engines.all()) {
            ImageF32 other = Convolution.convolve(e, c.image, c.kernel, c.params);
            assertThat(other.contentEquals(scalar)).as("%s vs scalar", e.name()).isTrue();
        }
        List<Kernel> bank = List.of(c.kernel, negated(c.kernel), c.kernel.renamed("again"));
        for (ConvEngine e : Engines.all()) {
            List<ImageF32> maps = Convolution.convolveBank(e, c.image, bank, c.params);
            for (int i = 0; i < bank.size(); i++) {
                ImageF32 single =
                        Convolution.convolve(
                                Convolution.scalarEngine(), c.image, bank.get(i), c.params);
                assertThat(maps.get(i).contentEquals(single))
                        .as("%s bank map %d", e.name(), i)
                        .isTrue();
            }
        }
    }

    /**
     * The tiling contract: any output rectangle computed from {@code window(...)} of just its input
     * rectangle (halo included, border mode outside the image) equals the same pixels of the
     * whole-image result, bit for bit.
     */
    @Property(tries = 1000)
    void subWindowsAreBitIdenticalToTheWholeImage(
            @ForAll @IntRange(min = 1, max = 70) int w,
            @ForAll @IntRange(min = 1, max = 70) int h,
            @ForAll @IntRange(min = 1, max = 4) int channels,
            @ForAll @IntRange(min = 1, max = 7) int kr,
            @ForAll @IntRange(min = 1, max = 7) int kc,
            @ForAll @IntRange(min = 1, max = 3) int stride,
            @ForAll @IntRange(min = 0, max = 1) int pad,
            @ForAll @IntRange(min = 0, max = 5) int border,
            @ForAll boolean perChannel,
            @ForAll boolean volumeKernel,
            @ForAll long seed) {
        int mode = perChannel ? ColorMode.PER_CHANNEL.ordinal() : ColorMode.VOLUME.ordinal();
        Case c =
                Case.of(
                        w,
                        h,
                        channels,
                        kr,
                        kc,
                        stride,
                        mode,
                        pad,
                        border,
                        volumeKernel,
                        false,
                        seed);
        ConvParams p = c.params;
        Kernel k = perChannel ? c.kernel : volume(c.kernel, channels);
        for (ConvEngine e : Engines.all()) {
            ImageF32 whole = Convolution.convolve(e, c.image, c.kernel, p);
            if (whole.width == 0 || whole.height == 0) {
                return;
            }
            Random rnd = new Random(seed ^ 0x5DEECE66DL);
            for (int t = 0; t < 5; t++) {
                // The first "tile" is the whole output: one window of the whole padded image.
                int ox0 = t == 0 ? 0 : rnd.nextInt(whole.width);
                int oy0 = t == 0 ? 0 : rnd.nextInt(whole.height);
                int tw = t == 0 ? whole.width : 1 + rnd.nextInt(whole.width - ox0);
                int th = t == 0 ? whole.height : 1 + rnd.nextInt(whole.height - oy0);
                int left = Padding.padBefore(p.padding(), kc);
                int top = Padding.padBefore(p.padding(), kr);
                ImageF32 win =
                        Convolution.window(
                                c.image,
                                ox0 * stride - left,
                                oy0 * stride - top,
                                (tw - 1) * stride + kc,
                                (th - 1) * stride + kr,
                                p.border(),
                                p.borderConstant());
                ImageF32 tile = ImageF32.allocate(tw, th, perChannel ? channels : 1);
                if (perChannel) {
                    Convolution.validPerChannelInto(e, win, k, stride, tile);
                } else {
                    Convolution.validInto(e, win, k, stride, tile);
                }
                assertThat(tile.contentEquals(whole.view(ox0, oy0, tw, th)))
                        .as("%s tile [%d,%d %dx%d] of %s", e.name(), ox0, oy0, tw, th, whole)
                        .isTrue();
            }
        }
    }

    private static Kernel volume(Kernel k, int channels) {
        return k.depth() == channels ? k : k.toVolume(channels);
    }

    private static Kernel negated(Kernel k) {
        float[] w = k.weights();
        for (int i = 0; i < w.length; i++) {
            w[i] = -w[i];
        }
        return new Kernel(k.name() + "-neg", k.rows(), k.cols(), k.depth(), w);
    }

    private static Kernel absKernel(Kernel k) {
        float[] w = k.weights();
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.abs(w[i]);
        }
        return new Kernel(k.name() + "-abs", k.rows(), k.cols(), k.depth(), w);
    }

    private static ImageF32 abs(ImageF32 img) {
        ImageF32 out = img.compact();
        for (int i = 0; i < out.data.length; i++) {
            out.data[i] = Math.abs(out.data[i]);
        }
        return out;
    }
}
