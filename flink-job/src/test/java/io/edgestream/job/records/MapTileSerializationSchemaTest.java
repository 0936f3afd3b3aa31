package io.edgestream.job.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.MapDataType;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.schemas.wire.FeatureMapTileEncoder;
import io.edgestream.schemas.wire.MapSamples;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The map sink's records: the tile's record (encoded by the convolution) is the value, keyed by the
 * image id, with the subtask header; and the record the convolution encodes from {@link
 * MapTile#avroFields()} with {@link FeatureMapTileEncoder} is, for every data type, byte for byte
 * what encoding the same tile with its samples the former way ({@link MapSamples#encode} into the
 * data field, then {@link AvroWire}) gives.
 */
class MapTileSerializationSchemaTest {

    @Test
    void theTilesRecordIsTheValueKeyedByTheImageWithTheSubtaskHeader() {
        MapTileSerializationSchema schema = new MapTileSerializationSchema("edge-maps");
        MapTile t = tile(MapDataType.FLOAT32_LE);
        float[] samples = samples(new Random(3), t);
        t.record = new FeatureMapTileEncoder().encode(t.avroFields(), samples, 0, samples.length);
        ProducerRecord<byte[], byte[]> r = schema.serialize(t, null, 1234L);
        assertThat(r.value()).isSameAs(t.record);
        assertThat(r.topic()).isEqualTo("edge-maps");
        assertThat(r.timestamp()).isEqualTo(1234L);
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("cam-1-000007");
        assertThat(r.headers().lastHeader(MapTileSerializationSchema.SUBTASK_HEADER).value())
                .containsExactly(0, 0, 0, 3);
        assertThat(MapSamples.decode(AvroWire.featureMapTiles().decode(r.value())))
                .containsExactly(samples);
    }

    @Test
    void everyDataTypeIsEncodedAsTheFormerPathEncodedIt() {
        AvroWire<FeatureMapTile> wire = AvroWire.featureMapTiles();
        FeatureMapTileEncoder encoder = new FeatureMapTileEncoder();
        Random rnd = new Random(5);
        for (MapDataType type : MapDataType.values()) {
            MapTile t = tile(type);
            float[] samples = samples(rnd, t);
            FeatureMapTile former =
                    FeatureMapTile.newBuilder()
                            .setImageId(t.imageId)
                            .setSourceId(t.sourceId)
                            .setFilter(t.filter)
                            .setTileIndex(t.tileIndex)
                            .setTileCount(t.tileCount)
                            .setX(t.x)
                            .setY(t.y)
                            .setWidth(t.width)
                            .setHeight(t.height)
                            .setMapWidth(t.mapWidth)
                            .setMapHeight(t.mapHeight)
                            .setChannels(t.channels)
                            .setDataType(t.dataType)
                            .setScale(t.scale)
                            .setOffset(t.offset)
                            .setData(
                                    ByteBuffer.wrap(
                                            MapSamples.encode(
                                                    samples, t.dataType, t.scale, t.offset)))
                            .setCaptureTimeMs(t.captureTimeMs)
                            .setSequence(t.sequence)
                            .build();
            // From the middle of a larger array, as the bank's reused maps are.
            float[] larger = new float[samples.length + 10];
            System.arraycopy(samples, 0, larger, 7, samples.length);
            assertThat(encoder.encode(t.avroFields(), larger, 7, samples.length))
                    .as("%s", type)
                    .isEqualTo(wire.encode(former));
        }
    }

    private static MapTile tile(MapDataType type) {
        MapTile t = new MapTile();
        t.imageId = "cam-1-000007";
        t.sourceId = "cam-1";
        t.filter = "sobel";
        t.tileIndex = 5;
        t.tileCount = 20;
        t.x = 256;
        t.y = 512;
        t.width = 64;
        t.height = 48;
        t.mapWidth = 1278;
        t.mapHeight = 958;
        t.channels = 1;
        t.dataType = type;
        if (type == MapDataType.UINT8) {
            t.scale = MapSamples.uint8Scale(-1020, 1020);
            t.offset = -1020f;
        }
        t.captureTimeMs = 1_764_470_000_000L;
        t.sequence = 7;
        t.subtask = 3;
        return t;
    }

    private static float[] samples(Random rnd, MapTile t) {
        float[] v = new float[t.width * t.height * t.channels];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextInt(2041) - 1020;
        }
        return v;
    }
}
