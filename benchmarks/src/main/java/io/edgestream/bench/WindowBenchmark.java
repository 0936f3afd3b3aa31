package io.edgestream.bench;

import io.edgestream.imaging.conv.Convolution;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * Widening a 258x258 RGB8 window (a 256x256 tile and its halo) of bytes to the float samples the
 * kernels read, into a reused array: the plain loop ({@code plainLoop}) against {@link
 * Convolution#widenU8} ({@code widenU8}, vector lanes), which the filter bank uses for 8-bit
 * windows that do not take the channel sum (grey ones, and colour ones with fractional weights or
 * per-channel maps); an RGB volume with the named filters is summed straight from the bytes instead
 * ({@code TileBenchmark.fromBytes}). The {@code megapixels} secondary result counts window pixels.
 */
public class WindowBenchmark extends SingleThreadBenchmark {
    private byte[] window;
    private float[] scratch;

    @Setup
    public void setUp() {
        window = SyntheticPhoto.rgb(258, 258, 42);
        scratch = new float[window.length];
    }

    @Benchmark
    public float[] plainLoop(MegapixelCounter mp) {
        mp.megapixels += 258 * 258 / 1e6;
        byte[] b = window;
        float[] f = scratch;
        for (int i = 0; i < b.length; i++) {
            f[i] = b[i] & 0xff;
        }
        return f;
    }

    @Benchmark
    public float[] widenU8(MegapixelCounter mp) {
        mp.megapixels += 258 * 258 / 1e6;
        Convolution.widenU8(window, 0, scratch, 0, window.length);
        return scratch;
    }
}
