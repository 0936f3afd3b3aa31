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
     * The map sink does not build it: it encodes {@link #avroFields()} and {@link #data} straight
     * into the record's bytes ({@code FeatureMapTileEncoder}), to the same bytes.
     */
    public FeatureMapTile toAvro() {
        FeatureMapTile t = avroFields();
        t.setData(ByteBuffer.wrap(MapSamples.encode(data, dataType, scale, offset)));
        return t;
    }

    /**
     * The wire record without its samples ({@code data} is null), for {@code
     * FeatureMapTileEncoder}.
     */
    public FeatureMapTile avroFields() {
        FeatureMapTile t = new FeatureMapTile();
        t.setImageId(imageId);
        t.setSourceId(sourceId);
        t.setFilter(filter);
        t.setTileIndex(tileIndex);
        t.setTileCount(tileCount);
        t.setX(x);
        t.setY(y);
        t.setWidth(width);
        t.setHeight(height);
        t.setMapWidth(mapWidth);
        t.setMapHeight(mapHeight);
        t.setChannels(channels);
        t.setDataType(dataType);
        t.setScale(scale);
        t.setOffset(offset);
        t.setCaptureTimeMs(captureTimeMs);
        t.setSequence(sequence);
        return t;
    }

    @Override
    public String toString() {
        return "MapTile[" + imageId + "/" + filter + " " + tileIndex + "/" + tileCount + "]";
    }
}
