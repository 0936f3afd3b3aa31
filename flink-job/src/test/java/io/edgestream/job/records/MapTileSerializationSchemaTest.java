package io.edgestream.job.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.MapDataType;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.schemas.wire.MapSamples;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The map sink's records: for every data type, the value is byte for byte what encoding {@link
 * MapTile#toAvro()} with {@link AvroWire} gives (the path before samples were encoded straight into
 * the record), keyed by the image id, with the subtask header; every call returns a new value array
 * (the producer keeps it until it is sent).
 */
class MapTileSerializationSchemaTest {

    @Test
    void everyDataTypeIsWrittenAsTheAvroRecordOfTheTile() {
        AvroWire<FeatureMapTile> wire = AvroWire.featureMapTiles();
        MapTileSerializationSchema schema = new MapTileSerializationSchema("edge-maps");
        Random rnd = new Random(3);
        for (MapDataType type : MapDataType.values()) {
            MapTile t = tile(rnd, type);
            ProducerRecord<byte[], byte[]> r = schema.serialize(t, null, 1234L);
            assertThat(r.value()).as("%s", type).isEqualTo(wire.encode(t.toAvro()));
            assertThat(r.topic()).isEqualTo("edge-maps");
            assertThat(r.timestamp()).isEqualTo(1234L);
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("cam-1-000007");
            assertThat(r.headers().lastHeader(MapTileSerializationSchema.SUBTASK_HEADER).value())
                    .containsExactly(0, 0, 0, 3);
            assertThat(MapSamples.decode(wire.decode(r.value()))).hasSize(t.data.length);
            ProducerRecord<byte[], byte[]> again = schema.serialize(t, null, 1234L);
            assertThat(again.value()).isEqualTo(r.value()).isNotSameAs(r.value());
        }
    }

    private static MapTile tile(Random rnd, MapDataType type) {
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
        t.data = new float[t.width * t.height];
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = rnd.nextInt(2041) - 1020;
        }
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

    @Test
    void toAvroCarriesEveryField() {
        MapTile t = tile(new Random(1), MapDataType.INT16_LE);
        FeatureMapTile a = t.toAvro();
        assertThat(a.getImageId()).isEqualTo(t.imageId);
        assertThat(a.getSourceId()).isEqualTo(t.sourceId);
        assertThat(a.getFilter()).isEqualTo(t.filter);
        assertThat(a.getTileIndex()).isEqualTo(5);
        assertThat(a.getTileCount()).isEqualTo(20);
        assertThat(a.getX()).isEqualTo(256);
        assertThat(a.getY()).isEqualTo(512);
        assertThat(a.getWidth()).isEqualTo(64);
        assertThat(a.getHeight()).isEqualTo(48);
        assertThat(a.getMapWidth()).isEqualTo(1278);
        assertThat(a.getMapHeight()).isEqualTo(958);
        assertThat(a.getChannels()).isEqualTo(1);
        assertThat(a.getDataType()).isEqualTo(MapDataType.INT16_LE);
        assertThat(a.getScale()).isEqualTo(1f);
        assertThat(a.getOffset()).isEqualTo(0f);
        assertThat(a.getCaptureTimeMs()).isEqualTo(t.captureTimeMs);
        assertThat(a.getSequence()).isEqualTo(7);
        assertThat(a.getData())
                .isEqualTo(ByteBuffer.wrap(MapSamples.encode(t.data, MapDataType.INT16_LE, 1, 0)));
    }
}
