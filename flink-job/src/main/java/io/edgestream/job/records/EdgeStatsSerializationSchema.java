package io.edgestream.job.records;

import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.wire.AvroWire;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes an {@link EdgeStatsRecord} as an {@link EdgeStats} keyed by the image id. */
public class EdgeStatsSerializationSchema extends TopicRecordSerializer<EdgeStatsRecord> {
    private static final long serialVersionUID = 1L;

    private transient AvroWire<EdgeStats> wire;

    public EdgeStatsSerializationSchema(String topic) {
        super(topic);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            EdgeStatsRecord stats, KafkaSinkContext context, Long timestamp) {
        if (wire == null) {
            wire = AvroWire.edgeStats();
        }
        return new ProducerRecord<>(
                topic,
                null,
                timestamp,
                stats.imageId.getBytes(StandardCharsets.UTF_8),
                wire.encode(stats.toAvro()));
    }
}
