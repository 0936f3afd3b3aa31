package io.edgestream.imaging.stats;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.tile.TilePlan;

/**
 * Edge statistics of a whole feature map in one go: the reference that merged per-tile {@link
 * EdgeStatsPartial}s must reproduce (exactly for counts, histograms, min/max and the density grid;
 * to rounding for mean, stddev and meanAbs). Also the simple path for callers that hold the whole
 * map.
 */
public final class EdgeStatistics {
    private EdgeStatistics() {}

    /**
     * The statistics of {@code map}, with the density grid over {@code plan}'s tiles.
     *
     * @param gx the x-gradient for a gradient filter, else null
     * @param gy the y-gradient, else null
     */
    public static EdgeSummary whole(
            ImageF32 map, ImageF32 gx, ImageF32 gy, StatsConfig cfg, TilePlan plan) {
        if (map.width != plan.outputWidth() || map.height != plan.outputHeight()) {
            throw new IllegalArgumentException(
                    "map " + map + " does not match the plan's output " + plan);
        }
        if (cfg.gridCols() != plan.tilesX() || cfg.gridRows() != plan.tilesY()) {
            throw new IllegalArgumentException(
                    "statistics grid "
                            + cfg.gridCols()
                            + "x"
                            + cfg.gridRows()
                            + " does not match the plan's tiles "
                            + plan.tilesX()
                            + "x"
                            + plan.tilesY());
        }
        EdgeStatsPartial.checkGradients(map, gx, gy);
        int cells = cfg.gridCols() * cfg.gridRows();
        long[] counts = new long[cells];
        long[] edges = new long[cells];
        EdgeStatsPartial p = new EdgeStatsPartial();
        EdgeStatsPartial.scan(
                map,
                gx,
                gy,
                cfg,
                p,
                plan.tileWidth(),
                plan.tileHeight(),
                cfg.gridCols(),
                counts,
                edges);
        p.m2 = EdgeStatsPartial.sumSquaredDeviations(map, p.mean(), p.nonFiniteCount == 0);
        int[] ids = new int[cells];
        for (int i = 0; i < cells; i++) {
            ids[i] = i;
        }
        p.gridCells = ids;
        p.gridCounts = counts;
        p.gridEdges = edges;
        return p.finish(cfg);
    }
}
