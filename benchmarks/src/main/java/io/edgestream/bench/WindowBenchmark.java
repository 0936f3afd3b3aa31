package io.edgestream.bench;

import io.edgestream.job.records.TileTask;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * What the convolution task does first with a tile of 8-bit input: the 258x258 RGB8 window (a
 * 256x256 tile and its halo) that travels as bytes widened to the float samples the kernels read,
 * into a reused array: the former plain loop ({@code plainLoop}) against {@link
 * TileTask#windowSamples} ({@code windowSamples}, vector lanes). The {@code megapixels} secondary
 * result counts window pixels.
 */
public class WindowBenchmark extends SingleThreadBenchmark {
    private TileTask task;
    private float[] scratch;

    @Setup
    public void setUp() {
        task = new TileTask();
        task.windowU8 = SyntheticPhoto.rgb(258, 258, 42);
        scratch = new float[task.windowU8.length];
    }

    @Benchmark
    public float[] plainLoop(MegapixelCounter mp) {
        mp.megapixels += 258 * 258 / 1e6;
        byte[] b = task.windowU8;
        float[] f = scratch;
        for (int i = 0; i < b.length; i++) {
            f[i] = b[i] & 0xff;
        }
        return f;
    }

    @Benchmark
    public float[] windowSamples(MegapixelCounter mp) {
        mp.megapixels += 258 * 258 / 1e6;
        return task.windowSamples(scratch);
    }
}
