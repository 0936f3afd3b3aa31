package io.edgestream.bench;

import io.edgestream.imaging.image.ImageF32;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How every kernel and decoder benchmark runs (JMH's annotations are inherited): throughput, one
 * thread with its own state, one fork with the Vector API module, 2 warm-up and 3 measured
 * iterations of 2 s each; {@code -f}, {@code -wi}, {@code -i}, {@code -w}, {@code -r} on the
 * command line override them. Subclasses declare their parameters, set-up and benchmarks, and
 * report input megapixels through {@link MegapixelCounter}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public abstract class SingleThreadBenchmark {

    /**
     * A {@code size x size} single-channel float image of random whole numbers 0..255 (seed 42):
     * the input of the convolution benchmarks.
     */
    static ImageF32 randomImage(int size) {
        ImageF32 image = ImageF32.allocate(size, size, 1);
        Random rnd = new Random(42);
        for (int i = 0; i < image.data.length; i++) {
            image.data[i] = rnd.nextInt(256);
        }
        return image;
    }
}
