package io.edgestream.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Counts input megapixels processed, so that JMH prints a secondary "megapixels" result in
 * megapixels per second (MP/s) next to the ops/s of each benchmark.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class MegapixelCounter {
    public double megapixels;

    @Setup(Level.Iteration)
    public void reset() {
        megapixels = 0;
    }
}
