package io.edgestream.imaging.tile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.imaging.conv.BorderMode;
import io.edgestream.imaging.conv.ColorMode;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.conv.Padding;
import io.edgestream.imaging.decode.DecodedImage;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.FilterBank;
import io.edgestream.imaging.filter.LinearFilter;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.image.ImageU16;
import io.edgestream.imaging.image.ImageU8;
import io.edgestream.imaging.tile.TileCases.Geometry;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link TilePlan#extract(DecodedImage, TileSpec)} cuts windows straight from the decoded samples,
 * and must give, bit for bit, what the whole-image path gives: {@code
 * plan.extract(bank.prepare(decoded.toF32()), tile)}. Checked over depths 8, 16 and 32 (float, NaN
 * payloads, infinities and signed zeros included), 1 to 4 channels, images that are views into a
 * larger buffer, every padding and border mode (CONSTANT with a random constant), strides, colour
 * modes with random grey weights, and tile sizes.
 */
class ExtractDecodedTest {

    @Property(tries = 1500)
    void windowsFromDecodedSamplesAreBitIdenticalToTheFloatImagePath(
            @ForAll @IntRange(min = 1, max = 40) int width,
            @ForAll @IntRange(min = 1, max = 40) int height,
            @ForAll @IntRange(min = 0, max = 2) int depthIndex,
            @ForAll @IntRange(min = 1, max = 4) int channels,
            @ForAll boolean view,
            @ForAll("tiles") Geometry g,
            @ForAll boolean customWeights,
            @ForAll long seed) {
        Random rnd = new Random(seed);
        int depth = new int[] {8, 16, 32}[depthIndex];
        DecodedImage decoded = decoded(rnd, width, height, depth, channels, view);
        int c = decoded.channels();
        float[] weights = ConvParams.BT601;
        if (customWeights) {
            // Mostly a valid count (c, or 3 for RGBA); sometimes not, which both paths refuse.
            int n =
                    rnd.nextInt(5) == 0
                            ? 1 + rnd.nextInt(4)
                            : (c == 4 && rnd.nextBoolean() ? 3 : c);
            weights = new float[n];
            for (int i = 0; i < n; i++) {
                weights[i] = rnd.nextFloat() * 2f - 0.5f;
            }
        }
        ConvParams p = g.params(rnd.nextFloat() * 70000f - 100f).withGreyWeights(weights);
        Filter f =
                new LinearFilter("k", TileCases.kernel(rnd, "k", g.kernelRows(), g.kernelCols()));
        TilePlan plan = g.plan(width, height, List.of(f), p);
        FilterBank bank = new FilterBank(List.of(f), p);

        ImageF32 prepared;
        try {
            prepared = bank.prepare(decoded.toF32());
        } catch (IllegalArgumentException refused) {
            // Grey weights that do not fit the channels: the new path refuses them too.
            for (TileSpec t : plan.tiles()) {
                assertThatThrownBy(() -> plan.extract(decoded, t))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage(refused.getMessage());
            }
            return;
        }
        long largest = 0;
        for (TileSpec t : plan.tiles()) {
            ImageF32 expected = plan.extract(prepared, t);
            ImageF32 actual = plan.extract(decoded, t);
            assertThat(actual.width).isEqualTo(expected.width);
            assertThat(actual.height).isEqualTo(expected.height);
            assertThat(actual.channels).isEqualTo(expected.channels);
            assertThat(actual.isCompact()).isTrue();
            int diff = TileCases.firstBitDifference(expected, actual);
            assertThat(diff).as("first differing value of tile %s", t).isEqualTo(-1);
            largest = Math.max(largest, 4L * actual.data.length);
        }
        assertThat(plan.maxWindowBytes(c)).isEqualTo(largest);
    }

    @Provide
    Arbitrary<Geometry> tiles() {
        return TileCases.geometries(1, 25);
    }

    /** A decoded image of the given depth; a view into a larger buffer when {@code view}. */
    static DecodedImage decoded(Random rnd, int w, int h, int depth, int channels, boolean view) {
        int c =
                depth == 8
                        ? (channels == 2 ? 1 : channels)
                        : depth == 16 ? (channels == 1 ? 1 : 3) : channels;
        int padX = view ? 1 + rnd.nextInt(3) : 0;
        int padY = view ? rnd.nextInt(3) : 0;
        int stride = (w + padX * 2) * c;
        int offset = padY * stride + padX * c;
        int n = stride * (h + 2 * padY);
        switch (depth) {
            case 8 -> {
                byte[] data = new byte[n];
                rnd.nextBytes(data);
                return DecodedImage.ofU8(new ImageU8(data, w, h, c, stride, offset));
            }
            case 16 -> {
                short[] data = new short[n];
                for (int i = 0; i < n; i++) {
                    data[i] = (short) rnd.nextInt(65536);
                }
                return DecodedImage.ofU16(new ImageU16(data, w, h, c, stride, offset));
            }
            default -> {
                float[] data = new float[n];
                for (int i = 0; i < n; i++) {
                    data[i] = floatSample(rnd);
                }
                return DecodedImage.ofF32(new ImageF32(data, w, h, c, stride, offset));
            }
        }
    }

    private static float floatSample(Random rnd) {
        return switch (rnd.nextInt(20)) {
            case 0 -> Float.intBitsToFloat(0x7FC00000 | rnd.nextInt(1 << 22)); // NaN payloads
            case 1 -> rnd.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
            case 2 -> -0f;
            case 3 -> Float.MIN_VALUE * rnd.nextInt(1000); // subnormal
            default -> (rnd.nextFloat() - 0.3f) * 1000f;
        };
    }

    /**
     * One window costs one window: cutting a 64x64 tile from a 2000x1500 16-bit RGB image allocates
     * about the tile's floats, where the whole-image path allocates 36 MB of floats first.
     */
    @Test
    void aWindowCostsAWindowNotAFloatImage() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Random rnd = new Random(7);
        DecodedImage img = decoded(rnd, 2000, 1500, 16, 3, false);
        Filter f = new LinearFilter("k", TileCases.kernel(rnd, "k", 3, 3));
        for (ColorMode mode : ColorMode.values()) {
            ConvParams p =
                    ConvParams.DEFAULT
                            .withPadding(Padding.SAME)
                            .withBorder(BorderMode.REFLECT_101, 0f)
                            .withColorMode(mode);
            TilePlan plan = TilePlan.forFilters(2000, 1500, List.of(f), p, 64, 64);
            TileSpec corner = plan.tile(0);
            plan.extract(img, corner);
            long before = threads.getCurrentThreadAllocatedBytes();
            ImageF32 w = plan.extract(img, corner);
            long used = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(w.width).isEqualTo(66);
            assertThat(plan.maxWindowBytes(3))
                    .isEqualTo(66L * 66 * (mode == ColorMode.GREY ? 1 : 3) * 4);
            assertThat(used).as(mode.toString()).isLessThan(plan.maxWindowBytes(3) + 4096);
        }
    }

    @Test
    void refusesAnImageOfAnotherSize() {
        Random rnd = new Random(1);
        Filter f = new LinearFilter("k", TileCases.kernel(rnd, "k", 3, 3));
        TilePlan plan = TilePlan.forFilters(10, 10, List.of(f), ConvParams.DEFAULT, 4, 4);
        DecodedImage img = decoded(rnd, 11, 10, 8, 1, false);
        assertThatThrownBy(() -> plan.extract(img, plan.tile(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("11x10");
    }
}
