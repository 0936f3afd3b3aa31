package io.edgestream.imaging.conv;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.FilterBank;
import io.edgestream.imaging.filter.FilterOutput;
import io.edgestream.imaging.filter.Filters;
import io.edgestream.imaging.filter.GradientFilter;
import io.edgestream.imaging.filter.LinearFilter;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.kernel.Kernel;
import io.edgestream.imaging.kernel.Kernels;
import io.edgestream.imaging.tile.MapAssembler;
import io.edgestream.imaging.tile.TilePlan;
import io.edgestream.imaging.tile.TileSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Colour volumes the channel-sum way ({@link ChannelSum}): for integer samples and integer weights
 * repeated over the channels, bit for bit ({@code Float.floatToRawIntBits}) equal to the naive
 * reference and to the volume way, on every engine of this surefire execution (vector and scalar in
 * the default one, scalar alone in {@code scalar-fallback}, which runs this class too); plus proof
 * that the path is really taken, and that every part of its condition is checked.
 */
class ChannelSumTest {

    private static final Kernel[] NAMED = {
        Kernels.VERTICAL,
        Kernels.HORIZONTAL,
        Kernels.SOBEL_X,
        Kernels.SOBEL_Y,
        Kernels.SCHARR_X,
        Kernels.LAPLACIAN
    };

    /** A random image of integer samples {@code 0..max}, possibly a view into a larger array. */
    private static ImageF32 image(Random rnd, int w, int h, int channels, int max, boolean view) {
        ImageF32 big = ImageF32.allocate(w + 4, h + 3, channels);
        for (int i = 0; i < big.data.length; i++) {
            big.data[i] = rnd.nextInt(max + 1);
        }
        return view ? big.view(3, 2, w, h) : big.view(0, 0, w, h).compact();
    }

    /** A named kernel, or a random integer one of {@code rows x cols}. */
    private static Kernel kernel(Random rnd, int rows, int cols) {
        if (rnd.nextInt(3) == 0) {
            return NAMED[rnd.nextInt(NAMED.length)];
        }
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = rnd.nextInt(9) - 4;
        }
        return new Kernel("k", rows, cols, 1, w);
    }

    private static ConvParams params(Random rnd, int stride, boolean same) {
        BorderMode b = BorderMode.values()[rnd.nextInt(BorderMode.values().length)];
        // An integer constant keeps border windows on the channel-sum path.
        return ConvParams.DEFAULT
                .withPadding(same ? Padding.SAME : Padding.VALID)
                .withBorder(b, rnd.nextInt(256))
                .withStride(stride);
    }

    /** The whole image the volume way: one window of the padded image, no channel sum. */
    private static ImageF32 volumeWay(ConvEngine e, ImageF32 img, Kernel k, ConvParams p) {
        int outW = p.outputSize(img.width, k.cols());
        int outH = p.outputSize(img.height, k.rows());
        ImageF32 out = ImageF32.allocate(outW, outH, 1);
        if (outW == 0 || outH == 0) {
            return out;
        }
        int s = p.stride();
        ImageF32 win =
                Convolution.window(
                        img,
                        -Padding.padBefore(p.padding(), k.cols()),
                        -Padding.padBefore(p.padding(), k.rows()),
                        (outW - 1) * s + k.cols(),
                        (outH - 1) * s + k.rows(),
                        p.border(),
                        p.borderConstant());
        Convolution.validVolumeInto(e, win, k.toVolume(img.channels), s, out);
        return out;
    }

    private static void assertBitsEqual(ImageF32 actual, ImageF32 expected, String what) {
        assertThat(actual.width).as(what).isEqualTo(expected.width);
        assertThat(actual.height).as(what).isEqualTo(expected.height);
        assertThat(actual.channels).as(what).isEqualTo(expected.channels);
        float[] a = actual.toArray();
        float[] x = expected.toArray();
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(x[i])) {
                throw new AssertionError(
                        what + ": value " + i + " is " + a[i] + ", expected " + x[i]);
            }
        }
    }

    @Property(tries = 400)
    void rgb8VolumesEqualTheReferenceAndTheVolumeWayBitForBit(
            @ForAll @IntRange(min = 1, max = 45) int w,
            @ForAll @IntRange(min = 1, max = 45) int h,
            @ForAll @IntRange(min = 1, max = 5) int kr,
            @ForAll @IntRange(min = 1, max = 5) int kc,
            @ForAll @IntRange(min = 1, max = 3) int stride,
            @ForAll boolean same,
            @ForAll boolean view,
            @ForAll long seed) {
        Random rnd = new Random(seed);
        ImageF32 img = image(rnd, w, h, 3, 255, view);
        Kernel k = kernel(rnd, kr, kc);
        ConvParams p = params(rnd, stride, same);
        ImageF32 expected = ReferenceConvolution.convolve(img, k, p);
        for (ConvEngine e : Engines.all()) {
            String what = e.name() + " " + k + " " + p + " on " + img;
            assertBitsEqual(Convolution.convolve(e, img, k, p), expected, what);
            assertBitsEqual(volumeWay(e, img, k, p), expected, what + " (volume way)");
        }
    }

    @Property(tries = 150)
    void aBankOfFourOnRgb8EqualsTheReferenceBitForBit(
            @ForAll @IntRange(min = 1, max = 70) int w,
            @ForAll @IntRange(min = 1, max = 40) int h,
            @ForAll @IntRange(min = 1, max = 3) int stride,
            @ForAll boolean same,
            @ForAll long seed) {
        Random rnd = new Random(seed);
        ImageF32 img = image(rnd, w, h, 3, 255, rnd.nextBoolean());
        ConvParams p = params(rnd, stride, same);
        List<Kernel> ks =
                List.of(Kernels.VERTICAL, Kernels.HORIZONTAL, Kernels.SOBEL_X, Kernels.SOBEL_Y);
        for (ConvEngine e : Engines.all()) {
            List<ImageF32> maps = Convolution.convolveBank(e, img, ks, p);
            for (int i = 0; i < ks.size(); i++) {
                assertBitsEqual(
                        maps.get(i),
                        ReferenceConvolution.convolve(img, ks.get(i), p),
                        e.name() + " bank map " + ks.get(i).name() + " " + p);
            }
        }
    }

    /**
     * The job's way: the default filters through a {@link FilterBank} on tiles (windows cut with
     * their halos, some as views), reassembled, against the reference of the whole image (and its
     * gradient magnitude for {@code sobel}). Runs on the active engine, as the job does.
     */
    @Property(tries = 150)
    void tilesOfRgb8ThroughAFilterBankEqualTheWholeImageReference(
            @ForAll @IntRange(min = 3, max = 80) int w,
            @ForAll @IntRange(min = 3, max = 60) int h,
            @ForAll @IntRange(min = 1, max = 40) int tile,
            @ForAll @IntRange(min = 1, max = 3) int stride,
            @ForAll boolean same,
            @ForAll long seed) {
        Random rnd = new Random(seed);
        ImageF32 img = image(rnd, w, h, 3, 255, false);
        ConvParams p = params(rnd, stride, same);
        List<Filter> filters = Filters.parseList("vertical,horizontal,sobel");
        TilePlan plan = TilePlan.forFilters(w, h, filters, p, tile, tile);
        FilterBank bank = new FilterBank(filters, p);
        List<MapAssembler> maps = new ArrayList<>();
        for (int i = 0; i < filters.size(); i++) {
            maps.add(MapAssembler.forPlan(plan, 1));
        }
        boolean views = rnd.nextBoolean();
        for (TileSpec t : plan.tiles()) {
            ImageF32 window =
                    views
                            ? Convolution.window(
                                    img,
                                    t.inX(),
                                    t.inY(),
                                    t.inW(),
                                    t.inH(),
                                    p.border(),
                                    p.borderConstant())
                            : plan.extract(img, t);
            List<FilterOutput> outs = bank.apply(window, t);
            for (int i = 0; i < filters.size(); i++) {
                maps.get(i).add(t, outs.get(i).map());
            }
        }
        for (int i = 0; i < filters.size(); i++) {
            Filter f = filters.get(i);
            ImageF32 expected;
            if (f instanceof LinearFilter lf) {
                expected = ReferenceConvolution.convolve(img, lf.kernel(), p);
            } else {
                GradientFilter g = (GradientFilter) f;
                ImageF32 gx = ReferenceConvolution.convolve(img, g.x(), p);
                ImageF32 gy = ReferenceConvolution.convolve(img, g.y(), p);
                expected = Gradient.magnitude(gx, gy);
            }
            assertBitsEqual(maps.get(i).result(), expected, f.name() + " tiled " + plan + " " + p);
        }
    }

    @Test
    void sixteenBitRgbAndRgbaWithScharrTakeThePathAndEqualTheReference() {
        Random rnd = new Random(5);
        for (int channels : new int[] {3, 4}) {
            ImageF32 img = image(rnd, 67, 41, channels, 65535, true);
            for (Kernel k : List.of(Kernels.SCHARR_X, Kernels.SOBEL_Y, Kernels.LAPLACIAN)) {
                ImageF32 expected = ReferenceConvolution.convolve(img, k, ConvParams.DEFAULT);
                for (ConvEngine e : Engines.all()) {
                    ImageF32 out = ImageF32.allocate(65, 39, 1);
                    assertThat(tryConv(e, img, k, out)).as("%s %d channels", k, channels).isTrue();
                    assertBitsEqual(out, expected, e.name() + " " + k + " " + channels);
                }
            }
        }
    }

    @Test
    void rgb8WithTheNamedKernelsTakesTheChannelSumPath() {
        ImageF32 img = image(new Random(3), 40, 30, 3, 255, false);
        for (Kernel k : NAMED) {
            for (ConvEngine e : Engines.all()) {
                ImageF32 out = ImageF32.allocate(38, 28, 1);
                assertThat(tryConv(e, img, k, out)).as(k.name()).isTrue();
                assertBitsEqual(
                        out,
                        ReferenceConvolution.convolve(img, k, ConvParams.DEFAULT),
                        e.name() + " " + k.name());
            }
        }
    }

    /**
     * Which 2-D kernels let 8-bit colour windows be convolved on their plane of channel sums made
     * from the bytes ({@code FilterBank.applyReusingMapsU8}): the named integer kernels on RGB and
     * RGBA; not one channel, not fractional weights, not a kernel with {@code Σ|w| · C · 255} at
     * 2^24 (the same bound as {@link ChannelSum#tryConv}); and the sums are exact.
     */
    @Test
    void eightBitColourWindowsSumTheirChannelsFromTheBytesWhereExact() {
        assertThat(Convolution.sumsChannelsOfU8Exactly(List.of(NAMED), 3)).isTrue();
        assertThat(Convolution.sumsChannelsOfU8Exactly(List.of(NAMED), 4)).isTrue();
        assertThat(Convolution.sumsChannelsOfU8Exactly(List.of(NAMED), 1)).isFalse();
        Kernel half = new Kernel("half", 1, 2, 1, new float[] {0.5f, 1f});
        assertThat(Convolution.sumsChannelsOfU8Exactly(List.of(Kernels.SOBEL_X, half), 3))
                .isFalse();
        // Σ|w| = 21931: 21931 * 3 * 255 = 16777215 < 2^24 passes; 21932 does not.
        Kernel edge = new Kernel("edge", 1, 2, 1, new float[] {21930f, -1f});
        Kernel over = new Kernel("over", 1, 2, 1, new float[] {21931f, -1f});
        assertThat(Convolution.sumsChannelsOfU8Exactly(List.of(edge), 3)).isTrue();
        assertThat(Convolution.sumsChannelsOfU8Exactly(List.of(over), 3)).isFalse();

        byte[] rgba = {(byte) 255, (byte) 255, (byte) 255, (byte) 255, 1, 2, 3, (byte) 200, 9};
        float[] sums = new float[4];
        java.util.Arrays.fill(sums, -1f);
        Convolution.sumChannelsU8(rgba, 1, 4, sums, 1, 2);
        assertThat(sums).containsExactly(-1f, 255 * 3 + 1, 2 + 3 + 200 + 9, -1f);
        float[] rgb = new float[3];
        Convolution.sumChannelsU8(rgba, 0, 3, rgb, 0, 3);
        assertThat(rgb).containsExactly(765f, 255 + 1 + 2, 3 + 200 + 9);
    }

    /**
     * The bound {@code Σ|w| · C · max|x| < 2^24}, at its edge: SOBEL_X ({@code Σ|w| = 8}) on RGB
     * ({@code C = 3}) takes the path with one sample of 699050 ({@code 24 · 699050 = 2^24 - 16})
     * and not with 699051 ({@code 2^24 + 8}), whatever its sign; the result equals the reference
     * either way.
     */
    @Test
    void theBoundIsCheckedAtItsEdge() {
        for (int sign : new int[] {1, -1}) {
            for (int sample : new int[] {699050, 699051}) {
                ImageF32 img = image(new Random(9), 9, 7, 3, 255, false);
                img.set(4, 3, 1, sign * sample);
                ImageF32 out = ImageF32.allocate(7, 5, 1);
                assertThat(tryConv(Convolution.scalarEngine(), img, Kernels.SOBEL_X, out))
                        .as("sample %d", sign * sample)
                        .isEqualTo(sample == 699050);
                ImageF32 expected =
                        ReferenceConvolution.convolve(img, Kernels.SOBEL_X, ConvParams.DEFAULT);
                for (ConvEngine e : Engines.all()) {
                    assertBitsEqual(
                            Convolution.convolve(e, img, Kernels.SOBEL_X, ConvParams.DEFAULT),
                            expected,
                            e.name() + " sample " + sign * sample);
                }
            }
        }
    }

    /**
     * {@link ConvEngine#integerMaxAbs} on every engine, at every position of a row (vector lanes
     * and scalar tail): the largest magnitude of integers below 2^22, and -1 as soon as one value
     * is a fraction, NaN, infinite or too large.
     */
    @Test
    void theIntegerTestFindsEveryNonIntegerAtEveryPosition() {
        float[] bad = {
            0.5f, -0.5f, 1e-30f, 255.99998f, Float.NaN, Float.POSITIVE_INFINITY, -0x1p22f, 0x1p23f
        };
        for (ConvEngine e : Engines.all()) {
            for (int n = 1; n <= 40; n++) {
                float[] row = new float[n + 2];
                for (int i = 0; i < row.length; i++) {
                    row[i] = (i * 37) % 256 - 128;
                }
                float max = 0;
                for (int i = 1; i <= n; i++) {
                    max = Math.max(max, Math.abs(row[i]));
                }
                assertThat(e.integerMaxAbs(row, 1, n)).as("%s n=%d", e.name(), n).isEqualTo(max);
                for (int at = 1; at <= n; at++) {
                    for (float v : bad) {
                        float[] r = row.clone();
                        r[at] = v;
                        assertThat(e.integerMaxAbs(r, 1, n))
                                .as("%s n=%d, %s at %d", e.name(), n, v, at)
                                .isEqualTo(-1f);
                    }
                    float[] r = row.clone();
                    r[at] = 0x1p22f - 1;
                    assertThat(e.integerMaxAbs(r, 1, n)).isEqualTo(0x1p22f - 1);
                    r[at] = -0f;
                    assertThat(e.integerMaxAbs(r, 1, n)).isGreaterThanOrEqualTo(0f);
                }
            }
        }
    }

    @Test
    void everyOtherPartOfTheConditionSendsTheWindowTheVolumeWay() {
        ImageF32 base = image(new Random(4), 12, 10, 3, 255, false);
        // Samples: a fraction, NaN, infinity, -0 (accepted: it is the integer 0).
        assertThat(withSample(base, 0.5f)).isFalse();
        assertThat(withSample(base, Float.NaN)).isFalse();
        assertThat(withSample(base, Float.POSITIVE_INFINITY)).isFalse();
        assertThat(withSample(base, 0x1p22f)).isFalse();
        assertThat(withSample(base, -0f)).isTrue();
        // Weights: a fraction, or channels that differ.
        ImageF32 out = ImageF32.allocate(10, 8, 1);
        Kernel half = new Kernel("half", 1, 1, 1, new float[] {0.5f});
        assertThat(ChannelSum.plane(half.toVolume(3), 3)).isNull();
        float[] w = Kernels.SOBEL_X.toVolume(3).weights();
        w[4] = 7; // channel 1 of tap 1
        Kernel mixed = new Kernel("mixed", 3, 3, 3, w);
        assertThat(ChannelSum.plane(mixed, 3)).isNull();
        assertThat(
                        ChannelSum.tryConv(
                                Convolution.scalarEngine(),
                                base,
                                new Kernel[] {mixed},
                                1,
                                new ConvOutput[] {ConvOutput.channel(out, 0)}))
                .isFalse();
        // A one-channel window needs no sum.
        ImageF32 grey = image(new Random(4), 12, 10, 1, 255, false);
        assertThat(tryConv(Convolution.scalarEngine(), grey, Kernels.SOBEL_X, out)).isFalse();
        // -0 and +0 weights differ in bits: treated as different weights (the volume way).
        float[] z = Kernels.SOBEL_X.toVolume(3).weights();
        z[3] = -0f; // tap 1 (weight 0), channel 0
        assertThat(ChannelSum.plane(new Kernel("z", 3, 3, 3, z), 3)).isNull();
    }

    /** Whether SOBEL_X takes the channel-sum path on {@code base} with one sample replaced. */
    private static boolean withSample(ImageF32 base, float v) {
        ImageF32 img = base.compact();
        img.set(5, 5, 1, v);
        ImageF32 out = ImageF32.allocate(10, 8, 1);
        boolean taken = tryConv(Convolution.scalarEngine(), img, Kernels.SOBEL_X, out);
        if (taken) {
            assertBitsEqual(
                    out,
                    ReferenceConvolution.convolve(img, Kernels.SOBEL_X, ConvParams.DEFAULT),
                    "sample " + v);
        }
        return taken;
    }

    private static boolean tryConv(ConvEngine e, ImageF32 img, Kernel k, ImageF32 out) {
        return ChannelSum.tryConv(
                e,
                img,
                new Kernel[] {k.toVolume(img.channels)},
                1,
                new ConvOutput[] {ConvOutput.channel(out, 0)});
    }
}
