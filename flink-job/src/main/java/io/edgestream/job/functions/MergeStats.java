package io.edgestream.job.functions;

import io.edgestream.imaging.stats.EdgeStatsPartial;
import io.edgestream.job.metrics.EdgeMetrics;
import io.edgestream.job.records.DeadLetterRecord;
import io.edgestream.job.records.EdgeStatsRecord;
import io.edgestream.job.records.TileStats;
import io.edgestream.schemas.DeadLetterReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the per-tile statistics of one input image (keyed by {@link TileStats#mergeKey}: the image
 * id plus the record's coordinates) and, once every tile of every filter has arrived, emits one
 * {@link EdgeStatsRecord} per filter and clears the image's state. Tiles may arrive in any order;
 * they are merged in tile-index order ({@link FilterProgress}), so the result has the same bits
 * whatever the order.
 *
 * <p>One input, one outcome: the statistics of an image are emitted all together or not at all, so
 * an image never ends with some filters' statistics and a dead letter. If the decoder fails after
 * it has sent some tiles of an image, it dead-letters the record itself and sends an {@link
 * TileStats#aborted} marker here: the image's state is dropped and tiles arriving later are ignored
 * (counted in {@code abortedTiles}), so neither statistics nor a second dead letter follow.
 *
 * <p>Duplicates: a tile that was already merged for its filter is ignored (counted in {@code
 * duplicateTiles} and logged). With exactly-once processing duplicates do not occur; the rule only
 * guards the state.
 *
 * <p>Bounded state: the first tile (or abort marker) of an image starts a processing-time timer of
 * {@code timeoutMs}. If the image is not complete by then, its state is cleared and an {@code
 * INCOMPLETE_IMAGE} dead letter (empty payload, the input's coordinates, key and size) names the
 * missing tiles; an aborted image's state is cleared silently. A tile arriving after that starts a
 * new, again bounded, accumulation.
 *
 * <p>Metrics (group {@value EdgeMetrics#GROUP}, docs/metrics.md): {@code statsOut}, {@code
 * imagesOut}, {@code duplicateTiles}, {@code abortedTiles} and {@code deadLetters} with {@code
 * reason} {@code INCOMPLETE_IMAGE} counters, and the {@code endToEndLatencyMs} histogram (capture
 * time to statistics emitted).
 */
public class MergeStats extends KeyedProcessFunction<String, TileStats, EdgeStatsRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MergeStats.class);

    /** Side output of images whose tiles did not all arrive in time. */
    public static final OutputTag<DeadLetterRecord> INCOMPLETE =
            new OutputTag<>("incomplete-images", TypeInformation.of(DeadLetterRecord.class));

    /** Per-image progress (state). */
    public static class ImageProgress {
        /** The first tile's statistics record, without its partial: the image metadata. */
        public TileStats meta;

        public int filtersDone;
        public long timerAt;

        /** The decoder gave up on this image after sending some tiles: drop what arrives. */
        public boolean aborted;

        public ImageProgress() {}
    }

    /**
     * Per-filter progress of one image (state). Partials are merged in tile-index order, whatever
     * order they arrive in: {@code merged} holds tiles {@code 0 .. next-1}, a tile that arrives
     * early waits in {@code early} until the ones before it are merged. Merging is not associative
     * in the last bits (compensated sums, Chan's {@code m2}), so this makes the statistics of an
     * image the same bits on every run, at any parallelism, and after a replay.
     */
    public static class FilterProgress {
        public EdgeStatsPartial merged;
        public boolean[] seen;
        public int received;

        /** The number of tiles merged so far, in index order (0 in state written before it). */
        public int next;

        /** Tiles that arrived before a lower-indexed tile; null until one does. */
        public EdgeStatsPartial[] early;

        /** A tile record of this filter without its partial: map geometry and stats settings. */
        public TileStats shape;

        public FilterProgress() {}

        boolean complete() {
            return received == seen.length;
        }

        /** Takes tile {@code index}'s partial, merging every tile it completes the prefix of. */
        void accept(int index, EdgeStatsPartial partial) {
            seen[index] = true;
            received++;
            if (index != next) {
                if (early == null) {
                    early = new EdgeStatsPartial[seen.length];
                }
                early[index] = partial;
                return;
            }
            merged.merge(partial);
            next++;
            while (early != null && next < early.length && early[next] != null) {
                merged.merge(early[next]);
                early[next] = null;
                next++;
            }
        }

        /**
         * The merged statistics of a complete filter. Partials still waiting (only in state
         * restored from a version that merged in arrival order, whose {@code next} stayed 0) are
         * merged in index order.
         */
        EdgeStatsPartial result() {
            if (early != null) {
                for (int i = 0; i < early.length; i++) {
                    if (early[i] != null) {
                        merged.merge(early[i]);
                        early[i] = null;
                    }
                }
            }
            return merged;
        }
    }

    private final long timeoutMs;

    private transient ValueState<ImageProgress> image;
    private transient MapState<String, FilterProgress> filters;
    private transient Counter statsOut;
    private transient Counter imagesOut;
    private transient Counter incompleteImages;
    private transient Counter duplicateTiles;
    private transient Counter abortedTiles;
    private transient Histogram latency;

    public MergeStats(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    @Override
    public void open(OpenContext openContext) {
        image =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "image", TypeInformation.of(ImageProgress.class)));
        filters =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "filters",
                                        Types.STRING,
                                        TypeInformation.of(FilterProgress.class)));
        MetricGroup metrics = EdgeMetrics.group(getRuntimeContext().getMetricGroup());
        statsOut = metrics.counter(EdgeMetrics.STATS_OUT);
        imagesOut = metrics.counter(EdgeMetrics.IMAGES_OUT);
        incompleteImages =
                EdgeMetrics.deadLetters(metrics, List.of(DeadLetterReason.INCOMPLETE_IMAGE))
                        .get(DeadLetterReason.INCOMPLETE_IMAGE);
        duplicateTiles = metrics.counter(EdgeMetrics.DUPLICATE_TILES);
        abortedTiles = metrics.counter(EdgeMetrics.ABORTED_TILES);
        latency =
                metrics.histogram(
                        EdgeMetrics.END_TO_END_LATENCY_MS,
                        new DescriptiveStatisticsHistogram(1000));
    }

    @Override
    public void processElement(TileStats t, Context ctx, Collector<EdgeStatsRecord> out)
            throws Exception {
        ImageProgress p = image.value();
        if (p == null) {
            p = new ImageProgress();
            p.meta = withoutPartial(t);
            p.timerAt = ctx.timerService().currentProcessingTime() + timeoutMs;
            ctx.timerService().registerProcessingTimeTimer(p.timerAt);
        }
        if (t.aborted) {
            // The decoder has dead-lettered this record: forget its tiles, keep the marker until
            // the timer so that tiles still on their way are dropped too.
            p.aborted = true;
            filters.clear();
            image.update(p);
            return;
        }
        if (p.aborted) {
            abortedTiles.inc();
            image.update(p);
            return;
        }
        FilterProgress f = filters.get(t.filter);
        if (f == null) {
            f = new FilterProgress();
            f.merged = new EdgeStatsPartial();
            f.seen = new boolean[t.tileCount];
            f.shape = withoutPartial(t);
        }
        if (t.tileIndex < 0 || t.tileIndex >= f.seen.length || f.seen[t.tileIndex]) {
            duplicateTiles.inc();
            LOG.warn(
                    "ignoring duplicate or out-of-range tile {} of {} for image {} filter {}",
                    t.tileIndex,
                    f.seen.length,
                    t.imageId,
                    t.filter);
            image.update(p);
            return;
        }
        f.accept(t.tileIndex, t.partial);
        if (f.complete()) {
            p.filtersDone++;
        }
        filters.put(t.filter, f);
        if (p.filtersDone >= p.meta.filterCount) {
            emitAll(p, out);
            ctx.timerService().deleteProcessingTimeTimer(p.timerAt);
            image.clear();
            filters.clear();
        } else {
            image.update(p);
        }
    }

    /** One EdgeStats per filter, in filter-name order, all with the same completion time. */
    private void emitAll(ImageProgress p, Collector<EdgeStatsRecord> out) throws Exception {
        Map<String, FilterProgress> byName = new TreeMap<>();
        for (Map.Entry<String, FilterProgress> e : filters.entries()) {
            byName.put(e.getKey(), e.getValue());
        }
        long now = System.currentTimeMillis();
        for (FilterProgress f : byName.values()) {
            EdgeStatsRecord r = EdgeStatsRecord.of(f.result().finish(f.shape.statsConfig()));
            fill(r, p.meta, f.shape, now);
            out.collect(r);
            statsOut.inc();
        }
        imagesOut.inc();
        latency.update(now - p.meta.captureTimeMs);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<EdgeStatsRecord> out)
            throws Exception {
        ImageProgress p = image.value();
        if (p == null || p.timerAt != timestamp) {
            return;
        }
        if (p.aborted) {
            image.clear();
            filters.clear();
            return;
        }
        Map<String, FilterProgress> byName = new TreeMap<>();
        for (Map.Entry<String, FilterProgress> e : filters.entries()) {
            byName.put(e.getKey(), e.getValue());
        }
        StringBuilder msg =
                new StringBuilder("image ")
                        .append(p.meta.imageId)
                        .append(" incomplete after ")
                        .append(timeoutMs)
                        .append(" ms (incomplete.timeout.ms): ")
                        .append(p.filtersDone)
                        .append(" of ")
                        .append(p.meta.filterCount)
                        .append(" filters complete");
        for (Map.Entry<String, FilterProgress> e : byName.entrySet()) {
            FilterProgress f = e.getValue();
            if (f.complete()) {
                continue;
            }
            List<Integer> missing = new ArrayList<>();
            for (int i = 0; i < f.seen.length; i++) {
                if (!f.seen[i]) {
                    missing.add(i);
                }
            }
            msg.append("; filter '")
                    .append(e.getKey())
                    .append("' is missing tiles ")
                    .append(missing)
                    .append(" of ")
                    .append(f.seen.length);
        }
        int unseen = p.meta.filterCount - byName.size();
        if (unseen > 0) {
            msg.append("; ").append(unseen).append(" filter(s) received no tile at all");
        }
        DeadLetterRecord d = new DeadLetterRecord();
        d.sourceTopic = p.meta.sourceTopic;
        d.sourcePartition = p.meta.sourcePartition;
        d.sourceOffset = p.meta.sourceOffset;
        d.sourceTimestampMs = p.meta.ingestTimeMs;
        d.key = p.meta.key;
        d.originalKeySize = p.meta.key == null ? -1 : p.meta.key.length;
        d.originalSize = p.meta.originalSize;
        d.imageId = p.meta.imageId;
        d.reason = DeadLetterReason.INCOMPLETE_IMAGE.name();
        d.message = DeadLetterRecord.boundedMessage(msg.toString());
        d.failedAtMs = System.currentTimeMillis();
        d.payload = new byte[0];
        ctx.output(INCOMPLETE, d);
        incompleteImages.inc();
        LOG.warn("{}", d.message);
        image.clear();
        filters.clear();
    }

    /** A copy of {@code t} without its partial statistics (the part kept in state). */
    private static TileStats withoutPartial(TileStats t) {
        TileStats m = new TileStats();
        m.mergeKey = t.mergeKey;
        m.imageId = t.imageId;
        m.sourceId = t.sourceId;
        m.batchId = t.batchId;
        m.sourceName = t.sourceName;
        m.filter = t.filter;
        m.filterCount = t.filterCount;
        m.tileIndex = t.tileIndex;
        m.tileCount = t.tileCount;
        m.inputWidth = t.inputWidth;
        m.inputHeight = t.inputHeight;
        m.mapWidth = t.mapWidth;
        m.mapHeight = t.mapHeight;
        m.channels = t.channels;
        m.captureTimeMs = t.captureTimeMs;
        m.ingestTimeMs = t.ingestTimeMs;
        m.sourceTopic = t.sourceTopic;
        m.sourcePartition = t.sourcePartition;
        m.sourceOffset = t.sourceOffset;
        m.originalSize = t.originalSize;
        m.key = t.key;
        m.histogramBins = t.histogramBins;
        m.histogramMin = t.histogramMin;
        m.histogramMax = t.histogramMax;
        m.edgeThreshold = t.edgeThreshold;
        m.orientationBins = t.orientationBins;
        m.gridCols = t.gridCols;
        m.gridRows = t.gridRows;
        m.subtask = t.subtask;
        m.aborted = t.aborted;
        return m;
    }

    /** Image metadata from the first tile, map geometry from this filter's (group's) tiles. */
    private static void fill(EdgeStatsRecord r, TileStats meta, TileStats t, long now) {
        r.imageId = meta.imageId;
        r.sourceId = meta.sourceId;
        r.batchId = meta.batchId;
        r.sourceName = meta.sourceName;
        r.filter = t.filter;
        r.inputWidth = meta.inputWidth;
        r.inputHeight = meta.inputHeight;
        r.mapWidth = t.mapWidth;
        r.mapHeight = t.mapHeight;
        r.channels = t.channels;
        r.tileCount = t.tileCount;
        r.captureTimeMs = meta.captureTimeMs;
        r.ingestTimeMs = meta.ingestTimeMs;
        r.completedTimeMs = now;
    }
}
