package io.edgestream.job.records;

import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.MapDataType;

/**
 * One convolved tile of one filter's feature map, between the convolution and the map sink. The
 * convolution encodes the samples at once ({@link #record}, the {@link FeatureMapTile} value as the
 * data type, scale and offset the convolution chose, {@code MapEncodings}), so the float32 map can
 * live in an array the convolution reuses; the other fields say which tile it is. A Flink POJO
 * (primitive array, no Kryo).
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

    /**
     * The Kafka record value: the single-object-encoded {@link FeatureMapTile} of this tile, its
     * samples (row-major HWC, width*height*channels) encoded as {@link #dataType}. A new array per
     * tile: the producer keeps it until it is sent.
     */
    public byte[] record;

    /** How the samples in {@link #record} are encoded. */
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
