package io.edgestream.bench.pipeline;

import java.util.Arrays;

/** Nearest-rank percentiles of latencies. */
final class Percentiles {
    private Percentiles() {}

    /** The nearest-rank {@code q}-quantile (0 < q <= 1) of {@code values}; -1 if there are none. */
    static long of(long[] values, double q) {
        if (values.length == 0) {
            return -1;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
