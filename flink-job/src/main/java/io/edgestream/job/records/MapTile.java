package io.edgestream.job.records;

import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.MapDataType;
import io.edgestream.schemas.wire.Float16;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One convolved tile of one filter's feature map, between the convolution and the map sink. A Flink
 * POJO whose samples are a primitive array (fast serializer, no Kryo); {@link #toAvro(MapDataType)}
 * gives the {@link FeatureMapTile} that goes on the wire.
 */
public class MapTile {
    public String imageId;
    public String sourceId;
    public String filter;
    public int tileIndex;
    public int tileCount;
    public int x;
    public int y;
    public int width;
    public int height;
    public int mapWidth;
    public int mapHeight;
    public int channels;

    /** Row-major HWC samples, exactly width*height*channels. */
    public float[] data;

    public long captureTimeMs;
    public long sequence;

    /** Index of the parallel subtask that convolved this tile (sent as a Kafka header). */
    public int subtask;

    public MapTile() {}

    /** The wire record, samples encoded as {@code dataType}. */
    public FeatureMapTile toAvro(MapDataType dataType) {
        ByteBuffer buf;
        switch (dataType) {
            case FLOAT32_LE -> {
                buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(data);
            }
            case FLOAT16_LE -> buf = ByteBuffer.wrap(Float16.encodeLittleEndian(data));
            default -> throw new IllegalArgumentException("unsupported map data type " + dataType);
        }
        return FeatureMapTile.newBuilder()
                .setImageId(imageId)
                .setSourceId(sourceId)
                .setFilter(filter)
                .setTileIndex(tileIndex)
                .setTileCount(tileCount)
                .setX(x)
                .setY(y)
                .setWidth(width)
                .setHeight(height)
                .setMapWidth(mapWidth)
                .setMapHeight(mapHeight)
                .setChannels(channels)
                .setDataType(dataType)
                .setData(buf)
                .setCaptureTimeMs(captureTimeMs)
                .setSequence(sequence)
                .build();
    }

    @Override
    public String toString() {
        return "MapTile[" + imageId + "/" + filter + " " + tileIndex + "/" + tileCount + "]";
    }
}
