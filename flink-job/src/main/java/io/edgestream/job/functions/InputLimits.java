package io.edgestream.job.functions;

import io.edgestream.schemas.kafka.RecordLimits;
import java.io.Serializable;

/**
 * Bounds on what one input record may cost, checked before any output is made, so that no single
 * record can fail or stall the job: the record's size, its key and ids and attributes, the memory
 * its image may need while it is decoded and cut into tiles, and what its dead letter may carry.
 *
 * @param maxRecordBytes largest record value accepted ({@code RECORD_TOO_LARGE} above)
 * @param maxKeyBytes largest record key accepted ({@code FIELD_TOO_LARGE} above)
 * @param maxIdBytes largest {@code imageId}, {@code sourceId} or {@code batchId} in UTF-8 bytes
 *     ({@code FIELD_TOO_LARGE} above)
 * @param maxAttributesBytes largest {@code attributes} map, its keys and values in UTF-8 bytes plus
 *     one byte per entry ({@code FIELD_TOO_LARGE} above)
 * @param dlqMaxPayloadBytes largest original value a dead letter carries; a larger one is left out
 *     (the dead letter then has {@code payloadTruncated} and {@code originalSize})
 * @param memoryBudgetBytes peak memory one image may need in the decode step (decoded samples,
 *     decoder buffers, the record, tiles in flight; {@code MEMORY_BUDGET_EXCEEDED} above), or
 *     {@link #AUTO} for a share of the TaskManager's heap per slot
 */
public record InputLimits(
        int maxRecordBytes,
        int maxKeyBytes,
        int maxIdBytes,
        int maxAttributesBytes,
        int dlqMaxPayloadBytes,
        long memoryBudgetBytes)
        implements Serializable {

    /** {@link #memoryBudgetBytes} value that asks for the budget derived from the heap per slot. */
    public static final long AUTO = -1;

    /**
     * Room a dead letter needs besides its payload, key and image id: the message ({@link
     * io.edgestream.job.records.DeadLetterRecord#MAX_MESSAGE_CHARS} characters, up to 3 UTF-8 bytes
     * each), a topic name, the fixed fields and the record batch overhead.
     */
    public static final int DEAD_LETTER_OVERHEAD_BYTES = RecordLimits.RECORD_OVERHEAD_BYTES;

    public InputLimits {
        positive(maxRecordBytes, "max.record.bytes");
        positive(maxKeyBytes, "max.key.bytes");
        positive(maxIdBytes, "max.id.bytes");
        positive(maxAttributesBytes, "max.attributes.bytes");
        if (dlqMaxPayloadBytes < 0) {
            throw new IllegalArgumentException(
                    "option 'dlq.max.payload.bytes' must be 0 or more, got " + dlqMaxPayloadBytes);
        }
        if (memoryBudgetBytes != AUTO && memoryBudgetBytes < 1) {
            throw new IllegalArgumentException(
                    "option 'memory.budget' must be 'auto' or a positive size, got "
                            + memoryBudgetBytes);
        }
    }

    private static void positive(int v, String option) {
        if (v < 1) {
            throw new IllegalArgumentException(
                    "option '" + option + "' must be at least 1, got " + v);
        }
    }

    /**
     * The largest dead letter the job can produce: payload, key, one id, message and overhead. The
     * dead-letter producer's {@code max.request.size} and the topic's {@code max.message.bytes}
     * must allow it.
     */
    public long maxDeadLetterBytes() {
        return (long) dlqMaxPayloadBytes + maxKeyBytes + maxIdBytes + DEAD_LETTER_OVERHEAD_BYTES;
    }
}
