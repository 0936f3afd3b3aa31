package io.edgestream.bench.pipeline;

import io.edgestream.imaging.filter.Filters;
import java.util.List;

/**
 * The edge job's defaults that the benchmark's driver needs without loading Flink (the job's
 * options are Flink {@code ConfigOption}s): how many statistics records an image gets, and what the
 * Python service must compute. {@code JobDefaultsTest} checks them against {@code EdgeJobOptions},
 * so they cannot drift.
 */
final class JobDefaults {
    private JobDefaults() {}

    /** {@code EdgeJobOptions.FILTERS}'s default. */
    static final String FILTERS = "vertical,horizontal,sobel";

    /** {@code EdgeJobOptions.TILE_SIZE}'s default (square tiles). */
    static final int TILE_SIZE = 256;

    /** The filter names of a {@code filters} option value (the job's default if null). */
    static List<String> filterNames(String filters) {
        return Filters.parseList(filters == null ? FILTERS : filters).stream()
                .map(f -> f.name())
                .toList();
    }

    /** The tile size given in the job's arguments ({@code --tile.size N}), else the default. */
    static int tileSize(List<String> jobArgs) {
        for (int i = 0; i + 1 < jobArgs.size(); i++) {
            if (jobArgs.get(i).equals("--tile.size")) {
                String v = jobArgs.get(i + 1);
                if (!v.matches("[0-9]+")) {
                    throw new IllegalArgumentException(
                            "the Python service takes square tiles only; --tile.size " + v);
                }
                return Integer.parseInt(v);
            }
        }
        return TILE_SIZE;
    }
}
