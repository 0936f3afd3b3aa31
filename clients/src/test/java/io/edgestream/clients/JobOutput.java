package io.edgestream.clients;

import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.FilterBank;
import io.edgestream.imaging.filter.FilterOutput;
import io.edgestream.imaging.filter.ResponseRange;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.tile.TilePlan;
import io.edgestream.imaging.tile.TileSpec;
import io.edgestream.schemas.DensityGrid;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.Histogram;
import io.edgestream.schemas.MapDataType;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.schemas.wire.MapSamples;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What the job writes for one image and filter, built with the imaging core for the consumer tool's
 * tests: the map's tiles ({@code edge-maps}) as the job cuts and encodes them, in shuffled order,
 * with the stats record ({@code edge-stats}) in the middle. The stats carry the map's real minimum
 * and maximum; their other moments are placeholders (the consumer copies them through).
 */
final class JobOutput {
    private JobOutput() {}

    /**
     * {@code FeatureMapTile.scale} and {@code offset} as the job sets them for 8-bit input: for
     * UINT8 the filter's theoretical output range ({@link ResponseRange#of}), else 1 and 0.
     */
    static float[] scaleAndOffset(
            MapDataType type, Filter filter, ConvParams params, int channels) {
        if (type != MapDataType.UINT8) {
            return new float[] {1f, 0f};
        }
        double[] r = ResponseRange.of(filter, params, channels, 0, 255);
        return new float[] {MapSamples.uint8Scale(r[0], r[1]), (float) r[0]};
    }

    /** {@code values} as a consumer reads them back after the job wrote them as {@code type}. */
    static float[] onTheWire(
            float[] values, MapDataType type, Filter filter, ConvParams params, int channels) {
        float[] so = scaleAndOffset(type, filter, params, channels);
        return MapSamples.decode(
                ByteBuffer.wrap(MapSamples.encode(values, type, so[0], so[1])), type, so[0], so[1]);
    }

    /** Tiles, computed as the job computes them, and the stats record of one map. */
    static List<ProducerRecord<byte[], byte[]>> jobOutput(
            String mapsTopic,
            String statsTopic,
            String imageId,
            ImageF32 image,
            Filter filter,
            ConvParams params,
            int tile,
            long seed) {
        return jobOutput(
                mapsTopic,
                statsTopic,
                imageId,
                image,
                filter,
                params,
                tile,
                seed,
                MapDataType.FLOAT32_LE);
    }

    static List<ProducerRecord<byte[], byte[]>> jobOutput(
            String mapsTopic,
            String statsTopic,
            String imageId,
            ImageF32 image,
            Filter filter,
            ConvParams params,
            int tile,
            long seed,
            MapDataType type) {
        return jobOutput(
                mapsTopic, statsTopic, imageId, image, filter, params, tile, seed, type, null);
    }

    /** As the job writes it for a frame whose attribute {@code file} is {@code sourceName}. */
    static List<ProducerRecord<byte[], byte[]>> jobOutput(
            String mapsTopic,
            String statsTopic,
            String imageId,
            ImageF32 image,
            Filter filter,
            ConvParams params,
            int tile,
            long seed,
            MapDataType type,
            String sourceName) {
        FilterBank bank = new FilterBank(List.of(filter), params);
        ImageF32 prepared = bank.prepare(image);
        TilePlan plan =
                TilePlan.forFilters(
                        prepared.width, prepared.height, List.of(filter), params, tile, tile);
        List<ProducerRecord<byte[], byte[]>> tiles = new ArrayList<>();
        byte[] key = imageId.getBytes(StandardCharsets.UTF_8);
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (TileSpec t : plan.tiles()) {
            FilterOutput out = bank.apply(plan.extract(prepared, t), t).get(0);
            float[] v = out.map().isCompact() ? out.map().data.clone() : out.map().toArray();
            float[] so = scaleAndOffset(type, filter, params, image.channels);
            byte[] data = MapSamples.encode(v, type, so[0], so[1]);
            for (float f : v) {
                min = Math.min(min, f);
                max = Math.max(max, f);
            }
            FeatureMapTile rec =
                    FeatureMapTile.newBuilder()
                            .setImageId(imageId)
                            .setSourceId("it")
                            .setFilter(filter.name())
                            .setTileIndex(t.index())
                            .setTileCount(plan.tileCount())
                            .setX(t.outX())
                            .setY(t.outY())
                            .setWidth(t.outW())
                            .setHeight(t.outH())
                            .setMapWidth(plan.outputWidth())
                            .setMapHeight(plan.outputHeight())
                            .setChannels(bank.outputChannels(image.channels))
                            .setDataType(type)
                            .setScale(so[0])
                            .setOffset(so[1])
                            .setData(ByteBuffer.wrap(data))
                            .setCaptureTimeMs(1)
                            .setSequence(0)
                            .build();
            tiles.add(new ProducerRecord<>(mapsTopic, key, AvroWire.featureMapTiles().encode(rec)));
        }
        Collections.shuffle(tiles, new Random(seed));
        EdgeStats stats =
                EdgeStats.newBuilder()
                        .setImageId(imageId)
                        .setSourceId("it")
                        .setBatchId(null)
                        .setSourceName(sourceName)
                        .setFilter(filter.name())
                        .setInputWidth(image.width)
                        .setInputHeight(image.height)
                        .setMapWidth(plan.outputWidth())
                        .setMapHeight(plan.outputHeight())
                        .setChannels(bank.outputChannels(image.channels))
                        .setTileCount(plan.tileCount())
                        .setPixelCount((long) plan.outputWidth() * plan.outputHeight())
                        .setMin(min)
                        .setMax(max)
                        .setMean(0)
                        .setStddev(0)
                        .setMeanAbs(0)
                        .setEdgeThreshold(100)
                        .setEdgeCount(1)
                        .setEdgeFraction(0.25)
                        .setHistogram(
                                Histogram.newBuilder()
                                        .setMin(min)
                                        .setMax(max)
                                        .setCounts(List.of(1L))
                                        .build())
                        .setDensityGrid(
                                DensityGrid.newBuilder()
                                        .setRows(0)
                                        .setCols(0)
                                        .setValues(List.of())
                                        .build())
                        .setCaptureTimeMs(1)
                        .setIngestTimeMs(2)
                        .setCompletedTimeMs(5)
                        .build();
        // Stats may arrive before the last tiles: put them in the middle.
        tiles.add(
                tiles.size() / 2,
                new ProducerRecord<>(statsTopic, key, AvroWire.edgeStats().encode(stats)));
        return tiles;
    }
}
