package io.edgestream.job.stack;

/**
 * Names of the job behaviour the stack tests expect and that is being added to the job (options,
 * dead-letter reasons, DeadLetter fields), in one place so that a rename is a one-line change.
 * Reasons and fields are used as strings, not as generated enum constants or getters, so that these
 * tests compile (and fail for the right reason) against a job that does not have them yet.
 */
final class Expected {
    private Expected() {}

    // ---- job options being added
    static final String CHECKPOINT_RETENTION = "checkpoint.retention";
    static final String RETAIN_ON_CANCELLATION = "RETAIN_ON_CANCELLATION";
    static final String CHECKPOINT_DIR = "checkpoint.dir";
    static final String MEMORY_BUDGET = "memory.budget";
    static final String MAX_ID_BYTES = "max.id.bytes";
    static final String MAX_ATTRIBUTES_BYTES = "max.attributes.bytes";
    static final String MAX_KEY_BYTES = "max.key.bytes";
    static final String DLQ_MAX_PAYLOAD_BYTES = "dlq.max.payload.bytes";
    static final String RESTART_STRATEGY = "restart.strategy";

    // ---- dead-letter reasons (DeadLetterReason symbols)
    static final String MEMORY_BUDGET_EXCEEDED = "MEMORY_BUDGET_EXCEEDED";
    static final String FIELD_TOO_LARGE = "FIELD_TOO_LARGE";
    static final String RECORD_TOO_LARGE = "RECORD_TOO_LARGE";

    // ---- DeadLetter fields being added
    /** long: size of the original record value in bytes. */
    static final String ORIGINAL_SIZE = "originalSize";

    /** boolean: the payload is a prefix of the original value (or empty), not all of it. */
    static final String PAYLOAD_TRUNCATED = "payloadTruncated";

    // ---- how a memory bomb's expected outcome is decided from the shipped TaskManager memory
    // (the real task heap and slot count, read from the cluster's REST API)
    /**
     * An image whose decoded samples alone need more than this fraction of one slot's share of the
     * task heap is over the job's default budget ({@code memory.budget=auto}, this share): it must
     * be MEMORY_BUDGET_EXCEEDED. (The 7000x7000 16-bit RGB PNG of zeros decodes to 294 MB; the
     * shipped 2048m TaskManager gives a slot a share of about 546 MB of task heap, so a budget of
     * about 273 MB.)
     */
    static final double MUST_REJECT_ABOVE_SLOT_SHARE =
            io.edgestream.job.functions.MemoryBudget.AUTO_FRACTION_PERCENT / 100.0;

    /**
     * An image whose decoded samples plus their float32 copy need less than this fraction of one
     * slot's share fits any sensible budget: it must be processed. In between, the budget decides
     * and either outcome is accepted (but never a restart).
     */
    static final double MUST_PROCESS_BELOW_SLOT_SHARE = 0.25;
}
