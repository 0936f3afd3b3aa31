package io.edgestream.imaging.conv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.kernel.Kernels;
import io.edgestream.imaging.simd.ExpectedEngine;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs in the {@code scalar-fallback} surefire execution, whose JVM lacks {@code --add-modules
 * jdk.incubator.vector}: the product must still load, pick the scalar path and give the golden
 * answers. In the default execution (module present) it is excluded, and skips itself if run.
 */
class ScalarFallbackTest {

    @BeforeEach
    void onlyInTheScalarFallbackExecution() {
        // Decided by the build (ExpectedEngine), not by the JVM: if the module leaked into the
        // scalar-fallback execution this test must fail, not skip.
        assumeTrue(
                ExpectedEngine.expected() == ExpectedEngine.Kind.SCALAR,
                "this test is for the scalar-fallback execution");
    }

    @Test
    void theScalarPathIsSelectedWhenTheModuleIsAbsent() {
        ExpectedEngine.assertSelected(
                "Convolution",
                Convolution.implementation(),
                Convolution.vectorEngine(),
                Convolution.implementationReason());
    }

    @Test
    void theWorkedExamplesPassOnTheScalarPath() {
        Golden.assertAllExamples();
    }

    @Test
    void theScalarPathMatchesTheReferenceOnALargerImage() {
        Random rnd = new Random(11);
        ImageF32 img = ImageF32.allocate(101, 67, 1);
        for (int i = 0; i < img.data.length; i++) {
            img.data[i] = rnd.nextInt(256);
        }
        ConvParams p =
                ConvParams.DEFAULT.withPadding(Padding.SAME).withBorder(BorderMode.REFLECT_101, 0);
        // Integer pixels and weights: both are exact, so they must agree exactly.
        assertThat(
                        Convolution.convolve(img, Kernels.SOBEL_X, p)
                                .contentEquals(
                                        ReferenceConvolution.convolve(img, Kernels.SOBEL_X, p)))
                .isTrue();
    }
}
