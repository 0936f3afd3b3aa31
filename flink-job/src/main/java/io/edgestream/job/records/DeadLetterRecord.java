package io.edgestream.job.records;

import io.edgestream.schemas.DeadLetter;
import io.edgestream.schemas.DeadLetterReason;
import java.nio.ByteBuffer;

/**
 * A record the job could not process, on its way to the dead-letter topic: where it came from, why
 * it failed, and its original bytes untouched. A Flink POJO; {@link #toAvro()} gives the {@link
 * DeadLetter} that goes on the wire.
 */
public class DeadLetterRecord {
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;
    public long sourceTimestampMs;

    /** The original record key (null if none); also the dead letter's Kafka key. */
    public byte[] key;

    /** The image id if the record could be decoded far enough to know it. */
    public String imageId;

    /** A {@link DeadLetterReason} name. */
    public String reason;

    public String message;
    public long failedAtMs;

    /** The original record value (empty for a null value or an incomplete image). */
    public byte[] payload;

    public DeadLetterRecord() {}

    /** A dead letter for {@code in}, carrying its coordinates, key and value. */
    public static DeadLetterRecord of(
            RawRecord in, String imageId, DeadLetterReason reason, String message, long now) {
        DeadLetterRecord d = new DeadLetterRecord();
        d.sourceTopic = in.topic;
        d.sourcePartition = in.partition;
        d.sourceOffset = in.offset;
        d.sourceTimestampMs = in.timestamp;
        d.key = in.key;
        d.imageId = imageId;
        d.reason = reason.name();
        d.message = message;
        d.failedAtMs = now;
        d.payload = in.value == null ? new byte[0] : in.value;
        return d;
    }

    public DeadLetterReason reasonCode() {
        return DeadLetterReason.valueOf(reason);
    }

    public DeadLetter toAvro() {
        return DeadLetter.newBuilder()
                .setSourceTopic(sourceTopic)
                .setSourcePartition(sourcePartition)
                .setSourceOffset(sourceOffset)
                .setSourceTimestampMs(sourceTimestampMs)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setImageId(imageId)
                .setReason(reasonCode())
                .setMessage(message == null ? "" : message)
                .setFailedAtMs(failedAtMs)
                .setPayload(ByteBuffer.wrap(payload == null ? new byte[0] : payload))
                .build();
    }

    @Override
    public String toString() {
        return "DeadLetter["
                + reason
                + " "
                + sourceTopic
                + "-"
                + sourcePartition
                + "@"
                + sourceOffset
                + " image="
                + imageId
                + ": "
                + message
                + "]";
    }
}
