package io.edgestream.imaging.fused;

/** One implementation (scalar or Vector API) of the fused Sobel pass of {@link FusedSobelU8}. */
interface FusedEngine {
    /** {@code "scalar"}, {@code "vector-256"}, ... */
    String name();

    /**
     * VALID Sobel magnitude of the {@code (outW + 2) x (outH + 2)} window at {@code inOff} into
     * {@code out}, accumulating statistics into {@code acc} (whose tables come from the kernel).
     */
    void run(
            byte[] in,
            int inOff,
            int inStride,
            int outW,
            int outH,
            float[] out,
            int outOff,
            int outStride,
            Accumulator acc);

    /**
     * The histogram bins of the magnitudes {@code m[0, n)} into {@code out}, computed exactly as
     * this engine's {@link #run} computes them (for tests: they must equal {@code
     * StatsConfig.histogramBin}).
     */
    void bins(float[] m, int n, Accumulator acc, int[] out);
}
