package io.edgestream.job.records;

import io.edgestream.imaging.stats.EdgeSummary;
import io.edgestream.schemas.DensityGrid;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.Histogram;
import java.util.ArrayList;
import java.util.List;

/**
 * The final statistics of one filter's map of one image, between the merge and the stats sink. A
 * Flink POJO; {@link #toAvro()} gives the {@link EdgeStats} that goes on the wire.
 */
public class EdgeStatsRecord {
    public String imageId;
    public String sourceId;
    public String batchId;
    public String sourceName;
    public String filter;
    public int inputWidth;
    public int inputHeight;
    public int mapWidth;
    public int mapHeight;
    public int channels;
    public int tileCount;
    public long pixelCount;
    public double min;
    public double max;
    public double mean;
    public double stddev;
    public double meanAbs;
    public double edgeThreshold;
    public long edgeCount;
    public double edgeFraction;
    public double histogramMin;
    public double histogramMax;
    public long[] histogramCounts;

    /** Null for a linear filter. */
    public long[] orientationHistogram;

    public int gridRows;
    public int gridCols;
    public float[] gridValues;
    public long captureTimeMs;
    public long ingestTimeMs;
    public long completedTimeMs;

    public EdgeStatsRecord() {}

    /** Copies the statistics of {@code s}; the caller fills in the image metadata. */
    public static EdgeStatsRecord of(EdgeSummary s) {
        EdgeStatsRecord r = new EdgeStatsRecord();
        r.pixelCount = s.pixelCount();
        r.min = s.min();
        r.max = s.max();
        r.mean = s.mean();
        r.stddev = s.stddev();
        r.meanAbs = s.meanAbs();
        r.edgeThreshold = s.edgeThreshold();
        r.edgeCount = s.edgeCount();
        r.edgeFraction = s.edgeFraction();
        r.histogramMin = s.histogram().min();
        r.histogramMax = s.histogram().max();
        r.histogramCounts = s.histogram().counts();
        r.orientationHistogram = s.orientation();
        r.gridRows = s.density().rows();
        r.gridCols = s.density().cols();
        r.gridValues = s.density().fraction();
        return r;
    }

    public EdgeStats toAvro() {
        List<Long> counts = new ArrayList<>(histogramCounts.length);
        for (long c : histogramCounts) {
            counts.add(c);
        }
        List<Long> orientation = null;
        if (orientationHistogram != null) {
            orientation = new ArrayList<>(orientationHistogram.length);
            for (long c : orientationHistogram) {
                orientation.add(c);
            }
        }
        List<Float> grid = new ArrayList<>(gridValues.length);
        for (float v : gridValues) {
            grid.add(v);
        }
        return EdgeStats.newBuilder()
                .setImageId(imageId)
                .setSourceId(sourceId)
                .setBatchId(batchId)
                .setSourceName(sourceName)
                .setFilter(filter)
                .setInputWidth(inputWidth)
                .setInputHeight(inputHeight)
                .setMapWidth(mapWidth)
                .setMapHeight(mapHeight)
                .setChannels(channels)
                .setTileCount(tileCount)
                .setPixelCount(pixelCount)
                .setMin(min)
                .setMax(max)
                .setMean(mean)
                .setStddev(stddev)
                .setMeanAbs(meanAbs)
                .setEdgeThreshold(edgeThreshold)
                .setEdgeCount(edgeCount)
                .setEdgeFraction(edgeFraction)
                .setHistogram(new Histogram(histogramMin, histogramMax, counts))
                .setOrientationHistogram(orientation)
                .setDensityGrid(new DensityGrid(gridRows, gridCols, grid))
                .setCaptureTimeMs(captureTimeMs)
                .setIngestTimeMs(ingestTimeMs)
                .setCompletedTimeMs(completedTimeMs)
                .build();
    }

    @Override
    public String toString() {
        return "EdgeStats[" + imageId + "/" + filter + " n=" + pixelCount + "]";
    }
}
