package io.edgestream.job.records;

import io.edgestream.imaging.stats.EdgeStatsPartial;
import io.edgestream.imaging.stats.StatsConfig;

/**
 * The partial edge statistics of one filter on one tile, on their way to the per-image merge, with
 * the image metadata the final {@code EdgeStats} record needs and the statistics configuration
 * {@link EdgeStatsPartial#finish} needs. A Flink POJO.
 */
public class TileStats {
    /** Keyed-state key: one input record (see {@link TileTask#mergeKey()}). */
    public String mergeKey;

    public String imageId;
    public String sourceId;
    public String batchId;

    /** The frame's attribute {@code file} (its file name), or null. */
    public String sourceName;

    public String filter;

    /** Filters over all groups: the merge is done when this many filters are complete. */
    public int filterCount;

    public int tileIndex;
    public int tileCount;

    public int inputWidth;
    public int inputHeight;
    public int mapWidth;
    public int mapHeight;
    public int channels;
    public long captureTimeMs;
    public long ingestTimeMs;

    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;

    /** Size of the input record's value, for an INCOMPLETE_IMAGE dead letter. */
    public long originalSize = -1;

    public byte[] key;

    // StatsConfig, flattened
    public int histogramBins;
    public double histogramMin;
    public double histogramMax;
    public double edgeThreshold;
    public int orientationBins;
    public int gridCols;
    public int gridRows;

    public EdgeStatsPartial partial;

    /** Subtask that convolved the tile. */
    public int subtask;

    /**
     * A marker instead of a tile: the decoder dead-lettered this input after sending some of its
     * tiles, so the merge drops the image (see {@code MergeStats}). Only the key fields are set.
     */
    public boolean aborted;

    public TileStats() {}

    /**
     * Flattens {@code c} into this record's statistics fields; {@link #statsConfig()} is the
     * inverse.
     */
    public void statsConfig(StatsConfig c) {
        histogramBins = c.histogramBins();
        histogramMin = c.histogramMin();
        histogramMax = c.histogramMax();
        edgeThreshold = c.edgeThreshold();
        orientationBins = c.orientationBins();
        gridCols = c.gridCols();
        gridRows = c.gridRows();
    }

    /** The statistics configuration of this tile, from its flattened fields. */
    public StatsConfig statsConfig() {
        return new StatsConfig(
                histogramBins,
                histogramMin,
                histogramMax,
                edgeThreshold,
                orientationBins,
                gridCols,
                gridRows);
    }

    @Override
    public String toString() {
        return "TileStats[" + imageId + "/" + filter + " " + tileIndex + "/" + tileCount + "]";
    }
}
