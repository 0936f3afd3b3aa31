package io.edgestream.imaging.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.imaging.conv.BorderMode;
import io.edgestream.imaging.conv.ColorMode;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.conv.Convolution;
import io.edgestream.imaging.conv.Padding;
import io.edgestream.imaging.conv.ReferenceConvolution;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.kernel.Kernel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResponseRangeTest {

    private static final ConvParams VALID = ConvParams.DEFAULT;

    @Test
    void rangesOfTheNamedFiltersOn8BitInput() {
        assertThat(ResponseRange.of(Filters.parse("sobel_x"), VALID, 1, 0, 255))
                .containsExactly(-1020, 1020);
        assertThat(ResponseRange.of(Filters.parse("laplacian"), VALID, 1, 0, 255))
                .containsExactly(-1020, 1020);
        // VOLUME sums the channels; PER_CHANNEL does not.
        assertThat(ResponseRange.of(Filters.parse("sobel_x"), VALID, 3, 0, 255))
                .containsExactly(-3060, 3060);
        assertThat(
                        ResponseRange.of(
                                Filters.parse("sobel_x"),
                                VALID.withColorMode(ColorMode.PER_CHANNEL),
                                3,
                                0,
                                255))
                .containsExactly(-1020, 1020);
        assertThat(ResponseRange.of(Filters.parse("sobel_x"), VALID, 4, 0, 255))
                .containsExactly(-4080, 4080);
        assertThat(
                        ResponseRange.of(
                                Filters.parse(
                                        "box5=1,1,1,1,1;1,1,1,1,1;1,1,1,1,1;1,1,1,1,1;1,1,1,1,1"),
                                VALID,
                                1,
                                0,
                                255))
                .containsExactly(0, 6375);
        assertThat(ResponseRange.of(Filters.parse("sobel"), VALID, 1, 0, 255))
                .containsExactly(0, Math.sqrt(2) * 1020);
        // A border constant outside the image's range widens what the kernel sees.
        ConvParams same300 = VALID.withPadding(Padding.SAME).withBorder(BorderMode.CONSTANT, 300);
        assertThat(ResponseRange.seenByKernel(same300, 1, 0, 255)).containsExactly(0, 300);
        assertThat(ResponseRange.of(Filters.parse("sobel_x"), same300, 1, 0, 255))
                .containsExactly(-1200, 1200);
    }

    @Test
    void whyNotIntegerNamesTheReason() {
        assertThat(ResponseRange.whyNotInteger(Filters.parse("sobel_x"), VALID)).isNull();
        assertThat(ResponseRange.whyNotInteger(Filters.parse("sobel"), VALID))
                .contains("'sobel' is a gradient magnitude");
        assertThat(ResponseRange.whyNotInteger(Filters.parse("blur=0.25,0.5,0.25"), VALID))
                .contains("'blur' has the non-integer weight 0.25 (row 1, column 1)");
        assertThat(
                        ResponseRange.whyNotInteger(
                                Filters.parse("vertical"), VALID.withColorMode(ColorMode.GREY)))
                .contains("color.mode GREY");
        ConvParams sameHalf = VALID.withPadding(Padding.SAME).withBorder(BorderMode.CONSTANT, 0.5f);
        assertThat(ResponseRange.whyNotInteger(Filters.parse("vertical"), sameHalf))
                .contains("border.constant 0.5 is not an integer");
        // The constant only matters where SAME padding shows it.
        assertThat(
                        ResponseRange.whyNotInteger(
                                Filters.parse("vertical"),
                                VALID.withBorder(BorderMode.CONSTANT, 0.5f)))
                .isNull();
    }

    @Test
    void exactIntegerRangeNeedsEveryPartialSumBelow2To24() {
        assertThat(ResponseRange.exactIntegerRange(Filters.parse("sobel_x"), VALID, 1, 255))
                .containsExactly(-1020, 1020);
        assertThat(ResponseRange.exactIntegerRange(Filters.parse("sobel_x"), VALID, 3, 65535))
                .containsExactly(-786420, 786420);
        assertThat(ResponseRange.exactIntegerRange(Filters.parse("sobel"), VALID, 1, 255)).isNull();
        // sum|w| = 257: 257 * 65535 = 16842495 > 2^24, though the range is only [0, 65535].
        Filter wide = Filters.parse("wide=129,-128");
        assertThat(ResponseRange.exactIntegerRange(wide, VALID, 1, 255)).isNotNull();
        assertThat(ResponseRange.exactIntegerRange(wide, VALID, 1, 65535)).isNull();
    }

    /**
     * The rule behind INT16 maps: wherever {@link ResponseRange#exactIntegerRange} gives a range,
     * the core's float32 result equals the naive double-precision reference (exact for these
     * integers) and every sample is an integer inside the range. Random integer kernels, 8- and
     * 16-bit samples at their extremes, both paddings, every border mode, strides 1 and 2, VOLUME
     * and PER_CHANNEL, single kernels and banks.
     */
    @Test
    void theCoreGivesTheExactIntegerInsideTheProvenRange() {
        Random rnd = new Random(42);
        int proven = 0;
        for (int round = 0; round < 400; round++) {
            int maxSample = rnd.nextBoolean() ? 255 : 65535;
            int channels = new int[] {1, 3, 4}[rnd.nextInt(3)];
            int kr = 1 + rnd.nextInt(5);
            int kc = 1 + rnd.nextInt(5);
            int limit = maxSample == 255 ? 40 : 3;
            List<Kernel> kernels = new ArrayList<>();
            for (int k = 0; k < 1 + rnd.nextInt(3); k++) {
                kernels.add(randomKernel("k" + k, kr, kc, limit, rnd));
            }
            BorderMode border = BorderMode.values()[rnd.nextInt(BorderMode.values().length)];
            ConvParams p =
                    VALID.withPadding(rnd.nextBoolean() ? Padding.SAME : Padding.VALID)
                            .withBorder(border, rnd.nextInt(2 * maxSample) - maxSample / 2)
                            .withStride(1 + rnd.nextInt(2))
                            .withColorMode(
                                    rnd.nextBoolean() ? ColorMode.VOLUME : ColorMode.PER_CHANNEL);
            ImageF32 image =
                    extremeImage(
                            kr + rnd.nextInt(12), kc + rnd.nextInt(12), channels, maxSample, rnd);
            List<ImageF32> bank = Convolution.convolveBank(image, kernels, p);
            for (int k = 0; k < kernels.size(); k++) {
                LinearFilter f = new LinearFilter(kernels.get(k).name(), kernels.get(k));
                double[] range = ResponseRange.exactIntegerRange(f, p, channels, maxSample);
                if (range == null) {
                    continue;
                }
                proven++;
                ImageF32 expected = ReferenceConvolution.convolve(image, f.kernel(), p);
                ImageF32 single = Convolution.convolve(image, f.kernel(), p);
                String what = f.kernel() + " " + p + " on " + channels + "x" + maxSample;
                assertThat(single.contentEquals(expected)).as("convolve " + what).isTrue();
                assertThat(bank.get(k).contentEquals(expected)).as("bank " + what).isTrue();
                for (float v : single.compact().data) {
                    assertThat(v).as(what).isEqualTo((float) Math.rint(v));
                    assertThat((double) v).as(what).isBetween(range[0], range[1]);
                }
            }
        }
        assertThat(proven).as("cases with a proven range").isGreaterThan(300);
    }

    private static Kernel randomKernel(String name, int rows, int cols, int limit, Random rnd) {
        float[][] m = new float[rows][cols];
        for (float[] row : m) {
            for (int c = 0; c < cols; c++) {
                row[c] = rnd.nextInt(2 * limit + 1) - limit;
            }
        }
        return Kernel.of(name, m);
    }

    /** Samples mostly at 0 or {@code max}, which drive the response to the range's ends. */
    private static ImageF32 extremeImage(int h, int w, int channels, int max, Random rnd) {
        float[] d = new float[w * h * channels];
        for (int i = 0; i < d.length; i++) {
            int r = rnd.nextInt(5);
            d[i] = r < 2 ? 0 : r < 4 ? max : rnd.nextInt(max + 1);
        }
        return ImageF32.wrap(d, w, h, channels);
    }
}
