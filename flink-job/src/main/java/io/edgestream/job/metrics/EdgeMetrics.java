package io.edgestream.job.metrics;

import io.edgestream.schemas.DeadLetterReason;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The names of the job's own metrics, all in one group ({@value #GROUP}) under the operator that
 * counts them, so a reporter shows them apart from Flink's and every operator registers each name
 * once. With Flink's Prometheus reporter an operator's metric {@code imagesIn} becomes {@code
 * flink_taskmanager_job_task_operator_edgestream_imagesIn} (labels: job, task, operator, subtask,
 * ...); dead letters are one counter with a {@value #REASON} label. docs/metrics.md lists every
 * metric with its Prometheus name, type, labels and meaning; StackMetricsITCase scrapes them.
 */
public final class EdgeMetrics {
    private EdgeMetrics() {}

    /** The group every metric of the job is registered in. */
    public static final String GROUP = "edgestream";

    /** decode-and-tile: records read from the image topic (counter). */
    public static final String IMAGES_IN = "imagesIn";

    /** decode-and-tile: tiles produced, spread or kept local (counter). */
    public static final String TILES_OUT = "tilesOut";

    /** decode-and-tile: images convolved in the decoding task (counter). */
    public static final String IMAGES_KEPT_LOCAL = "imagesKeptLocal";

    /** decode-and-tile and merge-tile-stats: dead letters, by {@link #REASON} (counter). */
    public static final String DEAD_LETTERS = "deadLetters";

    /** The key of the dead-letter counter's key/value group: a Prometheus label. */
    public static final String REASON = "reason";

    /** convolve-tiles and convolve-small-images: tiles convolved (counter). */
    public static final String TILES_CONVOLVED = "tilesConvolved";

    /** The convolutions: maps asked for as INT16 but written as FLOAT32 (counter). */
    public static final String INT16_FALLBACK_MAPS = "int16FallbackMaps";

    /** merge-tile-stats: EdgeStats records written, one per image and filter (counter). */
    public static final String STATS_OUT = "statsOut";

    /** merge-tile-stats: images whose statistics were all written (counter). */
    public static final String IMAGES_OUT = "imagesOut";

    /** merge-tile-stats: replayed or out-of-range tiles ignored (counter). */
    public static final String DUPLICATE_TILES = "duplicateTiles";

    /** merge-tile-stats: tiles of images the decoder gave up on, dropped (counter). */
    public static final String ABORTED_TILES = "abortedTiles";

    /** merge-tile-stats: capture time to statistics written, ms (histogram). */
    public static final String END_TO_END_LATENCY_MS = "endToEndLatencyMs";

    /** The edge-maps sink writer: map tile records produced (counter). */
    public static final String MAP_TILES_OUT = "mapTilesOut";

    /** The edge-maps sink writer: key and value bytes of those records (counter). */
    public static final String MAP_BYTES_OUT = "mapBytesOut";

    /** The job's group under {@code parent} (an operator's metric group). */
    public static MetricGroup group(MetricGroup parent) {
        return parent.addGroup(GROUP);
    }

    /**
     * One {@value #DEAD_LETTERS} counter per reason in {@code reasons}, each in the key/value group
     * {@code reason=<REASON>} of {@code group} (the job's group), so a reporter with labels sees
     * one metric with a {@code reason} label.
     */
    public static Map<DeadLetterReason, Counter> deadLetters(
            MetricGroup group, Collection<DeadLetterReason> reasons) {
        Map<DeadLetterReason, Counter> counters = new EnumMap<>(DeadLetterReason.class);
        for (DeadLetterReason r : reasons) {
            counters.put(r, group.addGroup(REASON, r.name()).counter(DEAD_LETTERS));
        }
        return counters;
    }
}
