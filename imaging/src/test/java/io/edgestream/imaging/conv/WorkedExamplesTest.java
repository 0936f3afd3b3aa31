package io.edgestream.imaging.conv;

import static io.edgestream.imaging.conv.Golden.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.imaging.kernel.Kernels;
import org.junit.jupiter.api.Test;

/** The three worked examples of docs/convolution.md, exactly, on every available path. */
class WorkedExamplesTest {

    @Test
    void example1VerticalEdgeOnA6x6GreyImage() {
        float[][] out = convolveValid(EXAMPLE1_IMAGE, Kernels.VERTICAL);
        assertThat(out).isEqualTo(EXAMPLE1_OUTPUT);
        assertThat(out[0][0]).isEqualTo(-5f);
        assertThat(out[0][1]).isEqualTo(-4f);
    }

    @Test
    void example2BrightLeftGivesPositive30Band() {
        assertThat(convolveValid(EXAMPLE2_IMAGE, Kernels.VERTICAL)).isEqualTo(EXAMPLE2_OUTPUT);
    }

    @Test
    void example2MirroredGivesNegative30Band() {
        float[][] out = convolveValid(mirror(EXAMPLE2_IMAGE), Kernels.VERTICAL);
        assertThat(out)
                .isEqualTo(
                        new float[][] {
                            {0, -30, -30, 0}, {0, -30, -30, 0}, {0, -30, -30, 0}, {0, -30, -30, 0}
                        });
    }

    @Test
    void example3HorizontalFilterOnVerticalEdgeGivesZeros() {
        assertThat(convolveValid(EXAMPLE2_IMAGE, Kernels.HORIZONTAL)).isEqualTo(new float[4][4]);
    }

    @Test
    void example3TransposedImageGives30sInTheMiddleRows() {
        float[][] out = convolveValid(transpose(EXAMPLE2_IMAGE), Kernels.HORIZONTAL);
        assertThat(out)
                .isEqualTo(
                        new float[][] {
                            {0, 0, 0, 0}, {30, 30, 30, 30}, {30, 30, 30, 30}, {0, 0, 0, 0}
                        });
    }

    @Test
    void prewittAndSobelAgreeInSignWithTheVerticalFilter() {
        assertThat(convolveValid(EXAMPLE2_IMAGE, Kernels.PREWITT_X)).isEqualTo(EXAMPLE2_OUTPUT);
        assertThat(convolveValid(EXAMPLE2_IMAGE, Kernels.SOBEL_X))
                .isEqualTo(scaled(EXAMPLE2_OUTPUT, 4f / 3f));
        assertThat(convolveValid(EXAMPLE2_IMAGE, Kernels.SCHARR_X))
                .isEqualTo(scaled(EXAMPLE2_OUTPUT, 16f / 3f));
    }

    @Test
    void everyEngineReproducesTheExamples() {
        for (ConvEngine e : Engines.all()) {
            assertThat(
                            Golden.rows(
                                    Convolution.convolve(
                                            e,
                                            image(EXAMPLE1_IMAGE),
                                            Kernels.VERTICAL,
                                            ConvParams.DEFAULT)))
                    .as(e.name())
                    .isEqualTo(EXAMPLE1_OUTPUT);
        }
    }
}
