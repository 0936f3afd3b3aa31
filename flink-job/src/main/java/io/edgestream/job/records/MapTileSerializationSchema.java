package io.edgestream.job.records;

import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.wire.AvroWire;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a {@link MapTile} as a {@link FeatureMapTile} (Avro single-object encoding) keyed by the
 * image id, so all tiles of an image share a partition; the samples are encoded here, as the data
 * type the tile carries. The header {@value #SUBTASK_HEADER} holds the index of the subtask that
 * convolved the tile (4 bytes, big-endian), for operations and tests.
 */
public class MapTileSerializationSchema extends TopicRecordSerializer<MapTile> {
    private static final long serialVersionUID = 1L;

    /** Kafka header naming the convolution subtask of a tile. */
    public static final String SUBTASK_HEADER = "edgestream-subtask";

    private transient AvroWire<FeatureMapTile> wire;

    /** Writes maps to {@code topic}. */
    public MapTileSerializationSchema(String topic) {
        super(topic);
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
                        wire.encode(tile.toAvro()));
        r.headers().add(SUBTASK_HEADER, ByteBuffer.allocate(4).putInt(tile.subtask).array());
        return r;
    }
}
