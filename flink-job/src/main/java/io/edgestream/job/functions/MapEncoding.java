package io.edgestream.job.functions;

import io.edgestream.schemas.MapDataType;

/**
 * How a filter's maps go on the maps topic (job option {@code map.encoding}); what each one
 * promises is in docs/topics.md#map-encodings.
 */
public enum MapEncoding {
    /** The exact float32 result, 4 bytes per sample. */
    FLOAT32(MapDataType.FLOAT32_LE),
    /** IEEE half precision, 2 bytes per sample, rounded to nearest even. */
    FLOAT16(MapDataType.FLOAT16_LE),
    /** Exact int16, 2 bytes per sample, where the job can prove it; else FLOAT32 per image. */
    INT16(MapDataType.INT16_LE),
    /** Lossy 8-bit display maps with a per-map scale and offset, 1 byte per sample. */
    UINT8(MapDataType.UINT8),
    /** No maps at all: statistics only. */
    NONE(null);

    private final MapDataType dataType;

    MapEncoding(MapDataType dataType) {
        this.dataType = dataType;
    }

    /** The wire type of {@code FeatureMapTile.dataType}, or null for {@link #NONE}. */
    public MapDataType dataType() {
        return dataType;
    }
}
