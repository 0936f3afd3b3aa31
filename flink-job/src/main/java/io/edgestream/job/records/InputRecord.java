package io.edgestream.job.records;

/**
 * One Kafka record exactly as read from the input topic: its coordinates and its undecoded key and
 * value. The source does not decode Avro, so a record that is not a valid image can still be
 * dead-lettered with its coordinates and original bytes. A Flink POJO (public fields, no-arg
 * constructor) so that it never falls back to Kryo.
 */
public class InputRecord {
    public String topic;
    public int partition;
    public long offset;

    /** Kafka record timestamp, ms since the epoch (-1 if the record has none). */
    public long timestamp;

    /** The record key, untouched; null if the record had none. */
    public byte[] key;

    /** The record value, untouched; null for a tombstone. */
    public byte[] value;

    public InputRecord() {}

    public InputRecord(
            String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
    }

    @Override
    public String toString() {
        return topic
                + "-"
                + partition
                + "@"
                + offset
                + " ("
                + (value == null ? "null" : value.length + " bytes")
                + ")";
    }
}
