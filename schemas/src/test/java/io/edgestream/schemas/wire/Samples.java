package io.edgestream.schemas.wire;

import io.edgestream.schemas.DeadLetter;
import io.edgestream.schemas.DeadLetterReason;
import io.edgestream.schemas.DensityGrid;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.Histogram;
import io.edgestream.schemas.ImageEncoding;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.MapDataType;
import io.edgestream.schemas.PixelFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Fully populated example records of every top-level type, with distinctive field values. */
final class Samples {
    private Samples() {}

    static ImageFrame imageFrame() {
        byte[] pixels = new byte[4 * 3 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 7);
        }
        return ImageFrame.newBuilder()
                .setImageId("cam-7-000042")
                .setSourceId("cam-7")
                .setCaptureTimeMs(1_700_000_000_123L)
                .setSequence(42L)
                .setBatchId("batch-2024-01")
                .setWidth(4)
                .setHeight(3)
                .setChannels(3)
                .setPixelFormat(PixelFormat.RGB8)
                .setEncoding(ImageEncoding.RAW)
                .setData(ByteBuffer.wrap(pixels))
                .setAttributes(Map.of("exposureUs", "8000", "lens", "wide"))
                .build();
    }

    /** A 2 x 3 x 1 tile with samples 0.5, -1.25, 3, 1e-3, -0, 7.75 in row-major order. */
    static final float[] TILE_SAMPLES = {0.5f, -1.25f, 3f, 1e-3f, -0f, 7.75f};

    static FeatureMapTile featureMapTile() {
        ByteBuffer data =
                ByteBuffer.allocate(TILE_SAMPLES.length * Float.BYTES)
                        .order(ByteOrder.LITTLE_ENDIAN);
        for (float v : TILE_SAMPLES) {
            data.putFloat(v);
        }
        data.flip();
        return FeatureMapTile.newBuilder()
                .setImageId("cam-7-000042")
                .setSourceId("cam-7")
                .setFilter("sobel_x")
                .setTileIndex(5)
                .setTileCount(12)
                .setX(96)
                .setY(64)
                .setWidth(3)
                .setHeight(2)
                .setMapWidth(254)
                .setMapHeight(190)
                .setChannels(1)
                .setDataType(MapDataType.FLOAT32_LE)
                .setData(data)
                .setCaptureTimeMs(1_700_000_000_123L)
                .setSequence(42L)
                .build();
    }

    /** Integer samples for the INT16_LE and UINT8 samples: both ends of int16 and of Sobel x. */
    static final float[] INT_SAMPLES = {-32768f, -1020f, 0f, 8f, 1020f, 32767f};

    /**
     * The sample tile with its data as {@code type}: {@link #TILE_SAMPLES} as FLOAT32_LE or
     * FLOAT16_LE, {@link #INT_SAMPLES} as INT16_LE, and {@link #INT_SAMPLES} quantized to UINT8
     * over [-1020, 1020] (scale 8, offset -1020; the int16 ends clamp to the range's ends).
     */
    static FeatureMapTile featureMapTile(MapDataType type) {
        boolean ints = type == MapDataType.INT16_LE || type == MapDataType.UINT8;
        float scale = type == MapDataType.UINT8 ? MapSamples.uint8Scale(-1020, 1020) : 1f;
        float offset = type == MapDataType.UINT8 ? -1020f : 0f;
        return FeatureMapTile.newBuilder(featureMapTile())
                .setDataType(type)
                .setScale(scale)
                .setOffset(offset)
                .setData(
                        ByteBuffer.wrap(
                                MapSamples.encode(
                                        ints ? INT_SAMPLES : TILE_SAMPLES, type, scale, offset)))
                .build();
    }

    static EdgeStats edgeStats() {
        return EdgeStats.newBuilder()
                .setImageId("cam-7-000042")
                .setSourceId("cam-7")
                .setBatchId("batch-2024-01")
                .setFilter("sobel-magnitude")
                .setInputWidth(256)
                .setInputHeight(192)
                .setMapWidth(254)
                .setMapHeight(190)
                .setChannels(1)
                .setTileCount(12)
                .setPixelCount(254L * 190L)
                .setMin(-3.5)
                .setMax(1020.25)
                .setMean(12.5)
                .setStddev(40.125)
                .setMeanAbs(15.75)
                .setEdgeThreshold(100.0)
                .setEdgeCount(1234L)
                .setEdgeFraction(1234.0 / (254L * 190L))
                .setHistogram(
                        Histogram.newBuilder()
                                .setMin(0.0)
                                .setMax(1000.0)
                                .setCounts(List.of(40000L, 5000L, 1000L, 200L, 60L))
                                .build())
                .setOrientationHistogram(List.of(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L))
                .setDensityGrid(
                        DensityGrid.newBuilder()
                                .setRows(2)
                                .setCols(2)
                                .setValues(List.of(0.0f, 0.25f, 0.5f, 0.125f))
                                .build())
                .setCaptureTimeMs(1_700_000_000_123L)
                .setIngestTimeMs(1_700_000_000_200L)
                .setCompletedTimeMs(1_700_000_000_450L)
                .build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setSourceTopic("images")
                .setSourcePartition(3)
                .setSourceOffset(987_654L)
                .setSourceTimestampMs(1_700_000_000_200L)
                .setKey(ByteBuffer.wrap("cam-7".getBytes(StandardCharsets.UTF_8)))
                .setImageId("cam-7-000042")
                .setReason(DeadLetterReason.RAW_SIZE_MISMATCH)
                .setMessage("RAW RGB8 4x3 needs 36 bytes, got 35")
                .setFailedAtMs(1_700_000_000_300L)
                .setPayload(ByteBuffer.wrap(new byte[] {(byte) 0xC3, 0x01, 1, 2, 3}))
                .build();
    }
}
