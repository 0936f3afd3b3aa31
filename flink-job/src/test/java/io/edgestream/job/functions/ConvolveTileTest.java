package io.edgestream.job.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.FilterBank;
import io.edgestream.imaging.filter.FilterOutput;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.job.EdgeJobOptions;
import io.edgestream.job.records.InputRecord;
import io.edgestream.job.records.MapTile;
import io.edgestream.job.records.TileStats;
import io.edgestream.job.records.TileTask;
import io.edgestream.job.testing.TestImages;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.ImageEncoding;
import io.edgestream.schemas.MapDataType;
import io.edgestream.schemas.PixelFormat;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.schemas.wire.MapSamples;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The convolution's map encodings, per image: tiles of 8-bit, 16-bit and float images through
 * {@link DecodeAndTile} and {@link ConvolveTile} with {@code map.encoding
 * INT16,laplacian=NONE,sobel=UINT8}.
 */
class ConvolveTileTest {

    private final ProcessingSpec spec =
            spec("sobel_x|laplacian|sobel", "INT16,laplacian=NONE,sobel=UINT8");

    /**
     * The job's processing with {@code filters}, 8x8 tiles and {@code map.encoding}; every image is
     * spread ({@code tiles.spread.min 1}), so the decoder's main output has all the tiles.
     */
    private static ProcessingSpec spec(String filters, String mapEncoding) {
        return EdgeJobOptions.of(
                        Map.of(
                                EdgeJobOptions.FILTERS.key(),
                                filters,
                                EdgeJobOptions.TILE_SIZE.key(),
                                "8",
                                EdgeJobOptions.MAP_ENCODING.key(),
                                mapEncoding,
                                EdgeJobOptions.TILES_SPREAD_MIN.key(),
                                "1"))
                .processing();
    }

    @Test
    void int16FallsBackToFloat32PerImageNoneWritesNoMapsAndStatsStayComplete() throws Exception {
        float[] floats = new float[12 * 10];
        for (int i = 0; i < floats.length; i++) {
            floats[i] = i * 0.75f;
        }
        List<TileTask> tasks = new ArrayList<>();
        tasks.addAll(
                tile(
                        "gray8",
                        ImageEncoding.RAW,
                        PixelFormat.GRAY8,
                        20,
                        12,
                        1,
                        TestImages.rawGray8(20, 12, 3)));
        tasks.addAll(
                tile("gray16", ImageEncoding.PNG, null, 0, 0, 0, TestImages.pngGray16(18, 11, 4)));
        tasks.addAll(
                tile(
                        "float",
                        ImageEncoding.RAW,
                        PixelFormat.FLOAT32,
                        12,
                        10,
                        1,
                        TestImages.rawFloat32(floats)));

        ConvolveTile convolve = new ConvolveTile(spec);
        List<MapTile> maps;
        List<TileStats> stats;
        try (OneInputStreamOperatorTestHarness<TileTask, MapTile> h =
                ProcessFunctionTestHarnesses.forProcessFunction(convolve)) {
            for (TileTask t : tasks) {
                h.processElement(t, 0L);
            }
            maps = h.extractOutputValues();
            stats =
                    h.getSideOutput(ConvolveTile.TILE_STATS).stream()
                            .map(StreamRecord::getValue)
                            .toList();
        }

        // Statistics: every filter of every tile, NONE included.
        assertThat(stats).hasSize(tasks.size() * 3);
        assertThat(stats.stream().map(s -> s.filter).distinct())
                .containsExactlyInAnyOrder("sobel_x", "laplacian", "sobel");
        // Maps: none for laplacian; one tile per task for the two others.
        assertThat(maps).noneMatch(m -> m.filter.equals("laplacian"));
        assertThat(maps).hasSize(tasks.size() * 2);

        Map<String, List<MapDataType>> sobelX =
                maps.stream()
                        .filter(m -> m.filter.equals("sobel_x"))
                        .collect(
                                Collectors.groupingBy(
                                        m -> m.imageId,
                                        Collectors.mapping(m -> m.dataType, Collectors.toList())));
        assertThat(sobelX.get("gray8")).isNotEmpty().containsOnly(MapDataType.INT16_LE);
        assertThat(sobelX.get("gray16")).isNotEmpty().containsOnly(MapDataType.FLOAT32_LE);
        assertThat(sobelX.get("float")).isNotEmpty().containsOnly(MapDataType.FLOAT32_LE);
        // Counted once per map (image and filter), not per tile.
        assertThat(convolve.int16FallbackMaps()).isEqualTo(2);

        AvroWire<FeatureMapTile> wireCodec = AvroWire.featureMapTiles();
        for (MapTile m : maps) {
            FeatureMapTile wire = wireCodec.decode(m.record);
            assertThat(wire.getImageId()).isEqualTo(m.imageId);
            assertThat(wire.getFilter()).isEqualTo(m.filter);
            assertThat(wire.getTileIndex()).isEqualTo(m.tileIndex);
            assertThat(wire.getDataType()).isEqualTo(m.dataType);
            float[] back = MapSamples.decode(wire);
            float[] result = result(tasks, m);
            assertThat(back).hasSize(result.length);
            if (m.filter.equals("sobel_x")) {
                // INT16 and FLOAT32 are exact: the wire gives back the float32 result.
                assertThat(back).as("%s", m).containsExactly(result);
                assertThat(wire.getScale()).isEqualTo(1f);
            } else {
                // UINT8 over the histogram range of the tile's statistics.
                TileStats s =
                        stats.stream()
                                .filter(
                                        x ->
                                                x.imageId.equals(m.imageId)
                                                        && x.filter.equals("sobel")
                                                        && x.tileIndex == m.tileIndex)
                                .findFirst()
                                .orElseThrow();
                assertThat(wire.getDataType()).isEqualTo(MapDataType.UINT8);
                assertThat(wire.getOffset()).isEqualTo((float) s.histogramMin);
                assertThat(wire.getScale())
                        .isEqualTo(MapSamples.uint8Scale(s.histogramMin, s.histogramMax));
                double bound = wire.getScale() / 2.0 + Math.ulp((float) s.histogramMax);
                for (int i = 0; i < back.length; i++) {
                    assertThat(Math.abs((double) back[i] - result[i])).isLessThanOrEqualTo(bound);
                }
            }
        }
    }

    /** The float32 map of {@code m}'s filter on its tile, from a fresh bank of the task's group. */
    private float[] result(List<TileTask> tasks, MapTile m) {
        TileTask t =
                tasks.stream()
                        .filter(x -> x.imageId.equals(m.imageId) && x.tileIndex == m.tileIndex)
                        .findFirst()
                        .orElseThrow();
        List<Filter> group = spec.filterGroups().get(t.group);
        ImageF32 window =
                new ImageF32(
                        t.windowSamples(),
                        t.inW,
                        t.inH,
                        t.windowChannels,
                        t.inW * t.windowChannels,
                        0);
        List<FilterOutput> outs =
                new FilterBank(group, spec.convParams()).apply(window, t.tileSpec());
        return outs.stream()
                .filter(o -> o.filter().name().equals(m.filter))
                .findFirst()
                .orElseThrow()
                .map()
                .toArray();
    }

    @Test
    void withEveryFilterNoneNoMapTileIsEmittedButEveryStatistic() throws Exception {
        ProcessingSpec none = spec("sobel_x|sobel", "NONE");
        List<TileTask> tasks =
                tile(
                        none,
                        "gray8",
                        ImageEncoding.RAW,
                        PixelFormat.GRAY8,
                        20,
                        12,
                        1,
                        TestImages.rawGray8(20, 12, 3));
        try (OneInputStreamOperatorTestHarness<TileTask, MapTile> h =
                ProcessFunctionTestHarnesses.forProcessFunction(new ConvolveTile(none))) {
            for (TileTask t : tasks) {
                h.processElement(t, 0L);
            }
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.getSideOutput(ConvolveTile.TILE_STATS)).hasSize(tasks.size() * 2);
        }
    }

    private List<TileTask> tile(
            String id,
            ImageEncoding encoding,
            PixelFormat format,
            int w,
            int h,
            int channels,
            byte[] data)
            throws Exception {
        return tile(spec, id, encoding, format, w, h, channels, data);
    }

    private static List<TileTask> tile(
            ProcessingSpec spec,
            String id,
            ImageEncoding encoding,
            PixelFormat format,
            int w,
            int h,
            int channels,
            byte[] data)
            throws Exception {
        try (OneInputStreamOperatorTestHarness<InputRecord, TileTask> decode =
                ProcessFunctionTestHarnesses.forProcessFunction(new DecodeAndTile(spec))) {
            byte[] value =
                    TestImages.encode(TestImages.frame(id, encoding, format, w, h, channels, data));
            decode.processElement(
                    new InputRecord("images", 0, 0, 0L, id.getBytes(StandardCharsets.UTF_8), value),
                    0L);
            assertThat(decode.getSideOutput(DecodeAndTile.DEAD_LETTERS)).as(id).isNull();
            return decode.extractOutputValues();
        }
    }
}
