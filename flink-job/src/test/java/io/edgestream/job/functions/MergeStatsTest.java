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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-image merge of tile statistics: completion, order, duplicates, timeout, and the same
 * results and timeout across a snapshot and restore of its keyed state and timers.
 */
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
        s.originalSize = 4321;
        s.key = new byte[] {1, 2};
        s.statsConfig(c);
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
    void shouldGiveTheSameBitsInEveryArrivalOrder() throws Exception {
        // Fractional samples and many tiles, so that the merge's compensated sums and m2 depend on
        // the order partials are merged in.
        Random r = new Random(11);
        int w = 40;
        int hgt = 30;
        float[] px = new float[w * hgt];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) Math.exp(r.nextGaussian() * 4);
        }
        image = ImageF32.wrap(px, w, hgt, 1);
        plan = TilePlan.plan(w, hgt, 3, 3, PARAMS, 5, 4);
        Filter v = Filters.parse("vertical");
        List<TileStats> tiles = new ArrayList<>();
        for (int i = 0; i < plan.tileCount(); i++) {
            tiles.add(tile(v, i, 1));
        }
        List<String> results = new ArrayList<>();
        for (int run = 0; run < 30; run++) {
            List<TileStats> order = new ArrayList<>(tiles);
            if (run == 1) {
                java.util.Collections.reverse(order);
            } else if (run > 1) {
                java.util.Collections.shuffle(order, new Random(run));
            }
            try (var h =
                    ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                            new MergeStats(TIMEOUT), (TileStats s) -> s.mergeKey, Types.STRING)) {
                for (TileStats t : order) {
                    h.processElement(t, 0);
                }
                List<EdgeStatsRecord> out = h.extractOutputValues();
                assertThat(out).hasSize(1);
                EdgeStatsRecord e = out.get(0);
                Reference.assertStatsEqual(e.toAvro(), whole(v));
                results.add(
                        Double.doubleToRawLongBits(e.mean)
                                + "/"
                                + Double.doubleToRawLongBits(e.stddev)
                                + "/"
                                + Double.doubleToRawLongBits(e.meanAbs));
            }
        }
        assertThat(results).as("same bits for every arrival order").containsOnly(results.get(0));
    }

    @Test
    void shouldEmitOnePerFilterAllTogetherAndClearStateWhenEveryFilterIsDone() throws Exception {
        Filter v = Filters.parse("vertical");
        Filter h = Filters.parse("horizontal");
        for (int i = 0; i < 4; i++) {
            harness.processElement(tile(v, i, 2), 0);
        }
        // One input, one outcome: a complete filter waits for the others, so an image never ends
        // with some filters' statistics and a dead letter.
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isPositive();
        for (int i = 3; i >= 0; i--) {
            harness.processElement(tile(h, i, 2), 0);
        }
        List<EdgeStatsRecord> out = harness.extractOutputValues();
        assertThat(out).extracting(r -> r.filter).containsExactly("horizontal", "vertical");
        Reference.assertStatsEqual(out.get(0).toAvro(), whole(h));
        Reference.assertStatsEqual(out.get(1).toAvro(), whole(v));
        assertThat(out.get(0).completedTimeMs).isEqualTo(out.get(1).completedTimeMs);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    private static TileStats abortMarker() {
        TileStats m = new TileStats();
        m.aborted = true;
        m.mergeKey = "img|images|0|42";
        m.imageId = "img";
        return m;
    }

    @Test
    void shouldDropAnAbortedImageWithoutStatisticsOrASecondDeadLetter() throws Exception {
        Filter v = Filters.parse("vertical");
        Filter h = Filters.parse("horizontal");
        // The decoder sent all of vertical's tiles and two of horizontal's, then gave up.
        for (int i = 0; i < 4; i++) {
            harness.processElement(tile(v, i, 2), 0);
        }
        harness.processElement(tile(h, 0, 2), 0);
        harness.processElement(abortMarker(), 0);
        // A tile still on its way when the marker arrived is dropped too.
        harness.processElement(tile(h, 1, 2), 0);
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.setProcessingTime(10 * TIMEOUT);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.getSideOutput(MergeStats.INCOMPLETE))
                .as("the decoder already dead-lettered the record")
                .isNull();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void shouldDropTilesThatArriveAfterTheAbortMarker() throws Exception {
        Filter v = Filters.parse("vertical");
        harness.processElement(abortMarker(), 0);
        for (int i = 0; i < 4; i++) {
            harness.processElement(tile(v, i, 1), 0);
        }
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.setProcessingTime(TIMEOUT);
        assertThat(harness.getSideOutput(MergeStats.INCOMPLETE)).isNull();
        assertThat(harness.numKeyedStateEntries()).isZero();
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
        assertThat(d.originalKeySize).isEqualTo(2);
        assertThat(d.originalSize).isEqualTo(4321);
        assertThat(d.payload).isEmpty();
        assertThat(d.message)
                .contains("0 of 2 filters complete")
                .contains("'vertical' is missing tiles [1, 3] of 4")
                .contains("1 filter(s) received no tile at all");
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    // ---- snapshot and restore ----------------------------------------------------------------

    /**
     * A harness for a fresh MergeStats with the key group layout of {@code
     * ProcessFunctionTestHarnesses.forKeyedProcessFunction} (max parallelism 1, one subtask), not
     * yet opened: {@code initializeState} must come before {@code open}.
     */
    private static KeyedOneInputStreamOperatorTestHarness<String, TileStats, EdgeStatsRecord>
            unopenedHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new MergeStats(TIMEOUT)),
                s -> s.mergeKey,
                Types.STRING,
                1,
                1,
                0);
    }

    private static List<DeadLetterRecord> deadLetters(
            KeyedOneInputStreamOperatorTestHarness<String, TileStats, EdgeStatsRecord> h) {
        var side = h.getSideOutput(MergeStats.INCOMPLETE);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void shouldEmitAfterASnapshotAndRestoreExactlyWhatAnUninterruptedRunEmits() throws Exception {
        Filter v = Filters.parse("vertical");
        Filter h = Filters.parse("horizontal");
        // Before the snapshot: all of vertical (complete, but held back until every filter is),
        // half of horizontal. After the restore: a re-delivered horizontal tile (ignored only if
        // 'seen' survived; merged twice it would change the statistics) and the rest of
        // horizontal, which completes the image: both filters are emitted then.
        List<TileStats> before =
                List.of(
                        tile(v, 2, 2),
                        tile(v, 0, 2),
                        tile(v, 3, 2),
                        tile(v, 1, 2),
                        tile(h, 3, 2),
                        tile(h, 1, 2));
        List<TileStats> after = List.of(tile(h, 3, 2), tile(h, 0, 2), tile(h, 2, 2));
        long startMs = System.currentTimeMillis();

        // The uninterrupted run, on the harness of setUp.
        for (TileStats t : before) {
            harness.processElement(t, 0);
        }
        for (TileStats t : after) {
            harness.processElement(t, 0);
        }
        List<EdgeStatsRecord> uninterrupted = harness.extractOutputValues();
        assertThat(uninterrupted)
                .extracting(r -> r.filter)
                .containsExactly("horizontal", "vertical");
        Reference.assertStatsEqual(uninterrupted.get(0).toAvro(), whole(h));
        Reference.assertStatsEqual(uninterrupted.get(1).toAvro(), whole(v));

        // The same tiles with a snapshot in between, restored into a new operator instance.
        List<EdgeStatsRecord> interrupted = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (var first =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new MergeStats(TIMEOUT), (TileStats s) -> s.mergeKey, Types.STRING)) {
            first.setProcessingTime(0);
            for (TileStats t : before) {
                first.processElement(t, 0);
            }
            assertThat(first.extractOutputValues()).isEmpty();
            assertThat(first.numKeyedStateEntries()).isPositive();
            snapshot = first.snapshot(1L, 1L);
        }
        try (var restored = unopenedHarness()) {
            restored.setProcessingTime(0);
            restored.initializeState(snapshot);
            restored.open();
            assertThat(restored.numKeyedStateEntries()).as("restored keyed state").isPositive();
            for (TileStats t : after) {
                restored.processElement(t, 0);
            }
            assertThat(restored.extractOutputValues())
                    .extracting(r -> r.filter)
                    .containsExactly("horizontal", "vertical");
            interrupted.addAll(restored.extractOutputValues());
            // Image done: state and the incomplete-image timer are gone, nothing dead-lettered.
            assertThat(restored.numKeyedStateEntries()).isZero();
            assertThat(restored.numProcessingTimeTimers()).isZero();
            restored.setProcessingTime(10 * TIMEOUT);
            assertThat(deadLetters(restored)).isEmpty();
        }

        // Field by field, every value; completedTimeMs alone is the wall clock at emission.
        assertThat(interrupted).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(interrupted.get(i))
                    .as("record %d (%s)", i, uninterrupted.get(i).filter)
                    .usingRecursiveComparison()
                    .ignoringFields("completedTimeMs")
                    .isEqualTo(uninterrupted.get(i));
            assertThat(interrupted.get(i).completedTimeMs)
                    .isBetween(startMs, System.currentTimeMillis());
        }
        // The restored statistics are the whole map's, not merely equal to another run's.
        Reference.assertStatsEqual(interrupted.get(0).toAvro(), whole(h));
        Reference.assertStatsEqual(interrupted.get(1).toAvro(), whole(v));
        assertThat(interrupted.get(0).edgeCount).isEqualTo(whole(h).edgeCount());
        assertThat(interrupted.get(0).captureTimeMs).isEqualTo(5);
        assertThat(interrupted.get(0).ingestTimeMs).isEqualTo(6);
    }

    @Test
    void shouldFireTheIncompleteImageTimerRestoredFromASnapshot() throws Exception {
        Filter v = Filters.parse("vertical");
        // First tile at processing time 0: the image times out at TIMEOUT.
        harness.processElement(tile(v, 0, 2), 0);
        harness.processElement(tile(v, 2, 2), 0);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);

        try (var restored = unopenedHarness()) {
            restored.setProcessingTime(TIMEOUT / 2);
            restored.initializeState(snapshot);
            restored.open();
            assertThat(restored.numProcessingTimeTimers()).as("restored timers").isEqualTo(1);
            // A tile after the restore joins the restored image (no new timer at now + TIMEOUT).
            restored.processElement(tile(v, 3, 2), 0);
            assertThat(restored.numProcessingTimeTimers()).isEqualTo(1);
            restored.setProcessingTime(TIMEOUT - 1);
            assertThat(deadLetters(restored)).isEmpty();

            restored.setProcessingTime(TIMEOUT);
            List<DeadLetterRecord> dl = deadLetters(restored);
            assertThat(dl).hasSize(1);
            DeadLetterRecord d = dl.get(0);
            assertThat(d.reasonCode()).isEqualTo(DeadLetterReason.INCOMPLETE_IMAGE);
            assertThat(d.imageId).isEqualTo("img");
            assertThat(d.sourceTopic).isEqualTo("images");
            assertThat(d.sourceOffset).isEqualTo(42);
            assertThat(d.sourceTimestampMs).isEqualTo(6);
            assertThat(d.key).containsExactly(1, 2);
            assertThat(d.payload).isEmpty();
            // Tiles 0 and 2 from before the snapshot, 3 from after it: only 1 is missing.
            assertThat(d.message)
                    .isEqualTo(
                            "image img incomplete after "
                                    + TIMEOUT
                                    + " ms (incomplete.timeout.ms): 0 of 2 filters complete;"
                                    + " filter 'vertical' is missing tiles [1] of 4;"
                                    + " 1 filter(s) received no tile at all");
            assertThat(restored.extractOutputValues()).isEmpty();
            assertThat(restored.numKeyedStateEntries()).isZero();
            assertThat(restored.numProcessingTimeTimers()).isZero();
        }
    }
}
