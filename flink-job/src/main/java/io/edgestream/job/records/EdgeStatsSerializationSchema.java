package io.edgestream.job.records;

import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.wire.WireFormat;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes an {@link EdgeStatsRecord} as an {@link EdgeStats} keyed by the image id. */
public class EdgeStatsSerializationSchema extends TopicRecordSerializer<EdgeStatsRecord> {
    private static final long serialVersionUID = 1L;

    private final TopicWire topicWire;
    private transient WireFormat<EdgeStats> wire;

    /** Writes single-object encoded values to {@code topic}. */
    public EdgeStatsSerializationSchema(String topic) {
        this(TopicWire.singleObject(topic));
    }

    /** Writes values framed as {@code wire} says to its topic. */
    public EdgeStatsSerializationSchema(TopicWire wire) {
        super(wire.topic());
        this.topicWire = wire;
    }

    /** Builds the codec; with the registry, registers the schema now (fails here if it cannot). */
    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        wire = topicWire.openForWriting(EdgeStats.class);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            EdgeStatsRecord stats, KafkaSinkContext context, Long timestamp) {
        if (wire == null) {
            wire = topicWire.openForWriting(EdgeStats.class);
        }
        return new ProducerRecord<>(
                topic,
                null,
                timestamp,
                stats.imageId.getBytes(StandardCharsets.UTF_8),
                wire.encode(stats.toAvro()));
    }
}
