package io.edgestream.imaging.conv;

import static io.edgestream.imaging.conv.Golden.EXAMPLE1_IMAGE;
import static io.edgestream.imaging.conv.Golden.EXAMPLE1_OUTPUT;
import static io.edgestream.imaging.conv.Golden.EXAMPLE2_IMAGE;
import static io.edgestream.imaging.conv.Golden.EXAMPLE2_OUTPUT;
import static io.edgestream.imaging.conv.Golden.image;
import static io.edgestream.imaging.conv.Golden.mirror;
import static io.edgestream.imaging.conv.Golden.rows;
import static io.edgestream.imaging.conv.Golden.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.kernel.Kernel;
import io.edgestream.imaging.kernel.Kernels;
import io.edgestream.imaging.simd.ExpectedEngine;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Hand-computed cases for padding, border modes, stride, kernel shapes, colour and banks. */
class ConvolutionTest {

    private static final ConvParams VALID = ConvParams.DEFAULT;
    private static final ConvParams SAME = ConvParams.DEFAULT.withPadding(Padding.SAME);

    /** Three planes stacked as an HWC image. */
    private static ImageF32 rgb(float[][] r, float[][] g, float[][] b) {
        int h = r.length;
        int w = r[0].length;
        ImageF32 img = ImageF32.allocate(w, h, 3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.set(x, y, 0, r[y][x]);
                img.set(x, y, 1, g[y][x]);
                img.set(x, y, 2, b[y][x]);
            }
        }
        return img;
    }

    private static float[][] channel(ImageF32 img, int c) {
        float[][] out = new float[img.height][img.width];
        for (int y = 0; y < img.height; y++) {
            for (int x = 0; x < img.width; x++) {
                out[y][x] = img.get(x, y, c);
            }
        }
        return out;
    }

    private static float[][] add(float[][] a, float[][] b) {
        float[][] out = new float[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                out[i][j] = a[i][j] + b[i][j];
            }
        }
        return out;
    }

    @Test
    void colourVolume6x6x3With3x3x3FilterGivesOne4x4Map() {
        // R = example 1, G = example 2, B = noise with a zero filter slice.
        float[][] noise = new float[6][6];
        Random rnd = new Random(7);
        for (float[] row : noise) {
            for (int i = 0; i < 6; i++) {
                row[i] = rnd.nextInt(100);
            }
        }
        float[] w = new float[27];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                float v = Kernels.VERTICAL.weight(r, c, 0);
                w[(r * 3 + c) * 3] = v; // R
                w[(r * 3 + c) * 3 + 1] = v; // G
                w[(r * 3 + c) * 3 + 2] = 0; // B
            }
        }
        Kernel volume = new Kernel("vertical3", 3, 3, 3, w);
        ImageF32 out =
                Convolution.convolve(rgb(EXAMPLE1_IMAGE, EXAMPLE2_IMAGE, noise), volume, VALID);
        assertThat(out.width).isEqualTo(4);
        assertThat(out.height).isEqualTo(4);
        assertThat(out.channels).isEqualTo(1);
        assertThat(rows(out)).isEqualTo(add(EXAMPLE1_OUTPUT, EXAMPLE2_OUTPUT));
    }

    @Test
    void volumeModeRepeatsA2dKernelOverChannels() {
        ImageF32 img = rgb(EXAMPLE1_IMAGE, EXAMPLE2_IMAGE, mirror(EXAMPLE2_IMAGE));
        // Example 2 and its mirror cancel, leaving example 1.
        assertThat(rows(Convolution.convolve(img, Kernels.VERTICAL, VALID)))
                .isEqualTo(EXAMPLE1_OUTPUT);
    }

    @Test
    void perChannelModeGivesOneMapPerChannel() {
        ImageF32 img = rgb(EXAMPLE1_IMAGE, EXAMPLE2_IMAGE, mirror(EXAMPLE2_IMAGE));
        ImageF32 out =
                Convolution.convolve(
                        img, Kernels.VERTICAL, VALID.withColorMode(ColorMode.PER_CHANNEL));
        assertThat(out.channels).isEqualTo(3);
        assertThat(channel(out, 0)).isEqualTo(EXAMPLE1_OUTPUT);
        assertThat(channel(out, 1)).isEqualTo(EXAMPLE2_OUTPUT);
        assertThat(channel(out, 2)).isEqualTo(scaled(EXAMPLE2_OUTPUT, -1));
    }

    @Test
    void greyModeUsesTheStatedWeightsAndIgnoresAlpha() {
        Kernel two = Kernel.of("two", new float[][] {{2}});
        ConvParams grey = VALID.withColorMode(ColorMode.GREY);
        ImageF32 rgb = ImageF32.allocate(2, 2, 3);
        ImageF32 rgba = ImageF32.allocate(2, 2, 4);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                rgb.set(x, y, 0, 100);
                rgb.set(x, y, 1, 50);
                rgb.set(x, y, 2, 10);
                rgba.set(x, y, 0, 100);
                rgba.set(x, y, 1, 50);
                rgba.set(x, y, 2, 10);
                rgba.set(x, y, 3, 255);
            }
        }
        // BT.601: 0.299*100 + 0.587*50 + 0.114*10 = 60.39
        ImageF32 out = Convolution.convolve(rgb, two, grey);
        assertThat(out.channels).isEqualTo(1);
        assertThat(out.get(1, 1)).isCloseTo(120.78f, within(1e-4f));
        assertThat(Convolution.convolve(rgba, two, grey).contentEquals(out)).isTrue();
        ImageF32 bt709 = Convolution.convolve(rgb, two, grey.withGreyWeights(ConvParams.BT709));
        // 0.2125*100 + 0.7154*50 + 0.0721*10 = 57.741
        assertThat(bt709.get(0, 0)).isCloseTo(115.482f, within(1e-4f));
        ImageF32 single = image(EXAMPLE1_IMAGE);
        assertThat(Convolution.toGrey(single, ConvParams.BT601)).isSameAs(single);
        assertThatThrownBy(() -> Convolution.toGrey(rgba, new float[] {0.5f, 0.5f}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "grey conversion of a 4-channel image needs 4 weights (or 3 for RGB,"
                                + " ignoring alpha), got 2");
        assertThatThrownBy(() -> Convolution.toGrey(rgb, new float[] {1f, 0f, 0f, 0f}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("grey conversion of a 3-channel image needs 3 weights, got 4");
    }

    @Test
    void aValidWindowNeedsAKernelOfItsChannelCount() {
        ImageF32 window = ImageF32.allocate(4, 4, 3);
        ImageF32 out = ImageF32.allocate(2, 2, 1);
        assertThatThrownBy(() -> Convolution.validInto(window, Kernels.SOBEL_X, 1, out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "kernel 'sobel_x' has depth 1 but the window has 3 channels; use"
                                + " Kernel.toVolume(3) for a colour volume or validPerChannelInto"
                                + " for per-channel maps");
        assertThatThrownBy(
                        () ->
                                Convolution.validBankInto(
                                        window, List.of(Kernels.SOBEL_X), 1, List.of(out)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "kernel 'sobel_x' has depth 1 but the window has 3 channels; use"
                                + " Kernel.toVolume(3)");
    }

    @Test
    void mismatchedDepthsAreRejectedWithAClearMessage() {
        ImageF32 img = rgb(EXAMPLE1_IMAGE, EXAMPLE1_IMAGE, EXAMPLE1_IMAGE);
        Kernel depth2 = new Kernel("d2", 1, 1, 2, new float[] {1, 1});
        assertThatThrownBy(() -> Convolution.convolve(img, depth2, VALID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("depth 2")
                .hasMessageContaining("3 channel");
        Kernel depth3 = Kernels.VERTICAL.toVolume(3);
        assertThatThrownBy(
                        () ->
                                Convolution.convolve(
                                        img, depth3, VALID.withColorMode(ColorMode.PER_CHANNEL)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("depth 3");
        assertThatThrownBy(
                        () ->
                                Convolution.convolve(
                                        ImageF32.allocate(4, 4, 2),
                                        Kernels.VERTICAL,
                                        VALID.withColorMode(ColorMode.GREY)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 weights");
        assertThatThrownBy(
                        () ->
                                Convolution.validInto(
                                        image(EXAMPLE1_IMAGE),
                                        Kernels.VERTICAL,
                                        1,
                                        ImageF32.allocate(3, 4, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gives 4x4x1");
    }

    // ---- padding and border modes ------------------------------------------------------------

    private static final float[][] ROW = {{1, 2, 3, 4}}; // a b c d

    /** A 1x7 kernel that picks its left-most (or right-most) pixel: out[x] = ext(x -/+ 3). */
    private static Kernel pick(int index, int len, boolean horizontal) {
        float[][] m = horizontal ? new float[1][len] : new float[len][1];
        if (horizontal) {
            m[0][index] = 1;
        } else {
            m[index][0] = 1;
        }
        return Kernel.of("pick" + index, m);
    }

    static float[][] sameWithBorder(float[][] img, Kernel k, BorderMode b, float constant) {
        return rows(Convolution.convolve(image(img), k, SAME.withBorder(b, constant)));
    }

    @ParameterizedTest
    @EnumSource(BorderMode.class)
    void borderModesExtendBothSidesOfARowAndAColumn(BorderMode b) {
        float[] left; // ext(-3), ext(-2), ext(-1), ext(0)
        float[] right; // ext(3), ext(4), ext(5), ext(6)
        switch (b) {
            case ZERO -> {
                left = new float[] {0, 0, 0, 1};
                right = new float[] {4, 0, 0, 0};
            }
            case CONSTANT -> {
                left = new float[] {9, 9, 9, 1};
                right = new float[] {4, 9, 9, 9};
            }
            case REPLICATE -> {
                left = new float[] {1, 1, 1, 1};
                right = new float[] {4, 4, 4, 4};
            }
            case REFLECT -> { // cba|abcd|dcb
                left = new float[] {3, 2, 1, 1};
                right = new float[] {4, 4, 3, 2};
            }
            case REFLECT_101 -> { // dcb|abcd|cba
                left = new float[] {4, 3, 2, 1};
                right = new float[] {4, 3, 2, 1};
            }
            case WRAP -> { // bcd|abcd|abc
                left = new float[] {2, 3, 4, 1};
                right = new float[] {4, 1, 2, 3};
            }
            default -> throw new AssertionError(b);
        }
        assertThat(sameWithBorder(ROW, pick(0, 7, true), b, 9)).isEqualTo(new float[][] {left});
        assertThat(sameWithBorder(ROW, pick(6, 7, true), b, 9)).isEqualTo(new float[][] {right});
        float[][] column = Golden.transpose(ROW);
        assertThat(sameWithBorder(column, pick(0, 7, false), b, 9))
                .isEqualTo(Golden.transpose(new float[][] {left}));
        assertThat(sameWithBorder(column, pick(6, 7, false), b, 9))
                .isEqualTo(Golden.transpose(new float[][] {right}));
    }

    @Test
    void sameZeroLaplacianOnAFlatImageShowsTheBorder() {
        float[][] ones = {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}};
        assertThat(sameWithBorder(ones, Kernels.LAPLACIAN, BorderMode.ZERO, 0))
                .isEqualTo(new float[][] {{-2, -1, -2}, {-1, 0, -1}, {-2, -1, -2}});
        assertThat(sameWithBorder(ones, Kernels.LAPLACIAN, BorderMode.REPLICATE, 0))
                .isEqualTo(new float[3][3]);
        assertThat(sameWithBorder(ones, Kernels.LAPLACIAN, BorderMode.CONSTANT, 1))
                .isEqualTo(new float[3][3]);
    }

    @Test
    void sameKeepsTheSizeAndMatchesValidInTheInterior() {
        float[][] out = sameWithBorder(EXAMPLE1_IMAGE, Kernels.VERTICAL, BorderMode.ZERO, 0);
        assertThat(out.length).isEqualTo(6);
        assertThat(out[0].length).isEqualTo(6);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                assertThat(out[y + 1][x + 1]).isEqualTo(EXAMPLE1_OUTPUT[y][x]);
            }
        }
        // Top-left under ZERO: left column all zeros, right column (0 + 0 + 5) -> -5.
        assertThat(out[0][0]).isEqualTo(-5f);
        // Bottom-right: left column a[4][4] + a[5][4] + 0 = 2 + 3, right column zeros.
        assertThat(out[5][5]).isEqualTo(5f);
    }

    // ---- stride ------------------------------------------------------------------------------

    @Test
    void stride2And3SubsampleTheValidOutput() {
        ImageF32 img = image(EXAMPLE1_IMAGE);
        assertThat(rows(Convolution.convolve(img, Kernels.VERTICAL, VALID.withStride(2))))
                .isEqualTo(new float[][] {{-5, 0}, {0, -4}});
        assertThat(rows(Convolution.convolve(img, Kernels.VERTICAL, VALID.withStride(3))))
                .isEqualTo(new float[][] {{-5, 8}, {-3, -16}});
    }

    @Test
    void sameWithStrideGivesCeilSizes() {
        ImageF32 img = image(EXAMPLE1_IMAGE);
        float[][] full =
                sameWithBorder(EXAMPLE1_IMAGE, Kernels.VERTICAL, BorderMode.REFLECT_101, 0);
        for (int s = 2; s <= 3; s++) {
            ImageF32 out =
                    Convolution.convolve(
                            img,
                            Kernels.VERTICAL,
                            SAME.withBorder(BorderMode.REFLECT_101, 0).withStride(s));
            assertThat(out.width).isEqualTo((6 + s - 1) / s);
            for (int y = 0; y < out.height; y++) {
                for (int x = 0; x < out.width; x++) {
                    assertThat(out.get(x, y)).isEqualTo(full[y * s][x * s]);
                }
            }
        }
    }

    // ---- kernel shapes -----------------------------------------------------------------------

    private static final float[][] NINE = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
    private static final Kernel EVEN = Kernel.of("even", new float[][] {{1, 2}, {3, 4}});

    @Test
    void validWithNonSquareAndEvenKernels() {
        Kernel diff = Kernel.of("diff", new float[][] {{1, -1}});
        float[][] out = rows(Convolution.convolve(image(EXAMPLE1_IMAGE), diff, VALID));
        assertThat(out.length).isEqualTo(6);
        assertThat(out[0]).containsExactly(3, -1, -1, -5, 3);
        assertThat(rows(Convolution.convolve(image(NINE), EVEN, VALID)))
                .isEqualTo(new float[][] {{37, 47}, {67, 77}});
        Kernel tall = Kernel.of("tall", new float[][] {{1}, {0}, {-1}});
        assertThat(rows(Convolution.convolve(image(NINE), tall, VALID)))
                .isEqualTo(new float[][] {{-6, -6, -6}});
    }

    @Test
    void sameWithAnEvenKernelPutsTheExtraPixelRightAndBottom() {
        assertThat(sameWithBorder(NINE, EVEN, BorderMode.ZERO, 0))
                .isEqualTo(new float[][] {{37, 47, 21}, {67, 77, 33}, {23, 26, 9}});
    }

    @Test
    void kernelLargerThanTheImageGivesAnEmptyValidOutput() {
        ImageF32 out = Convolution.convolve(image(NINE), Kernel.of("big", new float[4][4]), VALID);
        assertThat(out.width).isZero();
        assertThat(out.height).isZero();
    }

    // ---- engine selection --------------------------------------------------------------------

    @Test
    void theEngineThisSurefireExecutionExpectsIsActive() {
        // Runs in both executions: vector in the default one (fails if --add-modules went missing
        // or VectorEngine threw while loading), scalar in scalar-fallback.
        ExpectedEngine.assertSelected(
                "Convolution",
                Convolution.implementation(),
                Convolution.vectorEngine(),
                Convolution.implementationReason());
        assertThat(Convolution.engine().name()).isEqualTo(Convolution.implementation());
        assertThat(Engines.all())
                .hasSize(ExpectedEngine.expected() == ExpectedEngine.Kind.VECTOR ? 2 : 1);
    }

    // ---- filter banks ------------------------------------------------------------------------

    @Test
    void bankResultsAreBitIdenticalToSeparateConvolutions() {
        Random rnd = new Random(3);
        ImageF32 img = ImageF32.allocate(57, 31, 3);
        for (int i = 0; i < img.data.length; i++) {
            img.data[i] = rnd.nextFloat() * 255;
        }
        List<Kernel> bank =
                List.of(Kernels.VERTICAL, Kernels.HORIZONTAL, Kernels.SOBEL_X, Kernels.LAPLACIAN);
        for (ConvEngine e : Engines.all()) {
            for (ColorMode mode : ColorMode.values()) {
                for (int stride = 1; stride <= 2; stride++) {
                    ConvParams p =
                            SAME.withBorder(BorderMode.REFLECT, 0)
                                    .withColorMode(mode)
                                    .withStride(stride);
                    List<ImageF32> maps = Convolution.convolveBank(e, img, bank, p);
                    assertThat(maps).hasSize(4);
                    for (int i = 0; i < bank.size(); i++) {
                        ImageF32 one = Convolution.convolve(e, img, bank.get(i), p);
                        assertThat(maps.get(i).contentEquals(one))
                                .as(
                                        "%s %s %s stride %d",
                                        e.name(), mode, bank.get(i).name(), stride)
                                .isTrue();
                    }
                }
            }
        }
    }

    @Test
    void bankWithMixedSizesStillWorks() {
        List<ImageF32> maps =
                Convolution.convolveBank(
                        image(EXAMPLE1_IMAGE), List.of(Kernels.VERTICAL, EVEN), VALID);
        assertThat(rows(maps.get(0))).isEqualTo(EXAMPLE1_OUTPUT);
        assertThat(maps.get(1).width).isEqualTo(5);
    }

    // ---- windows -----------------------------------------------------------------------------

    @Test
    void windowInsideIsAViewAndOutsideIsABorderedCopy() {
        ImageF32 img = image(NINE);
        ImageF32 inside = Convolution.window(img, 1, 1, 2, 2, BorderMode.ZERO, 0);
        assertThat(inside.data).isSameAs(img.data);
        assertThat(rows(inside)).isEqualTo(new float[][] {{5, 6}, {8, 9}});
        ImageF32 around = Convolution.window(img, -1, -1, 5, 5, BorderMode.REPLICATE, 0);
        assertThat(around.data).isNotSameAs(img.data);
        assertThat(rows(around))
                .isEqualTo(
                        new float[][] {
                            {1, 1, 2, 3, 3},
                            {1, 1, 2, 3, 3},
                            {4, 4, 5, 6, 6},
                            {7, 7, 8, 9, 9},
                            {7, 7, 8, 9, 9}
                        });
        ImageF32 constant = Convolution.window(img, 2, -1, 2, 2, BorderMode.CONSTANT, -1);
        assertThat(rows(constant)).isEqualTo(new float[][] {{-1, -1}, {3, -1}});
        ImageF32 far = Convolution.window(img, 5, 5, 2, 1, BorderMode.WRAP, 0);
        assertThat(rows(far)).isEqualTo(new float[][] {{9, 7}});
    }
}
