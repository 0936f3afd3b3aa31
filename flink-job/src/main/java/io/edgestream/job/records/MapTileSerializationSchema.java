package io.edgestream.job.records;

import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.MapDataType;
import io.edgestream.schemas.wire.AvroWire;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a {@link MapTile} as a {@link FeatureMapTile} (Avro single-object encoding) keyed by the
 * image id, so all tiles of an image share a partition. The header {@value #SUBTASK_HEADER} holds
 * the index of the subtask that convolved the tile (4 bytes, big-endian), for operations and tests.
 */
public class MapTileSerializationSchema extends TopicRecordSerializer<MapTile> {
    private static final long serialVersionUID = 1L;

    /** Kafka header naming the convolution subtask of a tile. */
    public static final String SUBTASK_HEADER = "edgestream-subtask";

    private final MapDataType dataType;
    private transient AvroWire<FeatureMapTile> wire;

    /** Writes maps with samples of {@code dataType}. */
    public MapTileSerializationSchema(String topic, MapDataType dataType) {
        super(topic);
        this.dataType = dataType;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            MapTile tile, KafkaSinkContext context, Long timestamp) {
        if (wire == null) {
            wire = AvroWire.featureMapTiles();
        }
        ProducerRecord<byte[], byte[]> r =
                new ProducerRecord<>(
                        topic,
                        null,
                        timestamp,
                        tile.imageId.getBytes(StandardCharsets.UTF_8),
                        wire.encode(tile.toAvro(dataType)));
        r.headers().add(SUBTASK_HEADER, ByteBuffer.allocate(4).putInt(tile.subtask).array());
        return r;
    }
}
