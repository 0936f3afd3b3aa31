package io.edgestream.schemas.kafka;

/**
 * Record sizes every participant agrees on: the largest record the topics accept (the local stack,
 * compose and the test brokers set it; producers, the job's consumers and the tools' consumers are
 * sized for it), the largest image the job accepts by default, and the room a record needs around
 * its payload.
 */
public final class RecordLimits {
    private RecordLimits() {}

    /**
     * The topics' {@code max.message.bytes} (and the brokers' {@code message.max.bytes}) of the
     * local stack, compose and the test brokers: 32 MiB. {@code stack/topics.properties} holds the
     * same number for the scripts and compose; a test checks that they agree.
     */
    public static final int TOPIC_MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

    /** The job's default {@code max.record.bytes}: half the topic limit, 16 MiB. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;

    /** Room for the Avro fields, key, headers and batch overhead around a record's payload. */
    public static final int RECORD_OVERHEAD_BYTES = 64 * 1024;
}
