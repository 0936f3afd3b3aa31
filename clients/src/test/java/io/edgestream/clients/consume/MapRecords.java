package io.edgestream.clients.consume;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.MapDataType;
import io.edgestream.schemas.wire.MapSamples;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The job's records for one known map, made by hand for tests without Kafka or the imaging core:
 * the map cut into a grid of tiles (row by row, the last column and row narrower where the size
 * does not divide), each tile's samples as any data type, and the map's stats.
 */
final class MapRecords {
    private MapRecords() {}

    /**
     * A {@code w x h x c} map whose samples are all different and exact in float16: -100, -99.5,
     * -99, ... (HWC order).
     */
    static ImageF32 map(int w, int h, int c) {
        ImageF32 m = ImageF32.allocate(w, h, c);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = -100f + 0.5f * (i % 400);
        }
        return m;
    }

    /** The UINT8 scale of the tiles made here: {@link #map}'s range [-100, 99.5] in 255 steps. */
    static final float UINT8_SCALE = MapSamples.uint8Scale(-100, 99.5);

    /** The UINT8 offset of the tiles made here: the lower end of {@link #map}'s range. */
    static final float UINT8_OFFSET = -100f;

    /**
     * A {@code w x h x c} map of integers in int16, all different up to 65536 samples: -32768,
     * -32767, ... (HWC order).
     */
    static ImageF32 intMap(int w, int h, int c) {
        ImageF32 m = ImageF32.allocate(w, h, c);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = (i % 65536) - 32768;
        }
        return m;
    }

    /** The map's tiles of at most {@code tw x th}, every one encoded as {@code type}. */
    static List<FeatureMapTile> tiles(
            String imageId, String filter, ImageF32 map, int tw, int th, MapDataType type) {
        int cols = (map.width + tw - 1) / tw;
        int rows = (map.height + th - 1) / th;
        List<FeatureMapTile> out = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            for (int col = 0; col < cols; col++) {
                int x = col * tw;
                int y = r * th;
                int w = Math.min(tw, map.width - x);
                int h = Math.min(th, map.height - y);
                out.add(tile(imageId, filter, map, out.size(), rows * cols, x, y, w, h, type));
            }
        }
        return out;
    }

    /** One tile: the samples of {@code map} in the rectangle, compact HWC. */
    static FeatureMapTile tile(
            String imageId,
            String filter,
            ImageF32 map,
            int index,
            int count,
            int x,
            int y,
            int w,
            int h,
            MapDataType type) {
        float[] v = new float[w * h * map.channels];
        int at = 0;
        for (int yy = y; yy < y + h; yy++) {
            for (int xx = x; xx < x + w; xx++) {
                for (int ch = 0; ch < map.channels; ch++) {
                    v[at++] = map.get(xx, yy, ch);
                }
            }
        }
        return tileWithData(imageId, filter, map, index, count, x, y, w, h, type, encode(v, type));
    }

    static FeatureMapTile tileWithData(
            String imageId,
            String filter,
            ImageF32 map,
            int index,
            int count,
            int x,
            int y,
            int w,
            int h,
            MapDataType type,
            byte[] data) {
        return FeatureMapTile.newBuilder()
                .setImageId(imageId)
                .setSourceId("test")
                .setFilter(filter)
                .setTileIndex(index)
                .setTileCount(count)
                .setX(x)
                .setY(y)
                .setWidth(w)
                .setHeight(h)
                .setMapWidth(map.width)
                .setMapHeight(map.height)
                .setChannels(map.channels)
                .setDataType(type)
                .setScale(type == MapDataType.UINT8 ? UINT8_SCALE : 1f)
                .setOffset(type == MapDataType.UINT8 ? UINT8_OFFSET : 0f)
                .setData(ByteBuffer.wrap(data))
                .setCaptureTimeMs(1)
                .setSequence(0)
                .build();
    }

    /** {@code v} as {@code type}, with {@link #UINT8_SCALE} and {@link #UINT8_OFFSET} for UINT8. */
    static byte[] encode(float[] v, MapDataType type) {
        return type == MapDataType.UINT8
                ? MapSamples.encode(v, type, UINT8_SCALE, UINT8_OFFSET)
                : MapSamples.encode(v, type, 1f, 0f);
    }

    /** The map's stats record, saying {@code tileCount} tiles. */
    static EdgeStats stats(String imageId, String filter, ImageF32 map, int tileCount) {
        return EdgeStats.newBuilder(JsonTest.sampleStats(imageId, null))
                .setFilter(filter)
                .setMapWidth(map.width)
                .setMapHeight(map.height)
                .setChannels(map.channels)
                .setTileCount(tileCount)
                .setPixelCount((long) map.width * map.height)
                .build();
    }
}
