package io.edgestream.job.records;

import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.wire.WireFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a {@link MapTile} as a {@link FeatureMapTile} (in the topic's {@link TopicWire} format)
 * keyed by the image id, so all tiles of an image share a partition; the samples are encoded here,
 * as the data type the tile carries. The header {@value #SUBTASK_HEADER} holds the index of the
 * subtask that convolved the tile (4 bytes, big-endian), for operations and tests.
 */
public class MapTileSerializationSchema extends TopicRecordSerializer<MapTile> {
    private static final long serialVersionUID = 1L;

    /** Kafka header naming the convolution subtask of a tile. */
    public static final String SUBTASK_HEADER = "edgestream-subtask";

    private final TopicWire topicWire;
    private transient WireFormat<FeatureMapTile> wire;

    /** Writes single-object encoded values to {@code topic}. */
    public MapTileSerializationSchema(String topic) {
        this(TopicWire.singleObject(topic));
    }

    /** Writes values framed as {@code wire} says to its topic. */
    public MapTileSerializationSchema(TopicWire wire) {
        super(wire.topic());
        this.topicWire = wire;
    }

    /** Builds the codec; with the registry, registers the schema now (fails here if it cannot). */
    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        wire = topicWire.openForWriting(FeatureMapTile.class);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            MapTile tile, KafkaSinkContext context, Long timestamp) {
        if (wire == null) {
            wire = topicWire.openForWriting(FeatureMapTile.class);
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
