package io.edgestream.job.records;

import io.edgestream.job.metrics.EdgeMetrics;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.wire.WireFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a {@link MapTile} as its {@link FeatureMapTile} record, already encoded in the topic's
 * {@link TopicWire} format by the convolution ({@link MapTile#record}: one array per tile, which
 * the producer keeps until it is sent), keyed by the image id, so all tiles of an image share a
 * partition. The header {@value #SUBTASK_HEADER} holds the index of the subtask that convolved the
 * tile (4 bytes, big-endian), for operations and tests.
 *
 * <p>Metrics (group {@value EdgeMetrics#GROUP} of the sink writer's user group, docs/metrics.md):
 * {@code mapTilesOut}, the records produced, and {@code mapBytesOut}, their key and value bytes (as
 * handed to the producer, before compression). Outside a sink (a bare {@link #serialize} call)
 * nothing is counted.
 */
public class MapTileSerializationSchema extends TopicRecordSerializer<MapTile> {
    private static final long serialVersionUID = 1L;

    /** Kafka header naming the convolution subtask of a tile. */
    public static final String SUBTASK_HEADER = "edgestream-subtask";

    private final TopicWire topicWire;
    private transient WireFormat<FeatureMapTile> wire;
    private transient Counter tilesOut;
    private transient Counter bytesOut;

    /** Writes single-object encoded values to {@code topic}. */
    public MapTileSerializationSchema(String topic) {
        this(TopicWire.singleObject(topic));
    }

    /** Writes values framed as {@code wire} says to its topic. */
    public MapTileSerializationSchema(TopicWire wire) {
        super(wire.topic());
        this.topicWire = wire;
    }

    /**
     * Opens the format (with the registry, registers the schema now: fails here if it cannot; the
     * convolution encodes with the same format) and the metrics.
     */
    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sink) {
        if (wire == null) {
            wire = topicWire.openForWriting(FeatureMapTile.class);
        }
        if (tilesOut != null) {
            // The exactly-once writer opens its serializer twice (KafkaWriter's constructor, then
            // its own): registering again would collide and count into unreported counters.
            return;
        }
        MetricGroup metrics = EdgeMetrics.group(context.getMetricGroup());
        tilesOut = metrics.counter(EdgeMetrics.MAP_TILES_OUT);
        bytesOut = metrics.counter(EdgeMetrics.MAP_BYTES_OUT);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            MapTile tile, KafkaSinkContext context, Long timestamp) {
        ProducerRecord<byte[], byte[]> r =
                new ProducerRecord<>(
                        topic,
                        null,
                        timestamp,
                        tile.imageId.getBytes(StandardCharsets.UTF_8),
                        tile.record);
        r.headers().add(SUBTASK_HEADER, ByteBuffer.allocate(4).putInt(tile.subtask).array());
        if (tilesOut != null) {
            tilesOut.inc();
            bytesOut.inc(r.key().length + r.value().length);
        }
        return r;
    }
}
