package io.edgestream.imaging.conv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.kernel.Kernel;
import io.edgestream.imaging.kernel.Kernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The vector engine's dedicated 3x3 single-channel stride-1 kernels (two output rows per pass, an
 * overlapping last vector per row, the four-kernel bank) on every width from below one vector to
 * several vectors plus a tail, odd and even heights, and strided views: against the naive
 * reference, bit for bit against the scalar engine, and the bank against separate passes.
 */
class ThreeByThreeFastPathTest {

    private static ImageF32 randomView(Random rnd, int w, int h) {
        ImageF32 big = ImageF32.allocate(w + 5, h + 3, 1);
        for (int i = 0; i < big.data.length; i++) {
            big.data[i] = rnd.nextInt(5) == 0 ? rnd.nextFloat() * 512 - 256 : rnd.nextInt(256);
        }
        return big.view(3, 1, w, h);
    }

    private static Kernel randomKernel(Random rnd, String name) {
        float[] w = new float[9];
        for (int i = 0; i < 9; i++) {
            w[i] = rnd.nextBoolean() ? rnd.nextInt(7) - 3 : rnd.nextFloat() * 4 - 2;
        }
        return new Kernel(name, 3, 3, 1, w);
    }

    @Test
    void everyWidthAndHeightMatchesTheReferenceAndTheScalarEngineBitForBit() {
        Random rnd = new Random(11);
        for (int w = 3; w <= 72; w++) {
            for (int h : new int[] {3, 4, 5, 8, 9}) {
                ImageF32 img = randomView(rnd, w, h);
                Kernel k = rnd.nextInt(3) == 0 ? Kernels.SOBEL_X : randomKernel(rnd, "k");
                ImageF32 expected = ReferenceConvolution.convolve(img, k, ConvParams.DEFAULT);
                ImageF32 scalar = ImageF32.allocate(w - 2, h - 2, 1);
                Convolution.validInto(Convolution.scalarEngine(), img, k, 1, scalar);
                for (ConvEngine e : Engines.all()) {
                    // An output view with a guard column on each side that must stay untouched.
                    ImageF32 buf = ImageF32.allocate(w, h - 2, 1);
                    java.util.Arrays.fill(buf.data, -99f);
                    ImageF32 out = buf.view(1, 0, w - 2, h - 2);
                    Convolution.validInto(e, img, k, 1, out);
                    assertThat(out.contentEquals(scalar)).as("%s %dx%d", e.name(), w, h).isTrue();
                    for (int y = 0; y < h - 2; y++) {
                        assertThat(buf.get(0, y, 0)).isEqualTo(-99f);
                        assertThat(buf.get(w - 1, y, 0)).isEqualTo(-99f);
                        for (int x = 0; x < w - 2; x++) {
                            assertThat(out.get(x, y, 0))
                                    .as("%s %dx%d at %d,%d", e.name(), w, h, x, y)
                                    .isCloseTo(expected.get(x, y, 0), within(1e-2f));
                        }
                    }
                }
            }
        }
    }

    @Test
    void aBankOfFourEqualsFourSeparatePassesOnEveryWidth() {
        Random rnd = new Random(12);
        for (int w = 3; w <= 72; w++) {
            for (int h : new int[] {3, 4, 7, 10}) {
                ImageF32 img = randomView(rnd, w, h);
                List<Kernel> ks =
                        List.of(
                                Kernels.SOBEL_X,
                                Kernels.SOBEL_Y,
                                randomKernel(rnd, "r"),
                                Kernels.LAPLACIAN);
                for (ConvEngine e : Engines.all()) {
                    List<ImageF32> outs = new ArrayList<>();
                    for (int i = 0; i < ks.size(); i++) {
                        outs.add(ImageF32.allocate(w - 2, h - 2, 1));
                    }
                    Convolution.validBankInto(e, img, ks, 1, outs);
                    for (int i = 0; i < ks.size(); i++) {
                        ImageF32 single = ImageF32.allocate(w - 2, h - 2, 1);
                        Convolution.validInto(
                                Convolution.scalarEngine(), img, ks.get(i), 1, single);
                        assertThat(outs.get(i).contentEquals(single))
                                .as("%s map %d at %dx%d", e.name(), i, w, h)
                                .isTrue();
                        ImageF32 ref =
                                ReferenceConvolution.convolve(img, ks.get(i), ConvParams.DEFAULT);
                        for (int p = 0; p < single.data.length; p++) {
                            assertThat(single.data[p]).isCloseTo(ref.data[p], within(1e-2f));
                        }
                    }
                }
            }
        }
    }
}
