package io.edgestream.job.records;

import io.edgestream.schemas.DeadLetter;
import io.edgestream.schemas.DeadLetterReason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A record the job could not process, on its way to the dead-letter topic: where it came from, why
 * it failed, and its original bytes untouched (unless they exceed the dead-letter payload cap). A
 * Flink POJO; {@link #toAvro()} gives the {@link DeadLetter} that goes on the wire.
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

    /**
     * The original record value; empty for a null value, an incomplete image, or when it was larger
     * than {@code dlq.max.payload.bytes} ({@link #payloadTruncated}).
     */
    public byte[] payload;

    /** Size of the original value in bytes (0 for null), or -1 if unknown. */
    public long originalSize = -1;

    /** Size of the original key in bytes, or -1 for a null key. */
    public long originalKeySize = -1;

    /** True if the original value was left out because it exceeded the payload cap. */
    public boolean payloadTruncated;

    public DeadLetterRecord() {}

    /** Longest message kept; a longer one is cut, with a note saying so. */
    public static final int MAX_MESSAGE_CHARS = 4096;

    /**
     * A dead letter for {@code in}, carrying its coordinates, key and value, bounded so that it
     * always fits what the dead-letter sink may send: a value above {@code maxPayloadBytes} is left
     * out (its size is kept), a key above {@code maxKeyBytes} and an image id above {@code
     * maxIdBytes} (UTF-8) likewise, and the message is cut at {@link #MAX_MESSAGE_CHARS}
     * characters.
     */
    public static DeadLetterRecord of(
            InputRecord in,
            String imageId,
            DeadLetterReason reason,
            String message,
            long now,
            int maxPayloadBytes,
            int maxKeyBytes,
            int maxIdBytes) {
        DeadLetterRecord d = new DeadLetterRecord();
        d.sourceTopic = in.topic;
        d.sourcePartition = in.partition;
        d.sourceOffset = in.offset;
        d.sourceTimestampMs = in.timestamp;
        d.originalKeySize = in.key == null ? -1 : in.key.length;
        d.key = in.key != null && in.key.length <= maxKeyBytes ? in.key : null;
        d.imageId = imageId != null && utf8Length(imageId) <= maxIdBytes ? imageId : null;
        d.reason = reason.name();
        d.message = boundedMessage(message);
        d.failedAtMs = now;
        d.originalSize = in.value == null ? 0 : in.value.length;
        d.payloadTruncated = in.value != null && in.value.length > maxPayloadBytes;
        d.payload = in.value == null || d.payloadTruncated ? new byte[0] : in.value;
        return d;
    }

    /** {@code message}, cut at {@link #MAX_MESSAGE_CHARS} characters with a note. */
    public static String boundedMessage(String message) {
        if (message == null) {
            return "";
        }
        if (message.length() <= MAX_MESSAGE_CHARS) {
            return message;
        }
        String note = "... (" + message.length() + " characters, cut)";
        return message.substring(0, MAX_MESSAGE_CHARS - note.length()) + note;
    }

    private static long utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
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
                .setOriginalSize(originalSize)
                .setOriginalKeySize(originalKeySize)
                .setPayloadTruncated(payloadTruncated)
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
