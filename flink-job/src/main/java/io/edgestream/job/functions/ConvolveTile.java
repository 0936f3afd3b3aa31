package io.edgestream.job.functions;

import io.edgestream.imaging.conv.Convolution;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.FilterBank;
import io.edgestream.imaging.filter.FilterOutput;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.stats.StatsConfig;
import io.edgestream.job.metrics.EdgeMetrics;
import io.edgestream.job.records.MapTile;
import io.edgestream.job.records.TileStats;
import io.edgestream.job.records.TileTask;
import io.edgestream.job.records.TopicWire;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.wire.FeatureMapTileEncoder;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Convolves one tile with every filter of its size group in one pass ({@link FilterBank}, one per
 * group and subtask, built in {@link #open}) and emits, per filter, the output tile as a {@link
 * MapTile} and its partial edge statistics as a {@link TileStats} on {@link #TILE_STATS}. The
 * statistics are always those of the float32 result; the map tile carries its record, encoded here
 * as chosen for it ({@link MapEncodings#choose}) straight from the bank's reused map array ({@link
 * FilterBank#applyReusingMaps}, {@link FeatureMapTileEncoder}), so no map array is allocated per
 * tile and no emitted object refers to one; no map tile is emitted for a filter whose encoding is
 * {@code NONE}.
 *
 * <p>Metrics (group {@value EdgeMetrics#GROUP}, docs/metrics.md): {@code tilesConvolved}; {@code
 * int16FallbackMaps}, the maps (one image, one filter) asked for as INT16 but written as FLOAT32
 * because the image's depth or channels do not prove that every sample fits int16 exactly.
 */
public class ConvolveTile extends ProcessFunction<TileTask, MapTile> {
    private static final long serialVersionUID = 1L;

    /** Side output of per-tile, per-filter statistics for the merge. */
    public static final OutputTag<TileStats> TILE_STATS =
            new OutputTag<>("tile-stats", TypeInformation.of(TileStats.class));

    private final ProcessingSpec spec;
    private final TopicWire mapsWire;

    private transient List<FilterBank> banks;
    private transient int subtask;
    private transient Counter tilesConvolved;
    private transient Counter int16FallbackMaps;

    private transient FeatureMapTileEncoder encoder;

    /** Map records in single-object encoding (tests). */
    public ConvolveTile(ProcessingSpec spec) {
        this(spec, TopicWire.singleObject("edge-maps"));
    }

    /** Map records in the maps topic's format {@code mapsWire} (the map sink's). */
    public ConvolveTile(ProcessingSpec spec, TopicWire mapsWire) {
        this.spec = spec;
        this.mapsWire = mapsWire;
    }

    @Override
    public void open(OpenContext openContext) {
        // The format's header once (with a registry: the schema registered, its id known).
        encoder =
                new FeatureMapTileEncoder(
                        mapsWire.openForWriting(FeatureMapTile.class).header(),
                        Convolution::narrowInt16LE);
        banks = new ArrayList<>();
        for (List<Filter> group : spec.filterGroups()) {
            banks.add(new FilterBank(group, spec.convParams()));
        }
        subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        MetricGroup metrics = EdgeMetrics.group(getRuntimeContext().getMetricGroup());
        tilesConvolved = metrics.counter(EdgeMetrics.TILES_CONVOLVED);
        int16FallbackMaps = metrics.counter(EdgeMetrics.INT16_FALLBACK_MAPS);
    }

    /** Maps written as FLOAT32 though INT16 was asked (the metric {@code int16FallbackMaps}). */
    long int16FallbackMaps() {
        return int16FallbackMaps.getCount();
    }

    @Override
    public void processElement(TileTask t, Context ctx, Collector<MapTile> out) {
        FilterBank bank = banks.get(t.group);
        int n = bank.filters().size();
        List<StatsConfig> cfgs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            cfgs.add(
                    new StatsConfig(
                            t.histogramBins[i],
                            t.histogramMin[i],
                            t.histogramMax[i],
                            t.edgeThreshold[i],
                            t.orientationBins[i],
                            t.tilesX,
                            t.tilesY));
        }
        // The maps are the bank's reused array: each is encoded into its record right here. An
        // 8-bit window goes to the bank as bytes (a colour volume is then summed straight from
        // them, with the same bits).
        List<FilterOutput> outputs =
                t.windowU8 != null
                        ? bank.applyReusingMapsU8(t.windowU8, t.windowChannels, t.tileSpec(), cfgs)
                        : bank.applyReusingMaps(
                                new ImageF32(
                                        t.window,
                                        t.inW,
                                        t.inH,
                                        t.windowChannels,
                                        t.inW * t.windowChannels,
                                        0),
                                t.tileSpec(),
                                cfgs);
        for (int i = 0; i < n; i++) {
            FilterOutput o = outputs.get(i);
            String filter = o.filter().name();

            MapEncodings.Choice encoding =
                    spec.mapEncodings.choose(
                            o.filter(),
                            bank.params(),
                            t.inputBitDepth,
                            t.inputChannels,
                            t.histogramMin[i],
                            t.histogramMax[i]);
            if (encoding.fellBack() && t.tileIndex == 0) {
                int16FallbackMaps.inc();
            }
            if (encoding.dataType() != null) {
                MapTile m = new MapTile();
                m.imageId = t.imageId;
                m.sourceId = t.sourceId;
                m.filter = filter;
                m.tileIndex = t.tileIndex;
                m.tileCount = t.tileCount;
                m.x = t.outX;
                m.y = t.outY;
                m.width = t.outW;
                m.height = t.outH;
                m.mapWidth = t.mapWidth;
                m.mapHeight = t.mapHeight;
                m.channels = o.map().channels;
                m.dataType = encoding.dataType();
                m.scale = encoding.scale();
                m.offset = encoding.offset();
                m.captureTimeMs = t.captureTimeMs;
                m.sequence = t.sequence;
                m.subtask = subtask;
                ImageF32 map = o.map();
                m.record =
                        encoder.encode(
                                m.avroFields(),
                                map.data,
                                map.offset,
                                map.width * map.height * map.channels);
                out.collect(m);
            }

            TileStats s = new TileStats();
            s.mergeKey = t.mergeKey();
            s.imageId = t.imageId;
            s.sourceId = t.sourceId;
            s.batchId = t.batchId;
            s.sourceName = t.sourceName;
            s.filter = filter;
            s.filterCount = t.filterCount;
            s.tileIndex = t.tileIndex;
            s.tileCount = t.tileCount;
            s.inputWidth = t.inputWidth;
            s.inputHeight = t.inputHeight;
            s.mapWidth = t.mapWidth;
            s.mapHeight = t.mapHeight;
            s.channels = o.map().channels;
            s.captureTimeMs = t.captureTimeMs;
            s.ingestTimeMs = t.ingestTimeMs;
            s.sourceTopic = t.sourceTopic;
            s.sourcePartition = t.sourcePartition;
            s.sourceOffset = t.sourceOffset;
            s.originalSize = t.originalSize;
            s.key = t.key;
            s.statsConfig(cfgs.get(i));
            s.partial = o.stats();
            s.subtask = subtask;
            ctx.output(TILE_STATS, s);
        }
        tilesConvolved.inc();
    }
}
