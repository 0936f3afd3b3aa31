package io.edgestream.job.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.conv.Convolution;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.Filters;
import io.edgestream.imaging.filter.LinearFilter;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.stats.EdgeStatistics;
import io.edgestream.imaging.stats.EdgeStatsPartial;
import io.edgestream.imaging.stats.EdgeSummary;
import io.edgestream.imaging.stats.StatsConfig;
import io.edgestream.imaging.tile.TilePlan;
import io.edgestream.imaging.tile.TileSpec;
import io.edgestream.job.records.DeadLetterRecord;
import io.edgestream.job.records.EdgeStatsRecord;
import io.edgestream.job.records.TileStats;
import io.edgestream.job.testing.Reference;
import io.edgestream.schemas.DeadLetterReason;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-image merge of tile statistics: completion, order, duplicates, timeout. */
class MergeStatsTest {
    private static final long TIMEOUT = 1_000;
    private static final ConvParams PARAMS = ConvParams.DEFAULT;

    private KeyedOneInputStreamOperatorTestHarness<String, TileStats, EdgeStatsRecord> harness;
    private ImageF32 image;
    private TilePlan plan;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new MergeStats(TIMEOUT), s -> s.mergeKey, Types.STRING);
        harness.setProcessingTime(0);
        Random r = new Random(3);
        float[] px = new float[12 * 10];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextInt(256);
        }
        image = ImageF32.wrap(px, 12, 10, 1);
        // 3x3 filters, VALID: map 10x8, tiles of 5x4 -> 2x2 = 4 tiles.
        plan = TilePlan.plan(12, 10, 3, 3, PARAMS, 5, 4);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private StatsConfig cfg(Filter f) {
        return StatsConfig.forFilter(f, PARAMS, 1, 0, 255, 16, null, plan);
    }

    /** The statistics record of tile {@code i} of filter {@code f} of image "img". */
    private TileStats tile(Filter f, int i, int filterCount) {
        LinearFilter lf = (LinearFilter) f;
        ImageF32 map = Convolution.convolve(image, lf.kernel(), PARAMS);
        TileSpec t = plan.tile(i);
        ImageF32 tileMap = map.view(t.outX(), t.outY(), t.outW(), t.outH()).compact();
        StatsConfig c = cfg(f);
        TileStats s = new TileStats();
        s.mergeKey = "img|images|0|42";
        s.imageId = "img";
        s.sourceId = "cam";
        s.filter = f.name();
        s.filterCount = filterCount;
        s.tileIndex = i;
        s.tileCount = plan.tileCount();
        s.inputWidth = 12;
        s.inputHeight = 10;
        s.mapWidth = plan.outputWidth();
        s.mapHeight = plan.outputHeight();
        s.channels = 1;
        s.captureTimeMs = 5;
        s.ingestTimeMs = 6;
        s.sourceTopic = "images";
        s.sourceOffset = 42;
        s.key = new byte[] {1, 2};
        s.histogramBins = c.histogramBins();
        s.histogramMin = c.histogramMin();
        s.histogramMax = c.histogramMax();
        s.edgeThreshold = c.edgeThreshold();
        s.orientationBins = c.orientationBins();
        s.gridCols = c.gridCols();
        s.gridRows = c.gridRows();
        s.partial = EdgeStatsPartial.of(tileMap, null, null, c, t);
        return s;
    }

    private EdgeSummary whole(Filter f) {
        ImageF32 map = Convolution.convolve(image, ((LinearFilter) f).kernel(), PARAMS);
        return EdgeStatistics.whole(map, null, null, cfg(f), plan);
    }

    @Test
    void shouldEmitOnceWhenAllTilesArriveInAnyOrder() throws Exception {
        Filter v = Filters.parse("vertical");
        for (int i : new int[] {3, 1, 0}) {
            harness.processElement(tile(v, i, 1), 0);
            assertThat(harness.extractOutputValues()).as("not complete yet").isEmpty();
        }
        harness.processElement(tile(v, 2, 1), 0);
        List<EdgeStatsRecord> out = harness.extractOutputValues();
        assertThat(out).hasSize(1);
        EdgeStatsRecord r = out.get(0);
        assertThat(r.imageId).isEqualTo("img");
        assertThat(r.filter).isEqualTo("vertical");
        assertThat(r.tileCount).isEqualTo(4);
        assertThat(r.mapWidth).isEqualTo(10);
        assertThat(r.captureTimeMs).isEqualTo(5);
        Reference.assertStatsEqual(r.toAvro(), whole(v));
        // Done: state and timer are gone.
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
        harness.setProcessingTime(10 * TIMEOUT);
        assertThat(harness.getSideOutput(MergeStats.INCOMPLETE)).isNull();
    }

    @Test
    void shouldEmitOnePerFilterAndClearStateWhenEveryFilterIsDone() throws Exception {
        Filter v = Filters.parse("vertical");
        Filter h = Filters.parse("horizontal");
        for (int i = 0; i < 4; i++) {
            harness.processElement(tile(v, i, 2), 0);
        }
        assertThat(harness.extractOutputValues())
                .extracting(r -> r.filter)
                .containsExactly("vertical");
        assertThat(harness.numKeyedStateEntries()).isPositive();
        for (int i = 3; i >= 0; i--) {
            harness.processElement(tile(h, i, 2), 0);
        }
        List<EdgeStatsRecord> out = harness.extractOutputValues();
        assertThat(out).extracting(r -> r.filter).containsExactly("vertical", "horizontal");
        Reference.assertStatsEqual(out.get(1).toAvro(), whole(h));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void shouldIgnoreADuplicateTile() throws Exception {
        Filter v = Filters.parse("vertical");
        harness.processElement(tile(v, 0, 1), 0);
        harness.processElement(tile(v, 0, 1), 0);
        harness.processElement(tile(v, 1, 1), 0);
        harness.processElement(tile(v, 2, 1), 0);
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.processElement(tile(v, 3, 1), 0);
        List<EdgeStatsRecord> out = harness.extractOutputValues();
        assertThat(out).hasSize(1);
        // The duplicate was not merged twice: the statistics equal the whole map's.
        Reference.assertStatsEqual(out.get(0).toAvro(), whole(v));
    }

    @Test
    void shouldDeadLetterAndClearAnImageWhoseTilesDoNotArriveInTime() throws Exception {
        Filter v = Filters.parse("vertical");
        harness.processElement(tile(v, 0, 2), 0);
        harness.processElement(tile(v, 2, 2), 0);
        harness.setProcessingTime(TIMEOUT - 1);
        assertThat(harness.getSideOutput(MergeStats.INCOMPLETE)).isNull();
        harness.setProcessingTime(TIMEOUT);
        List<DeadLetterRecord> dl =
                harness.getSideOutput(MergeStats.INCOMPLETE).stream()
                        .map(StreamRecord::getValue)
                        .toList();
        assertThat(dl).hasSize(1);
        DeadLetterRecord d = dl.get(0);
        assertThat(d.reasonCode()).isEqualTo(DeadLetterReason.INCOMPLETE_IMAGE);
        assertThat(d.imageId).isEqualTo("img");
        assertThat(d.sourceOffset).isEqualTo(42);
        assertThat(d.key).containsExactly(1, 2);
        assertThat(d.payload).isEmpty();
        assertThat(d.message)
                .contains("0 of 2 filters complete")
                .contains("'vertical' is missing tiles [1, 3] of 4")
                .contains("1 filter(s) received no tile at all");
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
