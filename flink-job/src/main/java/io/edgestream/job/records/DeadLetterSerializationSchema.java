package io.edgestream.job.records;

import io.edgestream.schemas.DeadLetter;
import io.edgestream.schemas.wire.AvroWire;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a {@link DeadLetterRecord} as a {@link DeadLetter} keyed by the ORIGINAL record's key
 * (null if it had none), so dead letters of one source stay in order like their inputs.
 */
public class DeadLetterSerializationSchema extends TopicRecordSerializer<DeadLetterRecord> {
    private static final long serialVersionUID = 1L;

    private transient AvroWire<DeadLetter> wire;

    public DeadLetterSerializationSchema(String topic) {
        super(topic);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            DeadLetterRecord letter, KafkaSinkContext context, Long timestamp) {
        if (wire == null) {
            wire = AvroWire.deadLetters();
        }
        return new ProducerRecord<>(
                topic, null, timestamp, letter.key, wire.encode(letter.toAvro()));
    }
}
