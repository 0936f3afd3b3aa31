package io.edgestream.bench;

import io.edgestream.imaging.conv.Convolution;
import io.edgestream.imaging.conv.Gradient;
import io.edgestream.imaging.fused.FusedSobelU8;
import io.edgestream.imaging.fused.GradientStats;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.image.ImageU8;
import io.edgestream.imaging.kernel.Kernels;
import io.edgestream.imaging.stats.StatsConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Sobel gradient magnitude of an 8-bit grey {@code size x size} photo-like image, single thread,
 * outputs preallocated. {@code fused} is {@link FusedSobelU8} (gx, gy, magnitude and the tile
 * statistics in one pass); {@code separate} is the unfused way (u8 to f32, two {@link
 * Convolution#validInto} calls, {@link Gradient#magnitudeInto}, no statistics), for comparison. The
 * {@code megapixels} secondary result is input MP/s, to compare with OpenCV's {@code Sobel + Sobel
 * + magnitude} from 8-bit in {@code benchmarks/python/opencv_bench.py}.
 */
public class GradientBenchmark extends SingleThreadBenchmark {

    @Param({"1000", "4000"})
    public int size;

    @Param({"fused", "separate"})
    public String impl;

    private ImageU8 image;
    private ImageF32 out;
    private FusedSobelU8 fused;
    private GradientStats stats;
    private ImageF32 f32;
    private ImageF32 gx;
    private ImageF32 gy;

    @Setup
    public void setUp() {
        image = ImageU8.wrap(SyntheticPhoto.grey(size, size, 42), size, size, 1);
        out = ImageF32.allocate(size - 2, size - 2, 1);
        // The sobel gradient filter's statistics on 0..255 input: [0, 1020*sqrt(2)], 64 bins.
        fused = new FusedSobelU8(new StatsConfig(64, 0, Math.sqrt(2) * 1020, 255, 0, 1, 1));
        stats = fused.newStats();
        if (impl.equals("separate")) {
            f32 = ImageF32.allocate(size, size, 1);
            gx = ImageF32.allocate(size - 2, size - 2, 1);
            gy = ImageF32.allocate(size - 2, size - 2, 1);
        }
        System.out.println(
                "\nfused implementation: "
                        + FusedSobelU8.implementation()
                        + ", convolution: "
                        + Convolution.implementation());
    }

    @Benchmark
    public void gradient(MegapixelCounter mp, Blackhole bh) {
        if (impl.equals("fused")) {
            stats.reset();
            fused.apply(image, out, stats);
            bh.consume(stats.edgeCount);
        } else {
            byte[] src = image.data;
            float[] dst = f32.data;
            for (int i = 0; i < src.length; i++) {
                dst[i] = src[i] & 0xFF;
            }
            Convolution.validInto(f32, Kernels.SOBEL_X, 1, gx);
            Convolution.validInto(f32, Kernels.SOBEL_Y, 1, gy);
            Gradient.magnitudeInto(gx, gy, out);
        }
        bh.consume(out);
        mp.megapixels += (double) size * size / 1e6;
    }
}
