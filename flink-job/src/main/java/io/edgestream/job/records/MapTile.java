package io.edgestream.job.records;

import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.MapDataType;
import io.edgestream.schemas.wire.MapSamples;
import java.nio.ByteBuffer;

/**
 * One convolved tile of one filter's feature map, between the convolution and the map sink. A Flink
 * POJO whose samples are a primitive array (fast serializer, no Kryo): always the exact float32
 * result, with the data type, scale and offset the convolution chose for the wire ({@code
 * MapEncodings}); {@link #toAvro()} encodes the samples so, when the tile is serialized.
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

    /** How {@link #data} goes on the wire. */
    public MapDataType dataType = MapDataType.FLOAT32_LE;

    /** {@code FeatureMapTile.scale}: 1 except for UINT8. */
    public float scale = 1f;

    /** {@code FeatureMapTile.offset}: 0 except for UINT8. */
    public float offset = 0f;

    public long captureTimeMs;
    public long sequence;

    /** Index of the parallel subtask that convolved this tile (sent as a Kafka header). */
    public int subtask;

    public MapTile() {}

    /**
     * The wire record, samples encoded as {@link #dataType} with {@link #scale}, {@link #offset}.
     */
    public FeatureMapTile toAvro() {
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
                .setScale(scale)
                .setOffset(offset)
                .setData(ByteBuffer.wrap(MapSamples.encode(data, dataType, scale, offset)))
                .setCaptureTimeMs(captureTimeMs)
                .setSequence(sequence)
                .build();
    }

    @Override
    public String toString() {
        return "MapTile[" + imageId + "/" + filter + " " + tileIndex + "/" + tileCount + "]";
    }
}
