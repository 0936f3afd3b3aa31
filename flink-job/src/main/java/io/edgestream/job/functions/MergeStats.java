package io.edgestream.job.functions;

import io.edgestream.imaging.stats.EdgeStatsPartial;
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
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the per-tile statistics of one input image (keyed by {@link TileStats#mergeKey}: the image
 * id plus the record's coordinates) and emits one {@link EdgeStatsRecord} per filter as soon as all
 * of that filter's tiles have arrived; once every filter is done, the state of the image is
 * cleared. Tiles may arrive in any order.
 *
 * <p>Duplicates: a tile that was already merged for its filter is ignored (counted in {@code
 * duplicateTiles} and logged), so a filter's statistics are emitted exactly once per input record.
 * With exactly-once processing duplicates do not occur; the rule only guards the state.
 *
 * <p>Bounded state: the first tile of an image starts a processing-time timer of {@code timeoutMs}.
 * If the image is not complete by then, its state is cleared and an {@code INCOMPLETE_IMAGE} dead
 * letter (empty payload, the input's coordinates and key) names the missing tiles. A tile arriving
 * after that starts a new, again bounded, accumulation.
 *
 * <p>Metrics: {@code statsOut}, {@code incompleteImages}, {@code duplicateTiles} counters and the
 * {@code endToEndLatencyMs} histogram (capture time to statistics emitted).
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

        public ImageProgress() {}
    }

    /** Per-filter progress of one image (state). */
    public static class FilterProgress {
        public EdgeStatsPartial merged;
        public boolean[] seen;
        public int received;

        public FilterProgress() {}

        boolean complete() {
            return received == seen.length;
        }
    }

    private final long timeoutMs;

    private transient ValueState<ImageProgress> image;
    private transient MapState<String, FilterProgress> filters;
    private transient Counter statsOut;
    private transient Counter incompleteImages;
    private transient Counter duplicateTiles;
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
        var metrics = getRuntimeContext().getMetricGroup();
        statsOut = metrics.counter("statsOut");
        incompleteImages = metrics.counter("incompleteImages");
        duplicateTiles = metrics.counter("duplicateTiles");
        latency = metrics.histogram("endToEndLatencyMs", new DescriptiveStatisticsHistogram(1000));
    }

    @Override
    public void processElement(TileStats t, Context ctx, Collector<EdgeStatsRecord> out)
            throws Exception {
        ImageProgress p = image.value();
        if (p == null) {
            p = new ImageProgress();
            p.meta = metaOf(t);
            p.timerAt = ctx.timerService().currentProcessingTime() + timeoutMs;
            ctx.timerService().registerProcessingTimeTimer(p.timerAt);
        }
        FilterProgress f = filters.get(t.filter);
        if (f == null) {
            f = new FilterProgress();
            f.merged = new EdgeStatsPartial();
            f.seen = new boolean[t.tileCount];
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
        f.merged.merge(t.partial);
        f.seen[t.tileIndex] = true;
        f.received++;
        if (f.complete()) {
            long now = System.currentTimeMillis();
            EdgeStatsRecord r = EdgeStatsRecord.of(f.merged.finish(t.statsConfig()));
            fill(r, p.meta, t, now);
            out.collect(r);
            statsOut.inc();
            latency.update(now - p.meta.captureTimeMs);
            p.filtersDone++;
        }
        if (p.filtersDone >= p.meta.filterCount) {
            ctx.timerService().deleteProcessingTimeTimer(p.timerAt);
            image.clear();
            filters.clear();
        } else {
            image.update(p);
            filters.put(t.filter, f);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<EdgeStatsRecord> out)
            throws Exception {
        ImageProgress p = image.value();
        if (p == null || p.timerAt != timestamp) {
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
        d.imageId = p.meta.imageId;
        d.reason = DeadLetterReason.INCOMPLETE_IMAGE.name();
        d.message = msg.toString();
        d.failedAtMs = System.currentTimeMillis();
        d.payload = new byte[0];
        ctx.output(INCOMPLETE, d);
        incompleteImages.inc();
        LOG.warn("{}", d.message);
        image.clear();
        filters.clear();
    }

    private static TileStats metaOf(TileStats t) {
        TileStats m = new TileStats();
        m.mergeKey = t.mergeKey;
        m.imageId = t.imageId;
        m.sourceId = t.sourceId;
        m.batchId = t.batchId;
        m.filterCount = t.filterCount;
        m.inputWidth = t.inputWidth;
        m.inputHeight = t.inputHeight;
        m.captureTimeMs = t.captureTimeMs;
        m.ingestTimeMs = t.ingestTimeMs;
        m.sourceTopic = t.sourceTopic;
        m.sourcePartition = t.sourcePartition;
        m.sourceOffset = t.sourceOffset;
        m.key = t.key;
        return m;
    }

    /** Image metadata from the first tile, map geometry from this filter's (group's) tiles. */
    private static void fill(EdgeStatsRecord r, TileStats meta, TileStats t, long now) {
        r.imageId = meta.imageId;
        r.sourceId = meta.sourceId;
        r.batchId = meta.batchId;
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
