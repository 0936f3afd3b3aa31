package io.edgestream.imaging.filter;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.stats.EdgeStatsPartial;

/**
 * What one filter produced on one tile: the output tile of its feature map and, if statistics were
 * asked for, the tile's partial edge statistics.
 *
 * @param filter the filter
 * @param map the output tile, {@code outW x outH x C} (C = input channels under PER_CHANNEL, else
 *     1), compact and owned by the caller
 * @param stats the tile's statistics, or null when the bank was applied without a configuration
 */
public record FilterOutput(Filter filter, ImageF32 map, EdgeStatsPartial stats) {}
