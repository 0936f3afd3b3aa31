package io.edgestream.clients.consume;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.MapDataType;
import io.edgestream.schemas.wire.Float16;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The job's records for one known map, made by hand for tests without Kafka or the imaging core:
 * the map cut into a grid of tiles (row by row, the last column and row narrower where the size
 * does not divide), each tile's samples as float32 or float16, and the map's stats.
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
                .setData(ByteBuffer.wrap(data))
                .setCaptureTimeMs(1)
                .setSequence(0)
                .build();
    }

    static byte[] encode(float[] v, MapDataType type) {
        if (type == MapDataType.FLOAT16_LE) {
            return Float16.encodeLittleEndian(v);
        }
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
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
