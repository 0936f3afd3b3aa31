package io.edgestream.bench;

import io.edgestream.imaging.conv.Convolution;
import io.edgestream.job.records.MapTile;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.MapDataType;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.schemas.wire.FeatureMapTileEncoder;
import io.edgestream.schemas.wire.MapSamples;
import java.nio.ByteBuffer;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The work per 256x256 map tile of encoding its record value, the former way ({@code formerPath}:
 * the samples into a data array, the Avro record through {@link AvroWire}'s buffer and out of it)
 * and the convolution's way ({@code direct}: {@link FeatureMapTileEncoder}, the samples straight
 * into the record's array), for each data type; {@code job} is what the edge job runs: {@code
 * direct} with INT16 samples written by the imaging core's vector lanes ({@link
 * Convolution#narrowInt16LE}). Run with {@code -prof gc} to see the bytes allocated per tile. The
 * {@code megapixels} secondary result counts map values.
 */
public class MapEncodeBenchmark extends SingleThreadBenchmark {

    @Param({"FLOAT32_LE", "FLOAT16_LE", "INT16_LE", "UINT8"})
    public MapDataType dataType;

    private MapTile tile;
    private float[] samples;
    private AvroWire<FeatureMapTile> wire;
    private FeatureMapTileEncoder encoder;
    private FeatureMapTileEncoder jobEncoder;

    @Setup
    public void setUp() {
        tile = new MapTile();
        tile.imageId = "cam-1-000042";
        tile.sourceId = "cam-1";
        tile.filter = "vertical";
        tile.tileIndex = 7;
        tile.tileCount = 20;
        tile.width = 256;
        tile.height = 256;
        tile.mapWidth = 1278;
        tile.mapHeight = 958;
        tile.channels = 1;
        samples = new float[256 * 256];
        Random rnd = new Random(42);
        for (int i = 0; i < samples.length; i++) {
            samples[i] = rnd.nextInt(2041) - 1020; // an integer map of 8-bit RGB input
        }
        tile.dataType = dataType;
        if (dataType == MapDataType.UINT8) {
            tile.scale = MapSamples.uint8Scale(-1020, 1020);
            tile.offset = -1020f;
        }
        wire = AvroWire.featureMapTiles();
        encoder = new FeatureMapTileEncoder();
        jobEncoder =
                new FeatureMapTileEncoder(
                        AvroWire.featureMapTiles().header(), Convolution::narrowInt16LE);
    }

    @Benchmark
    public byte[] formerPath(MegapixelCounter mp) {
        mp.megapixels += 256 * 256 / 1e6;
        FeatureMapTile t = tile.avroFields();
        t.setData(ByteBuffer.wrap(MapSamples.encode(samples, dataType, tile.scale, tile.offset)));
        return wire.encode(t);
    }

    @Benchmark
    public byte[] direct(MegapixelCounter mp) {
        mp.megapixels += 256 * 256 / 1e6;
        return encoder.encode(tile.avroFields(), samples, 0, samples.length);
    }

    @Benchmark
    public byte[] job(MegapixelCounter mp) {
        mp.megapixels += 256 * 256 / 1e6;
        return jobEncoder.encode(tile.avroFields(), samples, 0, samples.length);
    }
}
