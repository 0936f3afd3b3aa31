package io.edgestream.bench;

import io.edgestream.imaging.conv.Convolution;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.kernel.Kernel;
import io.edgestream.imaging.kernel.Kernels;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A bank of four 3x3 kernels (Sobel x/y, Scharr x, Laplacian) on a {@code size x size} float32
 * image: {@code onePass} is {@link Convolution#validBankInto} (each input vector loaded once for
 * all four), {@code separate} is four {@link Convolution#validInto} calls. The {@code megapixels}
 * secondary result counts input megapixels per second (each of which yields four output pixels).
 */
public class ConvolutionBankBenchmark extends SingleThreadBenchmark {

    @Param({"1000", "4000"})
    public int size;

    private ImageF32 image;
    private final List<Kernel> kernels =
            List.of(Kernels.SOBEL_X, Kernels.SOBEL_Y, Kernels.SCHARR_X, Kernels.LAPLACIAN);
    private final List<ImageF32> outs = new ArrayList<>();

    @Setup
    public void setUp() {
        image = randomImage(size);
        outs.clear();
        for (int i = 0; i < kernels.size(); i++) {
            outs.add(ImageF32.allocate(size - 2, size - 2, 1));
        }
    }

    @Benchmark
    public void onePass(MegapixelCounter mp, Blackhole bh) {
        Convolution.validBankInto(image, kernels, 1, outs);
        bh.consume(outs);
        mp.megapixels += (double) size * size / 1e6;
    }

    @Benchmark
    public void separate(MegapixelCounter mp, Blackhole bh) {
        for (int i = 0; i < kernels.size(); i++) {
            Convolution.validInto(image, kernels.get(i), 1, outs.get(i));
        }
        bh.consume(outs);
        mp.megapixels += (double) size * size / 1e6;
    }
}
