package io.edgestream.job.records;

import io.edgestream.job.metrics.EdgeMetrics;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.wire.FeatureMapTileEncoder;
import io.edgestream.schemas.wire.WireFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a {@link MapTile} as a {@link FeatureMapTile} (in the topic's {@link TopicWire} format)
 * keyed by the image id, so all tiles of an image share a partition; the samples are encoded here,
 * as the data type the tile carries, straight into the record's bytes after the format's header
 * ({@link FeatureMapTileEncoder}: one array per record, which the producer keeps until it is sent,
 * so it is never reused). The header {@value #SUBTASK_HEADER} holds the index of the subtask that
 * convolved the tile (4 bytes, big-endian), for operations and tests.
 *
 * <p>Metrics (group {@value EdgeMetrics#GROUP} of the sink writer's user group, docs/metrics.md):
 * {@code mapTilesOut}, the records produced, and {@code mapBytesOut}, their key and value bytes (as
 * handed to the producer, before compression); counted here because only here are the samples
 * encoded. Outside a sink (a bare {@link #serialize} call) nothing is counted.
 */
public class MapTileSerializationSchema extends TopicRecordSerializer<MapTile> {
    private static final long serialVersionUID = 1L;

    /** Kafka header naming the convolution subtask of a tile. */
    public static final String SUBTASK_HEADER = "edgestream-subtask";

    private final TopicWire topicWire;
    private transient WireFormat<FeatureMapTile> wire;
    private transient FeatureMapTileEncoder encoder;
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
     * Builds the codec (with the registry, registers the schema now: fails here if it cannot) and
     * the metrics.
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
        if (encoder == null) {
            if (wire == null) {
                wire = topicWire.openForWriting(FeatureMapTile.class);
            }
            // The format's header (with a registry: the schema id, registered by now) once.
            encoder = new FeatureMapTileEncoder(wire.header());
        }
        ProducerRecord<byte[], byte[]> r =
                new ProducerRecord<>(
                        topic,
                        null,
                        timestamp,
                        tile.imageId.getBytes(StandardCharsets.UTF_8),
                        encoder.encode(tile.avroFields(), tile.data, 0, tile.data.length));
        r.headers().add(SUBTASK_HEADER, ByteBuffer.allocate(4).putInt(tile.subtask).array());
        if (tilesOut != null) {
            tilesOut.inc();
            bytesOut.inc(r.key().length + r.value().length);
        }
        return r;
    }
}
