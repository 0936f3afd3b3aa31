package io.edgestream.bench;

import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.conv.Convolution;
import io.edgestream.imaging.conv.ReferenceConvolution;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.kernel.Kernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A 3x3 float32 single-channel convolution (Sobel x, VALID, stride 1) of a {@code size x size}
 * image, single thread, output preallocated. {@code impl=fast} is {@link Convolution#validInto}
 * (the path every tile uses); {@code impl=reference} is the naive {@link ReferenceConvolution}. The
 * {@code megapixels} secondary result is input MP/s.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -Xms2g -Xmx2g -XX:+AlwaysPreTouch -jar
 * benchmarks/target/benchmarks.jar Convolution -f 1 -wi 2 -i 3 -w 2s -r 2s}
 */
public class ConvolutionBenchmark extends SingleThreadBenchmark {

    @Param({"1000", "4000"})
    public int size;

    @Param({"reference", "fast"})
    public String impl;

    private ImageF32 image;
    private ImageF32 out;

    @Setup
    public void setUp() {
        image = randomImage(size);
        out = ImageF32.allocate(size - 2, size - 2, 1);
        System.out.println("\nconvolution implementation: " + Convolution.implementation());
    }

    @Benchmark
    public void sobel3x3(MegapixelCounter mp, Blackhole bh) {
        if (impl.equals("fast")) {
            Convolution.validInto(image, Kernels.SOBEL_X, 1, out);
            bh.consume(out);
        } else {
            bh.consume(ReferenceConvolution.convolve(image, Kernels.SOBEL_X, ConvParams.DEFAULT));
        }
        mp.megapixels += (double) size * size / 1e6;
    }
}
