package io.edgestream.job;

import io.edgestream.imaging.conv.BorderMode;
import io.edgestream.imaging.conv.ColorMode;
import io.edgestream.imaging.conv.Padding;
import io.edgestream.job.functions.InputLimits;
import io.edgestream.job.functions.ProcessingSpec;
import io.edgestream.schemas.MapDataType;
import io.edgestream.schemas.kafka.RecordLimits;
import io.edgestream.schemas.kafka.Secrets;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The edge job's whole configuration: every option has a constant name, a default and a check.
 * Options come from command-line flags ({@code --name value}) and/or a properties file ({@code
 * --config job.properties}, same names); flags override the file. Keys starting with {@value
 * #KAFKA_PREFIX} are handed to every Kafka client untouched with the prefix removed (e.g. {@code
 * kafka.security.protocol=SASL_SSL}, {@code kafka.sasl.jaas.config=...}); their values are never
 * logged unmasked (see {@link #describe()}).
 *
 * <table>
 * <caption>Options and defaults</caption>
 * <tr><th>option</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code bootstrap.servers}</td><td>localhost:9092</td><td>Kafka brokers</td></tr>
 * <tr><td>{@code topic.images}</td><td>images</td><td>input topic (ImageFrame)</td></tr>
 * <tr><td>{@code topic.maps}</td><td>edge-maps</td><td>feature-map tiles (FeatureMapTile)</td></tr>
 * <tr><td>{@code topic.stats}</td><td>edge-stats</td><td>per image and filter (EdgeStats)</td></tr>
 * <tr><td>{@code topic.dlq}</td><td>images-dlq</td><td>dead letters (DeadLetter)</td></tr>
 * <tr><td>{@code group.id}</td><td>edgestream-edge-job</td><td>consumer group of the source</td></tr>
 * <tr><td>{@code job.name}</td><td>edgestream-edge-job</td><td>Flink job name; also the default
 *     transactional id prefix</td></tr>
 * <tr><td>{@code transactional.id.prefix}</td><td>= job.name</td><td>each sink uses
 *     {@code <prefix>-maps}, {@code <prefix>-stats}, {@code <prefix>-dlq}; must be unique per
 *     job on a cluster</td></tr>
 * <tr><td>{@code filters}</td><td>vertical,horizontal,sobel</td><td>filters separated by
 *     {@code |} (or {@code ,} when there is no custom matrix): built-in names ({@code vertical,
 *     horizontal, sobel_x, sobel_y, scharr_x, scharr_y, prewitt_x, prewitt_y, laplacian, sobel,
 *     scharr, prewitt}) or custom matrices {@code name=1,0,-1;2,0,-2;1,0,-1}</td></tr>
 * <tr><td>{@code padding}</td><td>VALID</td><td>VALID or SAME</td></tr>
 * <tr><td>{@code border}</td><td>ZERO</td><td>ZERO, CONSTANT, REPLICATE, REFLECT, REFLECT_101,
 *     WRAP (SAME only)</td></tr>
 * <tr><td>{@code border.constant}</td><td>0</td><td>value for CONSTANT border</td></tr>
 * <tr><td>{@code stride}</td><td>1</td><td>output step in input pixels</td></tr>
 * <tr><td>{@code color.mode}</td><td>VOLUME</td><td>VOLUME, PER_CHANNEL or GREY</td></tr>
 * <tr><td>{@code grey.weights}</td><td>0.299,0.587,0.114</td><td>BT.601 (or {@code bt709},
 *     or three numbers) for GREY</td></tr>
 * <tr><td>{@code tile.size}</td><td>256</td><td>tile size in output pixels: {@code N} or
 *     {@code WxH}</td></tr>
 * <tr><td>{@code map.encoding}</td><td>FLOAT32</td><td>sample type of the maps on the maps
 *     topic: FLOAT32 (exact) or FLOAT16 (half the bytes; exact for integer responses up to 2048,
 *     e.g. Sobel or Laplacian of 8-bit grey input)</td></tr>
 * <tr><td>{@code edge.threshold}</td><td>auto</td><td>absolute response (gradient magnitude) from
 *     which a sample is an edge; {@code auto} = 25% of the filter's largest possible
 *     response</td></tr>
 * <tr><td>{@code histogram.bins}</td><td>64</td><td>bins of the response histogram</td></tr>
 * <tr><td>{@code max.pixels}</td><td>50000000</td><td>largest width*height accepted</td></tr>
 * <tr><td>{@code max.dimension}</td><td>65535</td><td>largest width or height accepted</td></tr>
 * <tr><td>{@code max.record.bytes}</td><td>16777216</td><td>largest input record value
 *     accepted (the topic's {@code max.message.bytes} and producers' {@code max.request.size}
 *     must allow it too)</td></tr>
 * <tr><td>{@code max.key.bytes}</td><td>1024</td><td>largest record key (FIELD_TOO_LARGE)</td></tr>
 * <tr><td>{@code max.id.bytes}</td><td>512</td><td>largest imageId, sourceId or batchId in UTF-8
 *     bytes (FIELD_TOO_LARGE)</td></tr>
 * <tr><td>{@code max.attributes.bytes}</td><td>65536</td><td>largest attributes map: keys and
 *     values in UTF-8 bytes plus one byte per entry (FIELD_TOO_LARGE)</td></tr>
 * <tr><td>{@code dlq.max.payload.bytes}</td><td>auto (= max.record.bytes)</td><td>largest
 *     original value a dead letter carries; larger ones are left out, with their size</td></tr>
 * <tr><td>{@code memory.budget}</td><td>auto</td><td>memory one image may need in the decode step
 *     of a slot (bytes, or 256m, 1g); auto = 50% of the TaskManager's task heap per slot
 *     (MEMORY_BUDGET_EXCEEDED)</td></tr>
 * <tr><td>{@code max.kernel.size}</td><td>31</td><td>largest kernel rows or columns</td></tr>
 * <tr><td>{@code max.filters}</td><td>16</td><td>most filters per job</td></tr>
 * <tr><td>{@code parallelism}</td><td>-1 (cluster default)</td><td>job parallelism</td></tr>
 * <tr><td>{@code checkpoint.interval.ms}</td><td>10000</td><td>exactly-once checkpoints; also the
 *     floor on end-to-end latency (outputs become visible when a checkpoint completes)</td></tr>
 * <tr><td>{@code checkpoint.timeout.ms}</td><td>120000</td><td>a checkpoint taking longer is
 *     aborted and the job restarts from the previous one</td></tr>
 * <tr><td>{@code checkpoint.dir}</td><td>cluster's</td><td>where checkpoints go (default: the
 *     cluster's {@code execution.checkpointing.dir})</td></tr>
 * <tr><td>{@code checkpoint.retention}</td><td>RETAIN_ON_CANCELLATION</td><td>keep the last
 *     checkpoint when the job fails or is cancelled (DELETE_ON_CANCELLATION: only on
 *     failure)</td></tr>
 * <tr><td>{@code incomplete.timeout.ms}</td><td>300000</td><td>how long the merge waits for an
 *     image's tiles before it dead-letters it as INCOMPLETE_IMAGE</td></tr>
 * <tr><td>{@code transaction.timeout.ms}</td><td>600000</td><td>Kafka transaction timeout of the
 *     sinks; at least checkpoint interval + checkpoint timeout + longest restart delay + 60 s, and
 *     at most the broker's {@code transaction.max.timeout.ms} (both checked at start)</td></tr>
 * <tr><td>{@code restart.strategy}</td><td>EXPONENTIAL_DELAY</td><td>EXPONENTIAL_DELAY or
 *     FIXED_DELAY</td></tr>
 * <tr><td>{@code restart.attempts}</td><td>unlimited</td><td>failures before the job goes to
 *     FAILED (exponential: counted since the last reset)</td></tr>
 * <tr><td>{@code restart.delay.ms}</td><td>1000</td><td>first (or fixed) delay before a
 *     restart</td></tr>
 * <tr><td>{@code restart.max.delay.ms}</td><td>60000</td><td>longest delay (exponential, doubling
 *     with 10% jitter)</td></tr>
 * <tr><td>{@code restart.reset.after.ms}</td><td>600000</td><td>running this long without a failure
 *     resets the delay and the attempt count</td></tr>
 * <tr><td>{@code starting.offsets}</td><td>committed</td><td>earliest, latest or committed
 *     (committed falls back to earliest)</td></tr>
 * <tr><td>{@code bounded}</td><td>false</td><td>stop at the offsets that are latest when the job
 *     starts (tests, backfills)</td></tr>
 * <tr><td>{@code check.broker}</td><td>true</td><td>check the transaction timeout against the
 *     broker at start</td></tr>
 * <tr><td>{@code kafka.*}</td><td>none</td><td>passed to every Kafka client without the
 *     prefix, except settings exactly-once depends on (refused with a reason)</td></tr>
 * </table>
 */
public final class EdgeJobOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String CONFIG = "config";
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String TOPIC_IMAGES = "topic.images";
    public static final String TOPIC_MAPS = "topic.maps";
    public static final String TOPIC_STATS = "topic.stats";
    public static final String TOPIC_DLQ = "topic.dlq";
    public static final String GROUP_ID = "group.id";
    public static final String JOB_NAME = "job.name";
    public static final String TRANSACTIONAL_ID_PREFIX = "transactional.id.prefix";
    public static final String FILTERS = "filters";
    public static final String PADDING = "padding";
    public static final String BORDER = "border";
    public static final String BORDER_CONSTANT = "border.constant";
    public static final String STRIDE = "stride";
    public static final String COLOR_MODE = "color.mode";
    public static final String GREY_WEIGHTS = "grey.weights";
    public static final String TILE_SIZE = "tile.size";
    public static final String MAP_ENCODING = "map.encoding";
    public static final String EDGE_THRESHOLD = "edge.threshold";
    public static final String HISTOGRAM_BINS = "histogram.bins";
    public static final String MAX_PIXELS = "max.pixels";
    public static final String MAX_DIMENSION = "max.dimension";
    public static final String MAX_RECORD_BYTES = "max.record.bytes";
    public static final String MAX_KEY_BYTES = "max.key.bytes";
    public static final String MAX_ID_BYTES = "max.id.bytes";
    public static final String MAX_ATTRIBUTES_BYTES = "max.attributes.bytes";
    public static final String DLQ_MAX_PAYLOAD_BYTES = "dlq.max.payload.bytes";
    public static final String MEMORY_BUDGET = "memory.budget";
    public static final String MAX_KERNEL_SIZE = "max.kernel.size";
    public static final String MAX_FILTERS = "max.filters";
    public static final String PARALLELISM = "parallelism";
    public static final String CHECKPOINT_INTERVAL_MS = "checkpoint.interval.ms";
    public static final String CHECKPOINT_TIMEOUT_MS = "checkpoint.timeout.ms";
    public static final String CHECKPOINT_DIR = "checkpoint.dir";
    public static final String CHECKPOINT_RETENTION = "checkpoint.retention";
    public static final String INCOMPLETE_TIMEOUT_MS = "incomplete.timeout.ms";
    public static final String TRANSACTION_TIMEOUT_MS = "transaction.timeout.ms";
    public static final String RESTART_STRATEGY = "restart.strategy";
    public static final String RESTART_ATTEMPTS = "restart.attempts";
    public static final String RESTART_DELAY_MS = "restart.delay.ms";
    public static final String RESTART_MAX_DELAY_MS = "restart.max.delay.ms";
    public static final String RESTART_RESET_AFTER_MS = "restart.reset.after.ms";
    public static final String STARTING_OFFSETS = "starting.offsets";
    public static final String BOUNDED = "bounded";
    public static final String CHECK_BROKER = "check.broker";
    public static final String KAFKA_PREFIX = KafkaPassThrough.PREFIX;

    /** Sample type of the feature maps written to the maps topic. */
    public enum MapEncoding {
        /** IEEE float32, the exact convolution result (4 bytes per sample). */
        FLOAT32(MapDataType.FLOAT32_LE),
        /**
         * IEEE binary16 (NumPy float16), rounded to nearest: half the bytes; exact for integer
         * responses up to 2048 in magnitude (Sobel, Laplacian of 8-bit grey input), else 11
         * significant bits.
         */
        FLOAT16(MapDataType.FLOAT16_LE);

        private final MapDataType dataType;

        MapEncoding(MapDataType dataType) {
            this.dataType = dataType;
        }

        /** The wire type of {@code FeatureMapTile.dataType}. */
        public MapDataType dataType() {
            return dataType;
        }
    }

    /** How the job restarts after a failure (Flink's restart strategies of the same names). */
    public enum RestartStrategy {
        /**
         * Delays growing from {@code restart.delay.ms} to {@code restart.max.delay.ms} (doubling,
         * 10% jitter), reset after {@code restart.reset.after.ms} without a failure; {@code
         * restart.attempts} counts failures since the last reset.
         */
        EXPONENTIAL_DELAY,
        /** {@code restart.attempts} restarts in all, {@code restart.delay.ms} apart (tests). */
        FIXED_DELAY
    }

    /** What happens to the last completed checkpoint when the job ends without a savepoint. */
    public enum CheckpointRetention {
        /**
         * Kept when the job fails or is cancelled: resume from it with {@code --from-savepoint
         * <checkpoint.dir>/<job id>/chk-<n>}, exactly once.
         */
        RETAIN_ON_CANCELLATION,
        /** Kept when the job fails, deleted when it is cancelled. */
        DELETE_ON_CANCELLATION
    }

    /**
     * Time a restart may take on top of the restart delay, in the transaction-timeout rule: the
     * JobManager noticing the failure (a lost TaskManager's heartbeat), redeploying the tasks and
     * restoring state before the restored sinks commit the pending transactions.
     */
    public static final long RECOVERY_ALLOWANCE_MS = 60_000;

    /** Where the source starts when the job starts without a checkpoint or savepoint. */
    public enum StartingOffsets {
        EARLIEST,
        LATEST,
        /** The group's committed offsets; partitions without one start at the earliest. */
        COMMITTED
    }

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put(BOOTSTRAP_SERVERS, "localhost:9092");
        DEFAULTS.put(TOPIC_IMAGES, "images");
        DEFAULTS.put(TOPIC_MAPS, "edge-maps");
        DEFAULTS.put(TOPIC_STATS, "edge-stats");
        DEFAULTS.put(TOPIC_DLQ, "images-dlq");
        DEFAULTS.put(GROUP_ID, "edgestream-edge-job");
        DEFAULTS.put(JOB_NAME, "edgestream-edge-job");
        DEFAULTS.put(TRANSACTIONAL_ID_PREFIX, "");
        DEFAULTS.put(FILTERS, "vertical,horizontal,sobel");
        DEFAULTS.put(PADDING, "VALID");
        DEFAULTS.put(BORDER, "ZERO");
        DEFAULTS.put(BORDER_CONSTANT, "0");
        DEFAULTS.put(STRIDE, "1");
        DEFAULTS.put(COLOR_MODE, "VOLUME");
        DEFAULTS.put(GREY_WEIGHTS, "0.299,0.587,0.114");
        DEFAULTS.put(TILE_SIZE, "256");
        DEFAULTS.put(MAP_ENCODING, "FLOAT32");
        DEFAULTS.put(EDGE_THRESHOLD, "auto");
        DEFAULTS.put(HISTOGRAM_BINS, "64");
        DEFAULTS.put(MAX_PIXELS, "50000000");
        DEFAULTS.put(MAX_DIMENSION, "65535");
        DEFAULTS.put(MAX_RECORD_BYTES, String.valueOf(RecordLimits.DEFAULT_MAX_RECORD_BYTES));
        DEFAULTS.put(MAX_KEY_BYTES, "1024");
        DEFAULTS.put(MAX_ID_BYTES, "512");
        DEFAULTS.put(MAX_ATTRIBUTES_BYTES, "65536");
        DEFAULTS.put(DLQ_MAX_PAYLOAD_BYTES, "auto");
        DEFAULTS.put(MEMORY_BUDGET, "auto");
        DEFAULTS.put(MAX_KERNEL_SIZE, "31");
        DEFAULTS.put(MAX_FILTERS, "16");
        DEFAULTS.put(PARALLELISM, "-1");
        DEFAULTS.put(CHECKPOINT_INTERVAL_MS, "10000");
        DEFAULTS.put(CHECKPOINT_TIMEOUT_MS, "120000");
        DEFAULTS.put(CHECKPOINT_DIR, "");
        DEFAULTS.put(CHECKPOINT_RETENTION, "RETAIN_ON_CANCELLATION");
        DEFAULTS.put(INCOMPLETE_TIMEOUT_MS, "300000");
        DEFAULTS.put(TRANSACTION_TIMEOUT_MS, "600000");
        DEFAULTS.put(RESTART_STRATEGY, "EXPONENTIAL_DELAY");
        DEFAULTS.put(RESTART_ATTEMPTS, "unlimited");
        DEFAULTS.put(RESTART_DELAY_MS, "1000");
        DEFAULTS.put(RESTART_MAX_DELAY_MS, "60000");
        DEFAULTS.put(RESTART_RESET_AFTER_MS, "600000");
        DEFAULTS.put(STARTING_OFFSETS, "COMMITTED");
        DEFAULTS.put(BOUNDED, "false");
        DEFAULTS.put(CHECK_BROKER, "true");
    }

    private final Map<String, String> values;
    private final ProcessingSpec processing;

    private EdgeJobOptions(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        validate();
        this.processing = buildProcessingSpec();
        checkTileRecordSize();
    }

    /**
     * A feature-map tile must fit one Kafka record: the tile size bounds the output record size
     * whatever the image size, so check it once here rather than at the first large image.
     */
    private void checkTileRecordSize() {
        int channels = processing.colorMode == ColorMode.PER_CHANNEL ? 4 : 1;
        long tileBytes = maxMapTileBytes();
        String v = kafkaProperties().getProperty("max.request.size");
        long maxRequest;
        try {
            maxRequest = v == null ? 1024 * 1024 : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "option 'kafka.max.request.size' must be an integer, got '" + v + "'", e);
        }
        long needed = tileBytes + RecordLimits.RECORD_OVERHEAD_BYTES;
        if (needed > maxRequest) {
            throw new IllegalArgumentException(
                    "a "
                            + processing.tileWidth
                            + "x"
                            + processing.tileHeight
                            + " tile with up to "
                            + channels
                            + " float32 channel(s) is "
                            + tileBytes
                            + " bytes, too large for the producers' max.request.size = "
                            + maxRequest
                            + " (with 64 KiB headroom); lower --tile.size or raise"
                            + " kafka.max.request.size (and the topic's max.message.bytes)");
        }
    }

    /**
     * The largest map tile's samples in bytes: tile size times the map channels (PER_CHANNEL keeps
     * the input's channels, at most 4; other modes give one) times 4 bytes.
     */
    public long maxMapTileBytes() {
        int channels = processing.colorMode == ColorMode.PER_CHANNEL ? 4 : 1;
        return (long) processing.tileWidth * processing.tileHeight * channels * 4;
    }

    /** Default options, overridden by {@code overrides} (same names as the flags). */
    public static EdgeJobOptions of(Map<String, String> overrides) {
        Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
        v.putAll(overrides);
        return new EdgeJobOptions(v);
    }

    /**
     * Parses {@code --name value} flags; {@code --config file} loads a properties file first and
     * the other flags override it. A flag without a value ({@code --bounded}) means {@code true}.
     */
    public static EdgeJobOptions fromArgs(String[] args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new IllegalArgumentException(
                        "unexpected argument '"
                                + a
                                + "' at position "
                                + i
                                + ": options are given as --name value (see EdgeJobOptions)");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                value = "true";
            }
            flags.put(name, value);
        }
        Map<String, String> merged = new LinkedHashMap<>(DEFAULTS);
        String config = flags.remove(CONFIG);
        if (config != null) {
            merged.putAll(loadProperties(Path.of(config)));
        }
        merged.putAll(flags);
        return new EdgeJobOptions(merged);
    }

    private static Map<String, String> loadProperties(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read the configuration file given with --config: "
                            + file.toAbsolutePath()
                            + " ("
                            + e
                            + ")",
                    e);
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : p.stringPropertyNames()) {
            m.put(k.trim(), p.getProperty(k).trim());
        }
        return m;
    }

    private void validate() {
        for (String k : values.keySet()) {
            if (!DEFAULTS.containsKey(k) && !KafkaPassThrough.isKafkaOption(k)) {
                throw new IllegalArgumentException(
                        "unknown option '"
                                + k
                                + "'; known options: "
                                + DEFAULTS.keySet()
                                + " and kafka.<client property>");
            }
        }
        for (String k :
                List.of(
                        BOOTSTRAP_SERVERS,
                        TOPIC_IMAGES,
                        TOPIC_MAPS,
                        TOPIC_STATS,
                        TOPIC_DLQ,
                        GROUP_ID,
                        JOB_NAME,
                        FILTERS)) {
            if (get(k).isBlank()) {
                throw new IllegalArgumentException("option '" + k + "' must not be empty");
            }
        }
        Set<String> topics =
                Set.copyOf(
                        List.of(
                                get(TOPIC_IMAGES),
                                get(TOPIC_MAPS),
                                get(TOPIC_STATS),
                                get(TOPIC_DLQ)));
        if (topics.size() != 4) {
            throw new IllegalArgumentException(
                    "the four topics must differ, got images="
                            + get(TOPIC_IMAGES)
                            + " maps="
                            + get(TOPIC_MAPS)
                            + " stats="
                            + get(TOPIC_STATS)
                            + " dlq="
                            + get(TOPIC_DLQ));
        }
        positiveInt(STRIDE);
        positiveInt(HISTOGRAM_BINS);
        positiveLong(MAX_PIXELS);
        positiveInt(MAX_DIMENSION);
        positiveInt(MAX_RECORD_BYTES);
        positiveInt(MAX_KEY_BYTES);
        positiveInt(MAX_ID_BYTES);
        positiveInt(MAX_ATTRIBUTES_BYTES);
        positiveInt(MAX_KERNEL_SIZE);
        positiveInt(MAX_FILTERS);
        positiveLong(CHECKPOINT_INTERVAL_MS);
        positiveLong(INCOMPLETE_TIMEOUT_MS);
        positiveLong(TRANSACTION_TIMEOUT_MS);
        positiveLong(CHECKPOINT_TIMEOUT_MS);
        positiveLong(RESTART_DELAY_MS);
        positiveLong(RESTART_MAX_DELAY_MS);
        positiveLong(RESTART_RESET_AFTER_MS);
        int p = intValue(PARALLELISM);
        if (p == 0 || p < -1) {
            throw new IllegalArgumentException(
                    "option 'parallelism' must be -1 (cluster default) or at least 1, got " + p);
        }
        restartAttempts();
        if (restartMaxDelayMs() < restartDelayMs()) {
            throw new IllegalArgumentException(
                    "option 'restart.max.delay.ms' ("
                            + restartMaxDelayMs()
                            + ") must be at least 'restart.delay.ms' ("
                            + restartDelayMs()
                            + ")");
        }
        enumValue(RESTART_STRATEGY, RestartStrategy.class);
        enumValue(CHECKPOINT_RETENTION, CheckpointRetention.class);
        inputLimits();
        KafkaPassThrough.checkProtectedSettings(values);
        edgeThreshold();
        enumValue(PADDING, Padding.class);
        enumValue(BORDER, BorderMode.class);
        enumValue(COLOR_MODE, ColorMode.class);
        enumValue(MAP_ENCODING, MapEncoding.class);
        enumValue(STARTING_OFFSETS, StartingOffsets.class);
        booleanValue(BOUNDED);
        booleanValue(CHECK_BROKER);
        floatValue(BORDER_CONSTANT);
        tileSize();
        long needed = minTransactionTimeoutMs();
        if (transactionTimeoutMs() < needed) {
            throw new IllegalArgumentException(
                    "option 'transaction.timeout.ms' ("
                            + transactionTimeoutMs()
                            + ") is too short for exactly-once: a transaction opened after one"
                            + " checkpoint is committed after the next one completes, or after a"
                            + " restart from it, so it must outlive checkpoint.interval.ms ("
                            + checkpointIntervalMs()
                            + ") + checkpoint.timeout.ms ("
                            + checkpointTimeoutMs()
                            + ") + the longest restart delay ("
                            + longestRestartDelayMs()
                            + ") + "
                            + RECOVERY_ALLOWANCE_MS
                            + " ms to recover = "
                            + needed
                            + " ms; otherwise Kafka aborts it before it is committed and its"
                            + " records are lost. Raise transaction.timeout.ms (at most the"
                            + " brokers' transaction.max.timeout.ms, 900000 by default) or lower"
                            + " the others");
        }
    }

    /**
     * The shortest transaction timeout with which no transaction can time out before it is
     * committed: checkpoint interval + checkpoint timeout + longest restart delay + {@link
     * #RECOVERY_ALLOWANCE_MS}.
     */
    public long minTransactionTimeoutMs() {
        return checkpointIntervalMs()
                + checkpointTimeoutMs()
                + longestRestartDelayMs()
                + RECOVERY_ALLOWANCE_MS;
    }

    private long longestRestartDelayMs() {
        return restartStrategy() == RestartStrategy.FIXED_DELAY
                ? restartDelayMs()
                : restartMaxDelayMs();
    }

    private ProcessingSpec buildProcessingSpec() {
        int[] tile = tileSize();
        ProcessingSpec spec =
                new ProcessingSpec(
                        get(FILTERS),
                        enumValue(PADDING, Padding.class),
                        enumValue(BORDER, BorderMode.class),
                        floatValue(BORDER_CONSTANT),
                        intValue(STRIDE),
                        enumValue(COLOR_MODE, ColorMode.class),
                        greyWeights(),
                        tile[0],
                        tile[1],
                        edgeThreshold(),
                        intValue(HISTOGRAM_BINS),
                        longValue(MAX_PIXELS),
                        intValue(MAX_DIMENSION),
                        intValue(MAX_KERNEL_SIZE),
                        intValue(MAX_FILTERS),
                        inputLimits());
        // Fail at start-up, not in the first task: parse the filters and check the limits now.
        spec.validate();
        return spec;
    }

    /** The configured edge threshold, or null for the filter-dependent default ("auto"). */
    private Double edgeThreshold() {
        String s = get(EDGE_THRESHOLD).trim();
        if (s.equalsIgnoreCase("auto")) {
            return null;
        }
        double t = doubleValue(EDGE_THRESHOLD);
        if (!(t >= 0) || Double.isInfinite(t)) {
            throw new IllegalArgumentException(
                    "option 'edge.threshold' must be 'auto' or a finite number >= 0, got '"
                            + s
                            + "'");
        }
        return t;
    }

    private float[] greyWeights() {
        String s = get(GREY_WEIGHTS).trim().toLowerCase(Locale.ROOT);
        if (s.equals("bt601")) {
            return new float[] {0.299f, 0.587f, 0.114f};
        }
        if (s.equals("bt709")) {
            return new float[] {0.2125f, 0.7154f, 0.0721f};
        }
        String[] parts = s.split("[,\\s]+");
        float[] w = new float[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                w[i] = Float.parseFloat(parts[i]);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "option 'grey.weights' must be bt601, bt709 or comma-separated numbers (one per"
                            + " channel), got '"
                            + get(GREY_WEIGHTS)
                            + "'",
                    e);
        }
        return w;
    }

    private int[] tileSize() {
        String s = get(TILE_SIZE).trim().toLowerCase(Locale.ROOT);
        String[] parts = s.split("x", -1);
        try {
            int w = Integer.parseInt(parts[0].trim());
            int h = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : w;
            if (parts.length > 2 || w < 1 || h < 1 || (long) w * h > 16L * 1024 * 1024) {
                throw new NumberFormatException();
            }
            return new int[] {w, h};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "option 'tile.size' must be N or WxH with positive sizes (output pixels), got '"
                            + get(TILE_SIZE)
                            + "'");
        }
    }

    // ---- typed accessors ----

    /** The raw value of an option (the default if not set). */
    public String get(String name) {
        String v = values.get(name);
        if (v == null) {
            v = DEFAULTS.get(name);
        }
        if (v == null) {
            throw new IllegalArgumentException("no option named '" + name + "'");
        }
        return v;
    }

    public String bootstrapServers() {
        return get(BOOTSTRAP_SERVERS);
    }

    public String imagesTopic() {
        return get(TOPIC_IMAGES);
    }

    public String mapsTopic() {
        return get(TOPIC_MAPS);
    }

    public String statsTopic() {
        return get(TOPIC_STATS);
    }

    public String dlqTopic() {
        return get(TOPIC_DLQ);
    }

    public String groupId() {
        return get(GROUP_ID);
    }

    public String jobName() {
        return get(JOB_NAME);
    }

    /** The prefix of the sinks' transactional ids; each sink appends its own name. */
    public String transactionalIdPrefix() {
        String p = get(TRANSACTIONAL_ID_PREFIX);
        return p.isBlank() ? jobName() : p;
    }

    public int parallelism() {
        return intValue(PARALLELISM);
    }

    public long checkpointIntervalMs() {
        return longValue(CHECKPOINT_INTERVAL_MS);
    }

    public long incompleteTimeoutMs() {
        return longValue(INCOMPLETE_TIMEOUT_MS);
    }

    public long transactionTimeoutMs() {
        return longValue(TRANSACTION_TIMEOUT_MS);
    }

    public RestartStrategy restartStrategy() {
        return enumValue(RESTART_STRATEGY, RestartStrategy.class);
    }

    /**
     * Failures tolerated before the job goes to FAILED ({@code Integer.MAX_VALUE} for {@code
     * unlimited}); with EXPONENTIAL_DELAY counted since the last reset.
     */
    public int restartAttempts() {
        String v = get(RESTART_ATTEMPTS).trim();
        if (v.equalsIgnoreCase("unlimited")) {
            return Integer.MAX_VALUE;
        }
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0) {
            throw new IllegalArgumentException(
                    "option 'restart.attempts' must be 'unlimited' or 0 or more, got '" + v + "'");
        }
        return n;
    }

    /** The first delay (EXPONENTIAL_DELAY) or every delay (FIXED_DELAY) before a restart. */
    public long restartDelayMs() {
        return longValue(RESTART_DELAY_MS);
    }

    /** The longest delay before a restart (EXPONENTIAL_DELAY). */
    public long restartMaxDelayMs() {
        return longValue(RESTART_MAX_DELAY_MS);
    }

    /** Running this long without a failure resets the delay and the attempt count. */
    public long restartResetAfterMs() {
        return longValue(RESTART_RESET_AFTER_MS);
    }

    /** A checkpoint that takes longer is aborted and the job restarts from the previous one. */
    public long checkpointTimeoutMs() {
        return longValue(CHECKPOINT_TIMEOUT_MS);
    }

    /**
     * Where checkpoints are written, or null for the cluster's {@code execution.checkpointing.dir}.
     */
    public String checkpointDir() {
        String d = get(CHECKPOINT_DIR).trim();
        return d.isEmpty() ? null : d;
    }

    public CheckpointRetention checkpointRetention() {
        return enumValue(CHECKPOINT_RETENTION, CheckpointRetention.class);
    }

    /** The limits every input record is checked against before any output is made. */
    public InputLimits inputLimits() {
        int maxRecord = intValue(MAX_RECORD_BYTES);
        String dlq = get(DLQ_MAX_PAYLOAD_BYTES).trim();
        int dlqPayload =
                dlq.equalsIgnoreCase("auto") ? maxRecord : (int) bytesValue(DLQ_MAX_PAYLOAD_BYTES);
        String budget = get(MEMORY_BUDGET).trim();
        long memory =
                budget.equalsIgnoreCase("auto") ? InputLimits.AUTO : bytesValue(MEMORY_BUDGET);
        return new InputLimits(
                maxRecord,
                intValue(MAX_KEY_BYTES),
                intValue(MAX_ID_BYTES),
                intValue(MAX_ATTRIBUTES_BYTES),
                dlqPayload,
                memory);
    }

    public MapEncoding mapEncoding() {
        return enumValue(MAP_ENCODING, MapEncoding.class);
    }

    public StartingOffsets startingOffsets() {
        return enumValue(STARTING_OFFSETS, StartingOffsets.class);
    }

    public boolean bounded() {
        return booleanValue(BOUNDED);
    }

    public boolean checkBroker() {
        return booleanValue(CHECK_BROKER);
    }

    /** Everything the operators need to decode, tile, convolve and summarise an image. */
    public ProcessingSpec processing() {
        return processing;
    }

    /** The {@code kafka.*} options without the prefix, for every Kafka client. */
    public Properties kafkaProperties() {
        return KafkaPassThrough.clientProperties(values);
    }

    /** True if the value of {@code key} must never be printed (one rule: {@link Secrets}). */
    public static boolean isSecret(String key) {
        return Secrets.isSecret(key);
    }

    /** The effective configuration, one {@code name = value} per line, secrets masked. */
    public String describe() {
        Map<String, String> all = new TreeMap<>(DEFAULTS);
        all.putAll(values);
        all.put(TRANSACTIONAL_ID_PREFIX, transactionalIdPrefix());
        StringBuilder sb = new StringBuilder("edge job configuration:\n");
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, String> e : all.entrySet()) {
            lines.add("  " + e.getKey() + " = " + Secrets.printable(e.getKey(), e.getValue()));
        }
        sb.append(String.join("\n", lines));
        return sb.toString();
    }

    @Override
    public String toString() {
        return describe();
    }

    // ---- parsing helpers with clear errors ----

    private int intValue(String name) {
        try {
            return Integer.parseInt(get(name).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "option '" + name + "' must be an integer, got '" + get(name) + "'", e);
        }
    }

    private long longValue(String name) {
        try {
            return Long.parseLong(get(name).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "option '" + name + "' must be an integer, got '" + get(name) + "'", e);
        }
    }

    private double doubleValue(String name) {
        try {
            return Double.parseDouble(get(name).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "option '" + name + "' must be a number, got '" + get(name) + "'", e);
        }
    }

    private float floatValue(String name) {
        double d = doubleValue(name);
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(
                    "option '" + name + "' must be a finite number, got '" + get(name) + "'");
        }
        return (float) d;
    }

    /** A size in bytes: a plain number or one with a k, m or g suffix (powers of 1024). */
    private long bytesValue(String name) {
        String v = get(name).trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (v.endsWith("b")) {
            v = v.substring(0, v.length() - 1);
        }
        if (v.endsWith("k")) {
            unit = 1L << 10;
        } else if (v.endsWith("m")) {
            unit = 1L << 20;
        } else if (v.endsWith("g")) {
            unit = 1L << 30;
        }
        if (unit > 1) {
            v = v.substring(0, v.length() - 1).trim();
        }
        try {
            long n = Long.parseLong(v);
            if (n >= 0 && n <= Long.MAX_VALUE / unit) {
                return n * unit;
            }
        } catch (NumberFormatException e) {
            // reported below with the option's name
        }
        throw new IllegalArgumentException(
                "option '"
                        + name
                        + "' must be a size in bytes such as 268435456, 256m or 1g, got '"
                        + get(name)
                        + "'");
    }

    private boolean booleanValue(String name) {
        String v = get(name).trim().toLowerCase(Locale.ROOT);
        if (v.equals("true")) {
            return true;
        }
        if (v.equals("false")) {
            return false;
        }
        throw new IllegalArgumentException(
                "option '" + name + "' must be true or false, got '" + get(name) + "'");
    }

    private void positiveInt(String name) {
        if (intValue(name) < 1) {
            throw new IllegalArgumentException(
                    "option '" + name + "' must be at least 1, got " + get(name));
        }
    }

    private void positiveLong(String name) {
        if (longValue(name) < 1) {
            throw new IllegalArgumentException(
                    "option '" + name + "' must be at least 1, got " + get(name));
        }
    }

    private <E extends Enum<E>> E enumValue(String name, Class<E> type) {
        String v = get(name).trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return Enum.valueOf(type, v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "option '"
                            + name
                            + "' must be one of "
                            + java.util.Arrays.toString(type.getEnumConstants())
                            + ", got '"
                            + get(name)
                            + "'",
                    e);
        }
    }
}
