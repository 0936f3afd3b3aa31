package io.edgestream.job.records;

import io.edgestream.schemas.DeadLetter;
import io.edgestream.schemas.wire.WireFormat;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a {@link DeadLetterRecord} as a {@link DeadLetter} keyed by the ORIGINAL record's key
 * (null if it had none), so dead letters of one source stay in order like their inputs.
 */
public class DeadLetterSerializationSchema extends TopicRecordSerializer<DeadLetterRecord> {
    private static final long serialVersionUID = 1L;

    private final TopicWire topicWire;
    private transient WireFormat<DeadLetter> wire;

    /** Writes single-object encoded values to {@code topic}. */
    public DeadLetterSerializationSchema(String topic) {
        this(TopicWire.singleObject(topic));
    }

    /** Writes values framed as {@code wire} says to its topic. */
    public DeadLetterSerializationSchema(TopicWire wire) {
        super(wire.topic());
        this.topicWire = wire;
    }

    /** Builds the codec; with the registry, registers the schema now (fails here if it cannot). */
    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        wire = topicWire.openForWriting(DeadLetter.class);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            DeadLetterRecord letter, KafkaSinkContext context, Long timestamp) {
        if (wire == null) {
            wire = topicWire.openForWriting(DeadLetter.class);
        }
        return new ProducerRecord<>(
                topic, null, timestamp, letter.key, wire.encode(letter.toAvro()));
    }
}
