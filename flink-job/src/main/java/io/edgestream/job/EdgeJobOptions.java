package io.edgestream.job;

import static io.edgestream.job.JobOption.Group.CONVOLUTION;
import static io.edgestream.job.JobOption.Group.KAFKA;
import static io.edgestream.job.JobOption.Group.LIMITS;
import static io.edgestream.job.JobOption.Group.MAPS;
import static io.edgestream.job.JobOption.Group.RUNNING;
import static io.edgestream.job.JobOption.Group.TOPICS;
import static io.edgestream.job.JobOption.Group.WIRE;

import io.edgestream.imaging.conv.BorderMode;
import io.edgestream.imaging.conv.ColorMode;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.conv.Padding;
import io.edgestream.imaging.stats.StatsConfig;
import io.edgestream.job.functions.InputLimits;
import io.edgestream.job.functions.MapEncodings;
import io.edgestream.job.functions.MemoryBudget;
import io.edgestream.job.functions.ProcessingSpec;
import io.edgestream.job.records.TopicWire;
import io.edgestream.schemas.kafka.RecordLimits;
import io.edgestream.schemas.kafka.Secrets;
import io.edgestream.schemas.registry.RegistryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;

/**
 * The edge job's whole configuration.
 *
 * <p>Every option is declared once below, the way Flink's connectors declare theirs: a {@link
 * ConfigOption} with its key, type, default and description, plus a {@link JobOption} with its
 * section in the options table and its simple checks. An option whose value takes a special form
 * ({@code auto}, {@code unlimited}, {@code WxH}, ...) is declared as a string and read by the
 * parser right after its declaration. The declarations are the single source of the parser, the
 * typed accessors, the unknown-option error, {@link #describe()} and the options table of <a
 * href="../../../../../../../docs/options.md">docs/options.md</a>, which a unit test keeps equal to
 * them ({@code OptionsDocTest}, which also rewrites it). That file is the user's reference: every
 * option with its type, default and meaning.
 *
 * <p>Options come from command-line flags ({@code --name value} or {@code --name=value}; a boolean
 * flag alone means {@code true}) and/or a properties file ({@code --config job.properties}, same
 * names); flags override the file. Keys starting with {@value #KAFKA_PREFIX} are handed to every
 * Kafka client with the prefix removed, except settings exactly-once depends on; no secret is ever
 * printed ({@link Secrets}).
 */
public final class EdgeJobOptions implements Serializable {
    private static final long serialVersionUID = 2L;

    /** The flag naming a properties file of options ({@code --config job.properties}). */
    public static final String CONFIG = "config";

    /** Options starting with this are passed to the Kafka clients without it. */
    public static final String KAFKA_PREFIX = KafkaPassThrough.PREFIX;

    /**
     * Time a restart may take on top of the restart delay, in the transaction-timeout rule: the
     * JobManager noticing the failure (a lost TaskManager's heartbeat), redeploying the tasks and
     * restoring state before the restored sinks commit the pending transactions.
     */
    public static final long RECOVERY_ALLOWANCE_MS = 60_000;

    // ---- Topics and ids ----

    @JobOption(group = TOPICS, nonEmpty = true)
    public static final ConfigOption<String> TOPIC_IMAGES =
            ConfigOptions.key("topic.images")
                    .stringType()
                    .defaultValue("images")
                    .withDescription("Input topic (`ImageFrame` records).");

    @JobOption(group = TOPICS, nonEmpty = true)
    public static final ConfigOption<String> TOPIC_MAPS =
            ConfigOptions.key("topic.maps")
                    .stringType()
                    .defaultValue("edge-maps")
                    .withDescription("Output topic of the feature-map tiles (`FeatureMapTile`).");

    @JobOption(group = TOPICS, nonEmpty = true)
    public static final ConfigOption<String> TOPIC_STATS =
            ConfigOptions.key("topic.stats")
                    .stringType()
                    .defaultValue("edge-stats")
                    .withDescription(
                            "Output topic of the statistics, one `EdgeStats` per image and"
                                    + " filter.");

    @JobOption(group = TOPICS, nonEmpty = true)
    public static final ConfigOption<String> TOPIC_DLQ =
            ConfigOptions.key("topic.dlq")
                    .stringType()
                    .defaultValue("images-dlq")
                    .withDescription(
                            "Dead-letter topic (`DeadLetter`). The four topics must differ.");

    @JobOption(group = TOPICS, nonEmpty = true)
    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("group.id")
                    .stringType()
                    .defaultValue("edgestream-edge-job")
                    .withDescription("Consumer group of the source.");

    @JobOption(group = TOPICS, nonEmpty = true)
    public static final ConfigOption<String> JOB_NAME =
            ConfigOptions.key("job.name")
                    .stringType()
                    .defaultValue("edgestream-edge-job")
                    .withDescription(
                            "Flink job name; also the prefix of the job's Kafka client ids and"
                                    + " the default `transactional.id.prefix`.");

    @JobOption(group = TOPICS, shownDefault = "`job.name`")
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("transactional.id.prefix")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Prefix of the exactly-once sinks' transactional ids: they use"
                                    + " `<prefix>-maps`, `<prefix>-local-maps` (see"
                                    + " `tiles.spread.min`), `<prefix>-stats` and `<prefix>-dlq`."
                                    + " Must be unique per job on a Kafka cluster.");

    // ---- Filters and convolution ----

    @JobOption(group = CONVOLUTION, nonEmpty = true)
    public static final ConfigOption<String> FILTERS =
            ConfigOptions.key("filters")
                    .stringType()
                    .defaultValue("vertical,horizontal,sobel")
                    .withDescription(
                            "Filters separated by `|` (or `,` when there is no custom matrix):"
                                    + " `vertical`, `horizontal`, `sobel_x`, `sobel_y`,"
                                    + " `scharr_x`, `scharr_y`, `prewitt_x`, `prewitt_y`,"
                                    + " `laplacian` (signed response), `sobel`, `scharr`,"
                                    + " `prewitt` (gradient magnitude), or custom matrices"
                                    + " `name=1,0,-1;2,0,-2;1,0,-1` (rows separated by `;`, any"
                                    + " size up to `max.kernel.size`). At most `max.filters`.");

    @JobOption(group = CONVOLUTION)
    public static final ConfigOption<Padding> PADDING =
            ConfigOptions.key("padding")
                    .enumType(Padding.class)
                    .defaultValue(Padding.VALID)
                    .withDescription(
                            "`VALID`: no invented pixels, the map is smaller than the image by"
                                    + " the filter size; `SAME`: the image is extended by"
                                    + " `border`, the map has the image's size (divided by the"
                                    + " stride).");

    @JobOption(group = CONVOLUTION)
    public static final ConfigOption<BorderMode> BORDER =
            ConfigOptions.key("border")
                    .enumType(BorderMode.class)
                    .defaultValue(BorderMode.ZERO)
                    .withDescription(
                            "How `SAME` padding extends the image beyond its border (`CONSTANT`:"
                                    + " with `border.constant`).");

    @JobOption(group = CONVOLUTION)
    public static final ConfigOption<Float> BORDER_CONSTANT =
            ConfigOptions.key("border.constant")
                    .floatType()
                    .defaultValue(0f)
                    .withDescription("Value of the pixels beyond the border with `CONSTANT`.");

    @JobOption(group = CONVOLUTION, min = 1)
    public static final ConfigOption<Integer> STRIDE =
            ConfigOptions.key("stride")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "Output step in input pixels: map pixel `(i, j)` reads the image from"
                                    + " `(i*stride, j*stride)`.");

    @JobOption(group = CONVOLUTION)
    public static final ConfigOption<ColorMode> COLOR_MODE =
            ConfigOptions.key("color.mode")
                    .enumType(ColorMode.class)
                    .defaultValue(ColorMode.VOLUME)
                    .withDescription(
                            "`VOLUME`: a filter is repeated over the channels and summed, one map"
                                    + " per filter; `PER_CHANNEL`: one map with as many channels"
                                    + " as the image per filter; `GREY`: the image is converted"
                                    + " with `grey.weights` first.");

    @JobOption(group = CONVOLUTION, form = "`bt601`, `bt709` or numbers")
    public static final ConfigOption<String> GREY_WEIGHTS =
            ConfigOptions.key("grey.weights")
                    .stringType()
                    .defaultValue("0.299,0.587,0.114")
                    .withDescription(
                            "Channel weights of `color.mode` `GREY`: `bt601` (the default),"
                                    + " `bt709` (0.2125,0.7154,0.0721) or comma-separated numbers,"
                                    + " one per channel.");

    /** {@link #GREY_WEIGHTS}: {@code bt601}, {@code bt709} or numbers separated by commas. */
    static float[] parseGreyWeights(String value) {
        String s = value.trim().toLowerCase(Locale.ROOT);
        if (s.equals("bt601")) {
            return ConvParams.BT601.clone();
        }
        if (s.equals("bt709")) {
            return ConvParams.BT709.clone();
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
                            + value
                            + "'",
                    e);
        }
        return w;
    }

    @JobOption(group = CONVOLUTION, form = "`N` or `WxH`")
    public static final ConfigOption<String> TILE_SIZE =
            ConfigOptions.key("tile.size")
                    .stringType()
                    .defaultValue("256")
                    .withDescription(
                            "Tile size in map pixels, square (`N`) or `WxH`. A tile is one record"
                                    + " on the maps topic, so it bounds the size of the output"
                                    + " records; checked at start against"
                                    + " `kafka.max.request.size`.");

    /**
     * {@link #TILE_SIZE}: {@code N} or {@code WxH}, positive and at most 16 Mi pixels; returns
     * {width, height}.
     */
    static int[] parseTileSize(String value) {
        String[] parts = value.trim().toLowerCase(Locale.ROOT).split("x", -1);
        try {
            int w = Integer.parseInt(parts[0].trim());
            int h = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : w;
            if (parts.length > 2 || w < 1 || h < 1 || (long) w * h > 16L * 1024 * 1024) {
                throw new NumberFormatException();
            }
            return new int[] {w, h};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "option 'tile.size' must be N or WxH with positive sizes (map pixels, at most"
                            + " 16777216 per tile), got '"
                            + value
                            + "'");
        }
    }

    // ---- Maps and statistics ----

    @JobOption(group = MAPS, form = "`ENC` or `ENC,filter=ENC,...`")
    public static final ConfigOption<String> MAP_ENCODING =
            ConfigOptions.key("map.encoding")
                    .stringType()
                    .defaultValue("FLOAT32")
                    .withDescription(
                            "Sample type of the maps on the maps topic, for every filter, then"
                                    + " per filter (e.g. `INT16,sobel=UINT8,laplacian=NONE`):"
                                    + " `FLOAT32` (the exact result, 4 bytes per sample);"
                                    + " `FLOAT16` (IEEE half, 2 bytes, rounded to nearest even:"
                                    + " exact for integers up to 2048 in magnitude, else 11"
                                    + " significant bits); `INT16` (exact, 2 bytes, only for a"
                                    + " filter whose response is provably an integer in int16:"
                                    + " integer weights, not `GREY`, no gradient magnitude,"
                                    + " refused at start otherwise; an image whose depth or"
                                    + " channels overflow it gets FLOAT32 maps instead); `UINT8`"
                                    + " (lossy display maps, 1 byte, scaled over the filter's"
                                    + " output range); `NONE` (no maps, statistics only)."
                                    + " Statistics are always computed on the float32 result. See"
                                    + " [topics.md](topics.md#map-encodings).");

    /** {@link #MAP_ENCODING}: a default encoding, then {@code filter=ENCODING} overrides. */
    static MapEncodings parseMapEncoding(String value) {
        return MapEncodings.parse(value);
    }

    @JobOption(group = MAPS, form = "`auto` or a number ≥ 0")
    public static final ConfigOption<String> EDGE_THRESHOLD =
            ConfigOptions.key("edge.threshold")
                    .stringType()
                    .defaultValue("auto")
                    .withDescription(
                            "Absolute response (gradient magnitude) from which a sample is an"
                                    + " edge; `auto`: "
                                    + Math.round(StatsConfig.DEFAULT_THRESHOLD_FRACTION * 100)
                                    + "% of the filter's largest possible response.");

    /** {@link #EDGE_THRESHOLD}: a finite number ≥ 0, or null for {@code auto}. */
    static Double parseEdgeThreshold(String value) {
        String s = value.trim();
        if (s.equalsIgnoreCase("auto")) {
            return null;
        }
        double t;
        try {
            t = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            t = Double.NaN;
        }
        if (!(t >= 0) || Double.isInfinite(t)) {
            throw new IllegalArgumentException(
                    "option 'edge.threshold' must be 'auto' or a finite number >= 0, got '"
                            + value
                            + "'");
        }
        return t;
    }

    @JobOption(group = MAPS, min = 1)
    public static final ConfigOption<Integer> HISTOGRAM_BINS =
            ConfigOptions.key("histogram.bins")
                    .intType()
                    .defaultValue(StatsConfig.DEFAULT_HISTOGRAM_BINS)
                    .withDescription("Bins of the response histogram.");

    // ---- Limits ----

    @JobOption(group = LIMITS, min = 1)
    public static final ConfigOption<Long> MAX_PIXELS =
            ConfigOptions.key("max.pixels")
                    .longType()
                    .defaultValue(50_000_000L)
                    .withDescription(
                            "Largest `width * height` accepted, checked from the image header"
                                    + " before decoding (`TOO_MANY_PIXELS` above).");

    @JobOption(group = LIMITS, min = 1)
    public static final ConfigOption<Integer> MAX_DIMENSION =
            ConfigOptions.key("max.dimension")
                    .intType()
                    .defaultValue(65535)
                    .withDescription("Largest width or height accepted (`TOO_MANY_PIXELS` above).");

    @JobOption(group = LIMITS, min = 1)
    public static final ConfigOption<Integer> MAX_RECORD_BYTES =
            ConfigOptions.key("max.record.bytes")
                    .intType()
                    .defaultValue(RecordLimits.DEFAULT_MAX_RECORD_BYTES)
                    .withDescription(
                            "Largest input record value accepted (`RECORD_TOO_LARGE` above); the"
                                    + " input topic's `max.message.bytes` and the producers'"
                                    + " `max.request.size` must allow it too.");

    @JobOption(group = LIMITS, min = 1)
    public static final ConfigOption<Integer> MAX_KEY_BYTES =
            ConfigOptions.key("max.key.bytes")
                    .intType()
                    .defaultValue(1024)
                    .withDescription("Largest record key accepted (`FIELD_TOO_LARGE` above).");

    @JobOption(group = LIMITS, min = 1)
    public static final ConfigOption<Integer> MAX_ID_BYTES =
            ConfigOptions.key("max.id.bytes")
                    .intType()
                    .defaultValue(512)
                    .withDescription(
                            "Largest `imageId`, `sourceId` or `batchId` in UTF-8 bytes"
                                    + " (`FIELD_TOO_LARGE` above).");

    @JobOption(group = LIMITS, min = 1)
    public static final ConfigOption<Integer> MAX_ATTRIBUTES_BYTES =
            ConfigOptions.key("max.attributes.bytes")
                    .intType()
                    .defaultValue(65536)
                    .withDescription(
                            "Largest `attributes` map: its keys and values in UTF-8 bytes plus"
                                    + " one byte per entry (`FIELD_TOO_LARGE` above).");

    @JobOption(group = LIMITS, form = "`auto` or a size")
    public static final ConfigOption<String> DLQ_MAX_PAYLOAD_BYTES =
            ConfigOptions.key("dlq.max.payload.bytes")
                    .stringType()
                    .defaultValue("auto")
                    .withDescription(
                            "Largest original value a dead letter carries; a larger one is left"
                                    + " out (the dead letter then has `payloadTruncated` and"
                                    + " `originalSize`). Bytes or a size such as `512k`, `1m`;"
                                    + " `auto`: `max.record.bytes`.");

    /**
     * {@link #DLQ_MAX_PAYLOAD_BYTES}: {@code auto} (returned as -1) or a size, at most {@code
     * Integer.MAX_VALUE} bytes.
     */
    static long parseDlqMaxPayloadBytes(String value) {
        return parseAutoOrSize(DLQ_MAX_PAYLOAD_BYTES, value, -1, Integer.MAX_VALUE);
    }

    @JobOption(group = LIMITS, form = "`auto` or a size")
    public static final ConfigOption<String> MEMORY_BUDGET =
            ConfigOptions.key("memory.budget")
                    .stringType()
                    .defaultValue("auto")
                    .withDescription(
                            "Memory one image may need in the decode step of a slot: decoded"
                                    + " samples, decoder buffers, the record, tiles in flight"
                                    + " (`MEMORY_BUDGET_EXCEEDED` above). Bytes or a size such as"
                                    + " `256m`, `1g`; `auto`: "
                                    + MemoryBudget.AUTO_FRACTION_PERCENT
                                    + "% of the TaskManager's task heap per slot.");

    /** {@link #MEMORY_BUDGET}: {@code auto} (returned as {@link InputLimits#AUTO}) or a size. */
    static long parseMemoryBudget(String value) {
        return parseAutoOrSize(MEMORY_BUDGET, value, InputLimits.AUTO, Long.MAX_VALUE);
    }

    /**
     * {@code auto} (returned as {@code auto}) or a size in bytes: a number, with an optional unit
     * as in Flink's memory options ({@code k}, {@code m}, {@code g}, {@code t}, powers of 1024;
     * {@code kb}, {@code mb}, ... mean the same), at most {@code max}.
     */
    private static long parseAutoOrSize(
            ConfigOption<String> option, String value, long auto, long max) {
        String s = value.trim();
        if (s.equalsIgnoreCase("auto")) {
            return auto;
        }
        long bytes;
        try {
            bytes = MemorySize.parseBytes(s);
        } catch (IllegalArgumentException e) {
            bytes = -1;
        }
        if (bytes < 0 || bytes > max) {
            throw new IllegalArgumentException(
                    "option '"
                            + option.key()
                            + "' must be a size in bytes such as 268435456, 256m or 1g"
                            + (max < Long.MAX_VALUE ? " (at most " + max + " bytes)" : "")
                            + ", or auto, got '"
                            + value
                            + "'");
        }
        return bytes;
    }

    @JobOption(group = LIMITS, min = 1)
    public static final ConfigOption<Integer> MAX_KERNEL_SIZE =
            ConfigOptions.key("max.kernel.size")
                    .intType()
                    .defaultValue(31)
                    .withDescription("Largest number of rows or columns of a filter.");

    @JobOption(group = LIMITS, min = 1)
    public static final ConfigOption<Integer> MAX_FILTERS =
            ConfigOptions.key("max.filters")
                    .intType()
                    .defaultValue(16)
                    .withDescription("Most filters in `filters`.");

    @JobOption(group = LIMITS, min = 1)
    public static final ConfigOption<Long> INCOMPLETE_TIMEOUT_MS =
            ConfigOptions.key("incomplete.timeout.ms")
                    .longType()
                    .defaultValue(300_000L)
                    .withDescription(
                            "How long the merge waits for the rest of an image's tiles before it"
                                    + " dead-letters the image as `INCOMPLETE_IMAGE`.");

    // ---- Parallelism, checkpoints and restarts ----

    @JobOption(group = RUNNING)
    public static final ConfigOption<Integer> PARALLELISM =
            ConfigOptions.key("parallelism")
                    .intType()
                    .defaultValue(-1)
                    .withDescription(
                            "Job parallelism, at least 1; `-1`: the cluster's"
                                    + " `parallelism.default`.");

    @JobOption(group = RUNNING, min = 1)
    public static final ConfigOption<Integer> TILES_SPREAD_MIN =
            ConfigOptions.key("tiles.spread.min")
                    .intType()
                    .defaultValue(Integer.MAX_VALUE)
                    .withDescription(
                            "Images cut into at least this many tiles (summed over the filter-size"
                                    + " groups) have their tiles spread over all convolution"
                                    + " slots; smaller images are convolved in the slot and task"
                                    + " that decoded them, so their tiles never cross the"
                                    + " network, and their maps are written by a sink of that task"
                                    + " (transactional ids `<prefix>-local-maps`). `1`: spread every"
                                    + " image (no local path, and no such sink). The default keeps"
                                    + " every image local: spreading cost more CPU than it gained"
                                    + " for every size measured, 1 to 256 tiles, even from one"
                                    + " partition (docs/performance.md); lower it only where"
                                    + " slots idle for lack of busy partitions and cores are"
                                    + " free.");

    @JobOption(group = RUNNING, min = 1)
    public static final ConfigOption<Long> CHECKPOINT_INTERVAL_MS =
            ConfigOptions.key("checkpoint.interval.ms")
                    .longType()
                    .defaultValue(10_000L)
                    .withDescription(
                            "Interval of the exactly-once checkpoints. Outputs become visible when"
                                    + " a checkpoint completes, so this is also the floor on"
                                    + " end-to-end latency. Unless given, the cluster's"
                                    + " `execution.checkpointing.interval` if it sets one (see"
                                    + " [Flink settings](#checkpoint-and-restart-settings-on-a-cluster)).");

    @JobOption(group = RUNNING, min = 1)
    public static final ConfigOption<Long> CHECKPOINT_TIMEOUT_MS =
            ConfigOptions.key("checkpoint.timeout.ms")
                    .longType()
                    .defaultValue(120_000L)
                    .withDescription(
                            "A checkpoint taking longer is aborted, and the job restarts from the"
                                    + " previous one (no failed checkpoint is tolerated). Unless"
                                    + " given, the cluster's `execution.checkpointing.timeout` if"
                                    + " it sets one.");

    @JobOption(group = RUNNING, shownDefault = "the cluster's `execution.checkpointing.dir`")
    public static final ConfigOption<String> CHECKPOINT_DIR =
            ConfigOptions.key("checkpoint.dir")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Where checkpoints are written (a file system URI).");

    @JobOption(group = RUNNING)
    public static final ConfigOption<CheckpointRetention> CHECKPOINT_RETENTION =
            ConfigOptions.key("checkpoint.retention")
                    .enumType(CheckpointRetention.class)
                    .defaultValue(CheckpointRetention.RETAIN_ON_CANCELLATION)
                    .withDescription(
                            "`RETAIN_ON_CANCELLATION`: the last checkpoint is kept when the job"
                                    + " fails or is cancelled (resume from it exactly once with"
                                    + " `--from-savepoint <checkpoint.dir>/<job id>/chk-<n>`);"
                                    + " `DELETE_ON_CANCELLATION`: kept only when the job fails."
                                    + " Unless given, the cluster's"
                                    + " `execution.checkpointing.externalized-checkpoint-retention`"
                                    + " if it sets one.");

    @JobOption(group = RUNNING, min = 1)
    public static final ConfigOption<Long> TRANSACTION_TIMEOUT_MS =
            ConfigOptions.key("transaction.timeout.ms")
                    .longType()
                    .defaultValue(600_000L)
                    .withDescription(
                            "Kafka transaction timeout of the sinks. At least"
                                    + " `checkpoint.interval.ms` + `checkpoint.timeout.ms` + the"
                                    + " longest restart delay + "
                                    + RECOVERY_ALLOWANCE_MS / 1000
                                    + " s to recover (the effective values, the cluster's where it"
                                    + " sets them), and at most the brokers'"
                                    + " `transaction.max.timeout.ms` (both checked at start).");

    @JobOption(group = RUNNING)
    public static final ConfigOption<RestartStrategy> RESTART_STRATEGY =
            ConfigOptions.key("restart.strategy")
                    .enumType(RestartStrategy.class)
                    .defaultValue(RestartStrategy.EXPONENTIAL_DELAY)
                    .withDescription(
                            "`EXPONENTIAL_DELAY`: delays growing from `restart.delay.ms` to"
                                    + " `restart.max.delay.ms` (doubling, 10% jitter), reset after"
                                    + " `restart.reset.after.ms` without a failure; `FIXED_DELAY`:"
                                    + " `restart.attempts` restarts in all, `restart.delay.ms`"
                                    + " apart. The `restart.*` options are one group: unless one"
                                    + " of them is given, a cluster that sets any"
                                    + " `restart-strategy.*` keeps its own strategy.");

    @JobOption(group = RUNNING, form = "`unlimited` or an int ≥ 0")
    public static final ConfigOption<String> RESTART_ATTEMPTS =
            ConfigOptions.key("restart.attempts")
                    .stringType()
                    .defaultValue("unlimited")
                    .withDescription(
                            "Failures before the job goes to FAILED; with `EXPONENTIAL_DELAY`"
                                    + " counted since the last reset; `0`: the first failure is"
                                    + " final (whatever `restart.strategy`).");

    /** {@link #RESTART_ATTEMPTS}: an int ≥ 0, or {@code Integer.MAX_VALUE} for unlimited. */
    static int parseRestartAttempts(String value) {
        String v = value.trim();
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
                    "option 'restart.attempts' must be 'unlimited' or 0 or more, got '"
                            + value
                            + "'");
        }
        return n;
    }

    @JobOption(group = RUNNING, min = 1)
    public static final ConfigOption<Long> RESTART_DELAY_MS =
            ConfigOptions.key("restart.delay.ms")
                    .longType()
                    .defaultValue(1000L)
                    .withDescription(
                            "The first (`EXPONENTIAL_DELAY`) or every (`FIXED_DELAY`) delay before"
                                    + " a restart.");

    @JobOption(group = RUNNING, min = 1)
    public static final ConfigOption<Long> RESTART_MAX_DELAY_MS =
            ConfigOptions.key("restart.max.delay.ms")
                    .longType()
                    .defaultValue(60_000L)
                    .withDescription(
                            "The longest delay before a restart (`EXPONENTIAL_DELAY`); at least"
                                    + " `restart.delay.ms`.");

    @JobOption(group = RUNNING, min = 1)
    public static final ConfigOption<Long> RESTART_RESET_AFTER_MS =
            ConfigOptions.key("restart.reset.after.ms")
                    .longType()
                    .defaultValue(600_000L)
                    .withDescription(
                            "Running this long without a failure resets the restart delay and the"
                                    + " attempt count (`EXPONENTIAL_DELAY`).");

    /**
     * The restart options, one group: any of them given makes the job set the whole restart
     * strategy; none given leaves it to a cluster that sets {@code restart-strategy.*} ({@link
     * FlinkSettings}).
     */
    static final List<ConfigOption<?>> RESTART_OPTIONS =
            List.of(
                    RESTART_STRATEGY,
                    RESTART_ATTEMPTS,
                    RESTART_DELAY_MS,
                    RESTART_MAX_DELAY_MS,
                    RESTART_RESET_AFTER_MS);

    // ---- Kafka ----

    @JobOption(group = KAFKA, nonEmpty = true)
    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("bootstrap.servers")
                    .stringType()
                    .defaultValue("localhost:9092")
                    .withDescription("Kafka brokers, `host:port,...`.");

    @JobOption(group = KAFKA)
    public static final ConfigOption<StartingOffsets> STARTING_OFFSETS =
            ConfigOptions.key("starting.offsets")
                    .enumType(StartingOffsets.class)
                    .defaultValue(StartingOffsets.COMMITTED)
                    .withDescription(
                            "Where the source starts when the job starts without a checkpoint or"
                                    + " savepoint; `COMMITTED`: the group's committed offsets,"
                                    + " the earliest where a partition has none.");

    @JobOption(group = KAFKA)
    public static final ConfigOption<Boolean> BOUNDED =
            ConfigOptions.key("bounded")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Stop at the offsets that are the latest when the job starts (tests,"
                                    + " backfills).");

    @JobOption(group = KAFKA)
    public static final ConfigOption<Boolean> CHECK_BROKER =
            ConfigOptions.key("check.broker")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Check against the brokers before starting: `transaction.timeout.ms`"
                                    + " against their `transaction.max.timeout.ms`, that the input"
                                    + " topic exists, that the maps and dead-letter topics"
                                    + " accept the largest records the job writes, and (with"
                                    + " `POOLING` transaction names) that the job may list the"
                                    + " producers of its output topics.");

    @JobOption(group = KAFKA)
    public static final ConfigOption<TransactionNaming> SINK_TRANSACTION_NAMING =
            ConfigOptions.key("sink.transaction.naming")
                    .enumType(TransactionNaming.class)
                    .defaultValue(TransactionNaming.POOLING)
                    .withDescription(
                            "How the exactly-once sinks name their Kafka transactions."
                                    + " `POOLING`: each sink subtask reuses a small pool of"
                                    + " transactional ids; `INCREMENTING`: a new id per"
                                    + " checkpoint (the connector's default: the broker keeps"
                                    + " every id for `transactional.id.expiration.ms`, 7 days by"
                                    + " default, so at a 1 s interval a sink subtask leaves about"
                                    + " 600,000 ids behind). `POOLING` lists the open"
                                    + " transactions of its output topics on recovery, which"
                                    + " needs `Read` on them (see docs/reliability.md#acls).");

    @JobOption(group = KAFKA)
    public static final ConfigOption<String> KAFKA_PROPERTIES =
            ConfigOptions.key(KAFKA_PREFIX + "*")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Passed to every Kafka client of the job without the prefix, e.g."
                                    + " `kafka.security.protocol=SASL_SSL`,"
                                    + " `kafka.sasl.jaas.config=...`; secret values are never"
                                    + " printed. Settings exactly-once depends on cannot be"
                                    + " passed: "
                                    + KafkaPassThrough.protectedSettingsText()
                                    + ".");

    // ---- Wire format and schema registry ----

    @JobOption(group = WIRE)
    public static final ConfigOption<WireFormatName> WIRE_FORMAT =
            ConfigOptions.key("wire.format")
                    .enumType(WireFormatName.class)
                    .defaultValue(WireFormatName.SINGLE_OBJECT)
                    .withDescription(
                            "How record values are framed on every topic (`single-object` or"
                                    + " `registry`, any case): `SINGLE_OBJECT`: Avro"
                                    + " single-object encoding (`C3 01` + schema fingerprint), no"
                                    + " registry; `REGISTRY`: the schema-registry framing (`00` +"
                                    + " 4-byte schema id) that Confluent, Apicurio, Karapace and"
                                    + " Redpanda serializers write, with the registry at"
                                    + " `registry.url`. The job registers its output schemas"
                                    + " under `<topic>-value` at start. `wire.format.<topic>`"
                                    + " chooses per topic.");

    @JobOption(group = WIRE, shownDefault = "`wire.format`")
    public static final ConfigOption<WireFormatName> WIRE_FORMAT_IMAGES =
            ConfigOptions.key("wire.format.images")
                    .enumType(WireFormatName.class)
                    .noDefaultValue()
                    .withDescription("Wire format of the input topic (`topic.images`).");

    @JobOption(group = WIRE, shownDefault = "`wire.format`")
    public static final ConfigOption<WireFormatName> WIRE_FORMAT_MAPS =
            ConfigOptions.key("wire.format.maps")
                    .enumType(WireFormatName.class)
                    .noDefaultValue()
                    .withDescription("Wire format of the maps topic (`topic.maps`).");

    @JobOption(group = WIRE, shownDefault = "`wire.format`")
    public static final ConfigOption<WireFormatName> WIRE_FORMAT_STATS =
            ConfigOptions.key("wire.format.stats")
                    .enumType(WireFormatName.class)
                    .noDefaultValue()
                    .withDescription("Wire format of the statistics topic (`topic.stats`).");

    @JobOption(group = WIRE, shownDefault = "`wire.format`")
    public static final ConfigOption<WireFormatName> WIRE_FORMAT_DLQ =
            ConfigOptions.key("wire.format.dlq")
                    .enumType(WireFormatName.class)
                    .noDefaultValue()
                    .withDescription("Wire format of the dead-letter topic (`topic.dlq`).");

    @JobOption(group = WIRE)
    public static final ConfigOption<String> REGISTRY_URL =
            ConfigOptions.key("registry.url")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The schema registry's Confluent-compatible API, e.g."
                                    + " `http://registry:8081` (Confluent, Karapace, Redpanda) or"
                                    + " `http://registry:8080/apis/ccompat/v7` (Apicurio); no"
                                    + " credentials in it. Required when any topic uses"
                                    + " `REGISTRY`.");

    @JobOption(group = WIRE)
    public static final ConfigOption<String> REGISTRY_BASIC_AUTH =
            ConfigOptions.key("registry.basic.auth")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "HTTP basic-auth credentials for the registry, `user:password`;"
                                    + " a secret, never printed.");

    @JobOption(group = WIRE)
    public static final ConfigOption<String> REGISTRY_BEARER_TOKEN =
            ConfigOptions.key("registry.bearer.token")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Bearer token for the registry (instead of `registry.basic.auth`);"
                                    + " a secret, never printed.");

    @JobOption(group = WIRE, min = 1)
    public static final ConfigOption<Long> REGISTRY_TIMEOUT_MS =
            ConfigOptions.key("registry.timeout.ms")
                    .longType()
                    .defaultValue(10_000L)
                    .withDescription(
                            "How long one registry request may take to connect and to answer;"
                                    + " past it the registry counts as unreachable (a start-up"
                                    + " error, or a task failure and restart while running).");

    // ---- Value types ----

    /** How the sinks name their transactions ({@link #SINK_TRANSACTION_NAMING}). */
    public enum TransactionNaming {
        POOLING(TransactionNamingStrategy.POOLING),
        INCREMENTING(TransactionNamingStrategy.INCREMENTING);

        private final TransactionNamingStrategy strategy;

        TransactionNaming(TransactionNamingStrategy strategy) {
            this.strategy = strategy;
        }

        /** The connector's strategy. */
        public TransactionNamingStrategy strategy() {
            return strategy;
        }
    }

    /** How a topic's record values are framed ({@link #WIRE_FORMAT}). */
    public enum WireFormatName {
        /** Avro single-object encoding: {@code C3 01}, 8-byte schema fingerprint, body. */
        SINGLE_OBJECT,
        /** Schema-registry framing: {@code 00}, 4-byte schema id, body. */
        REGISTRY
    }

    /** How the job restarts after a failure ({@link #RESTART_STRATEGY}). */
    public enum RestartStrategy {
        EXPONENTIAL_DELAY,
        FIXED_DELAY
    }

    /** What happens to the last checkpoint when the job ends without a savepoint. */
    public enum CheckpointRetention {
        RETAIN_ON_CANCELLATION,
        DELETE_ON_CANCELLATION
    }

    /** Where the source starts without a checkpoint or savepoint ({@link #STARTING_OFFSETS}). */
    public enum StartingOffsets {
        EARLIEST,
        LATEST,
        COMMITTED
    }

    // ---- The configuration ----

    /** The options given, by key, in their declared types (defaults are not stored). */
    private final Map<String, Object> values;

    /** The {@code kafka.*} options given, with the prefix. */
    private final Map<String, String> kafka;

    private final ProcessingSpec processing;

    private EdgeJobOptions(Map<String, String> given) {
        Map<String, Object> typed = new HashMap<>();
        Map<String, String> kafkaOptions = new TreeMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(given).entrySet()) {
            String name = e.getKey();
            if (KafkaPassThrough.isKafkaOption(name)) {
                kafkaOptions.put(name, e.getValue());
                continue;
            }
            DeclaredOptions.Declared d = DeclaredOptions.get(name);
            if (d == null) {
                throw new IllegalArgumentException(
                        "unknown option '"
                                + name
                                + "'; known options: "
                                + String.join(", ", DeclaredOptions.knownNames()));
            }
            typed.put(name, d.parse(e.getValue()));
        }
        this.values = typed;
        this.kafka = kafkaOptions;
        validate();
        this.processing = buildProcessingSpec();
        checkTileRecordSize();
    }

    /** Default options, overridden by {@code overrides} (same names as the flags). */
    public static EdgeJobOptions of(Map<String, String> overrides) {
        return new EdgeJobOptions(overrides);
    }

    /**
     * Parses {@code --name value} or {@code --name=value} flags; {@code --config file} loads a
     * properties file first and the other flags override it. A boolean option given alone ({@code
     * --bounded}) means {@code true}.
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
                                + ": options are given as --name value or --name=value (see"
                                + " docs/options.md)");
            }
            String name = a.substring(2);
            int eq = name.indexOf('=');
            if (eq > 0) {
                flags.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                flags.put(name, args[++i]);
            } else if (takesValue(name)) {
                throw new IllegalArgumentException(
                        "option '" + name + "' needs a value: --" + name + " VALUE");
            } else {
                flags.put(name, "true");
            }
        }
        Map<String, String> merged = new LinkedHashMap<>();
        String config = flags.remove(CONFIG);
        if (config != null) {
            merged.putAll(loadProperties(Path.of(config)));
        }
        merged.putAll(flags);
        return new EdgeJobOptions(merged);
    }

    /** False for a boolean option (alone it means true) and for names that are no option. */
    private static boolean takesValue(String name) {
        if (name.equals(CONFIG)) {
            return true;
        }
        DeclaredOptions.Declared d = DeclaredOptions.get(name);
        return d != null && d.type() != Boolean.class;
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

    /** The rules between options and those of options with a special form. */
    private void validate() {
        List<String> topics = List.of(imagesTopic(), mapsTopic(), statsTopic(), dlqTopic());
        if (Set.copyOf(topics).size() != topics.size()) {
            throw new IllegalArgumentException(
                    "the four topics must differ, got images="
                            + imagesTopic()
                            + " maps="
                            + mapsTopic()
                            + " stats="
                            + statsTopic()
                            + " dlq="
                            + dlqTopic());
        }
        int p = parallelism();
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
        inputLimits();
        registryConfig();
        KafkaPassThrough.checkProtectedSettings(kafka);
        // transaction.timeout.ms is checked against the effective checkpoint and restart
        // settings, which may be the cluster's: FlinkSettings.resolve.
    }

    private ProcessingSpec buildProcessingSpec() {
        int[] tile = parseTileSize(get(TILE_SIZE));
        ProcessingSpec spec =
                new ProcessingSpec(
                        get(FILTERS),
                        get(PADDING),
                        get(BORDER),
                        get(BORDER_CONSTANT),
                        get(STRIDE),
                        get(COLOR_MODE),
                        parseGreyWeights(get(GREY_WEIGHTS)),
                        tile[0],
                        tile[1],
                        parseEdgeThreshold(get(EDGE_THRESHOLD)),
                        get(HISTOGRAM_BINS),
                        get(MAX_PIXELS),
                        get(MAX_DIMENSION),
                        get(MAX_KERNEL_SIZE),
                        get(MAX_FILTERS),
                        get(TILES_SPREAD_MIN),
                        inputLimits(),
                        parseMapEncoding(get(MAP_ENCODING)));
        // Fail at start-up, not in the first task: parse the filters and check the limits now.
        spec.validate();
        return spec;
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

    // ---- typed accessors ----

    /** The value of {@code option}: as given, else its default (null for none). */
    @SuppressWarnings("unchecked")
    public <T> T get(ConfigOption<T> option) {
        Object v = values.get(option.key());
        if (v == null && DeclaredOptions.get(option.key()) == null) {
            throw new IllegalArgumentException("no option named '" + option.key() + "'");
        }
        return v != null ? (T) v : option.hasDefaultValue() ? option.defaultValue() : null;
    }

    /**
     * True if {@code option} was given (flag or {@code --config} file), false if it has its
     * default: an option given wins over the cluster's configuration ({@link FlinkSettings}).
     */
    public boolean isGiven(ConfigOption<?> option) {
        return values.containsKey(option.key());
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
        return p == null || p.isBlank() ? jobName() : p;
    }

    public int parallelism() {
        return get(PARALLELISM);
    }

    /**
     * Images with at least this many tiles are spread over all convolution slots; smaller ones are
     * convolved in the task that decoded them (1: every image is spread).
     */
    public int tilesSpreadMin() {
        return get(TILES_SPREAD_MIN);
    }

    public long checkpointIntervalMs() {
        return get(CHECKPOINT_INTERVAL_MS);
    }

    /** A checkpoint that takes longer is aborted and the job restarts from the previous one. */
    public long checkpointTimeoutMs() {
        return get(CHECKPOINT_TIMEOUT_MS);
    }

    /**
     * Where checkpoints are written, or null for the cluster's {@code execution.checkpointing.dir}.
     */
    public String checkpointDir() {
        String d = get(CHECKPOINT_DIR);
        return d == null || d.isBlank() ? null : d.trim();
    }

    public CheckpointRetention checkpointRetention() {
        return get(CHECKPOINT_RETENTION);
    }

    public long incompleteTimeoutMs() {
        return get(INCOMPLETE_TIMEOUT_MS);
    }

    public TransactionNaming transactionNaming() {
        return get(SINK_TRANSACTION_NAMING);
    }

    public long transactionTimeoutMs() {
        return get(TRANSACTION_TIMEOUT_MS);
    }

    public RestartStrategy restartStrategy() {
        return get(RESTART_STRATEGY);
    }

    /**
     * Failures tolerated before the job goes to FAILED ({@code Integer.MAX_VALUE} for {@code
     * unlimited}); with EXPONENTIAL_DELAY counted since the last reset.
     */
    public int restartAttempts() {
        return parseRestartAttempts(get(RESTART_ATTEMPTS));
    }

    /** The first delay (EXPONENTIAL_DELAY) or every delay (FIXED_DELAY) before a restart. */
    public long restartDelayMs() {
        return get(RESTART_DELAY_MS);
    }

    /** The longest delay before a restart (EXPONENTIAL_DELAY). */
    public long restartMaxDelayMs() {
        return get(RESTART_MAX_DELAY_MS);
    }

    /** Running this long without a failure resets the delay and the attempt count. */
    public long restartResetAfterMs() {
        return get(RESTART_RESET_AFTER_MS);
    }

    /** The limits every input record is checked against before any output is made. */
    public InputLimits inputLimits() {
        int maxRecord = get(MAX_RECORD_BYTES);
        long dlq = parseDlqMaxPayloadBytes(get(DLQ_MAX_PAYLOAD_BYTES));
        return new InputLimits(
                maxRecord,
                get(MAX_KEY_BYTES),
                get(MAX_ID_BYTES),
                get(MAX_ATTRIBUTES_BYTES),
                dlq < 0 ? maxRecord : (int) dlq,
                parseMemoryBudget(get(MEMORY_BUDGET)));
    }

    /** The encoding of each filter's maps ({@link #MAP_ENCODING}), checked against the filters. */
    public MapEncodings mapEncodings() {
        return processing.mapEncodings;
    }

    /**
     * The largest map tile's samples in bytes: tile size times the map channels (PER_CHANNEL keeps
     * the input's channels, at most 4; other modes give one) times 4 bytes.
     */
    public long maxMapTileBytes() {
        int channels = processing.colorMode == ColorMode.PER_CHANNEL ? 4 : 1;
        return (long) processing.tileWidth * processing.tileHeight * channels * 4;
    }

    public StartingOffsets startingOffsets() {
        return get(STARTING_OFFSETS);
    }

    public boolean bounded() {
        return get(BOUNDED);
    }

    public boolean checkBroker() {
        return get(CHECK_BROKER);
    }

    /** Everything the operators need to decode, tile, convolve and summarise an image. */
    public ProcessingSpec processing() {
        return processing;
    }

    /** The wire format of {@code topicOption}'s topic: its own option, else {@code wire.format}. */
    private WireFormatName wireFormat(ConfigOption<WireFormatName> topicOption) {
        WireFormatName own = get(topicOption);
        return own != null ? own : get(WIRE_FORMAT);
    }

    /** The topic's framing; hints about a mismatch name its own option. */
    private TopicWire topicWire(ConfigOption<WireFormatName> topicOption, String topic) {
        return wireFormat(topicOption) == WireFormatName.REGISTRY
                ? TopicWire.registry(topic, topicOption.key(), registryConfig())
                : TopicWire.singleObject(topic, topicOption.key());
    }

    /** How the input topic's values are framed. */
    public TopicWire imagesWire() {
        return topicWire(WIRE_FORMAT_IMAGES, imagesTopic());
    }

    /** How the maps topic's values are framed. */
    public TopicWire mapsWire() {
        return topicWire(WIRE_FORMAT_MAPS, mapsTopic());
    }

    /** How the statistics topic's values are framed. */
    public TopicWire statsWire() {
        return topicWire(WIRE_FORMAT_STATS, statsTopic());
    }

    /** How the dead-letter topic's values are framed. */
    public TopicWire dlqWire() {
        return topicWire(WIRE_FORMAT_DLQ, dlqTopic());
    }

    /** True if any topic uses the schema-registry framing. */
    public boolean usesRegistry() {
        return List.of(WIRE_FORMAT_IMAGES, WIRE_FORMAT_MAPS, WIRE_FORMAT_STATS, WIRE_FORMAT_DLQ)
                .stream()
                .anyMatch(t -> wireFormat(t) == WireFormatName.REGISTRY);
    }

    /**
     * The registry settings ({@code registry.url}, credentials, timeout), or null if no topic uses
     * the registry framing.
     *
     * @throws IllegalArgumentException if a topic uses it without {@code registry.url}, or with
     *     both kinds of credentials or malformed ones (the message never shows their value)
     */
    public RegistryConfig registryConfig() {
        if (!usesRegistry()) {
            return null;
        }
        String url = get(REGISTRY_URL);
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(
                    "a topic uses the schema-registry wire format (wire.format"
                            + " or wire.format.<topic> = registry) but option '"
                            + REGISTRY_URL.key()
                            + "' is not set; give the registry's Confluent-compatible API, e.g."
                            + " --registry.url http://registry:8081 (Apicurio:"
                            + " http://registry:8080/apis/ccompat/v7)");
        }
        String basic = get(REGISTRY_BASIC_AUTH);
        String bearer = get(REGISTRY_BEARER_TOKEN);
        boolean hasBasic = basic != null && !basic.isBlank();
        boolean hasBearer = bearer != null && !bearer.isBlank();
        if (hasBasic && hasBearer) {
            throw new IllegalArgumentException(
                    "options '"
                            + REGISTRY_BASIC_AUTH.key()
                            + "' and '"
                            + REGISTRY_BEARER_TOKEN.key()
                            + "' are both set; give one kind of registry credentials");
        }
        // RegistryConfig's messages never repeat credentials or a URL carrying them.
        RegistryConfig c;
        try {
            c = RegistryConfig.of(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "option '" + REGISTRY_URL.key() + "': " + e.getMessage());
        }
        try {
            if (hasBasic) {
                c = c.withBasicAuth(basic.trim());
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "option '" + REGISTRY_BASIC_AUTH.key() + "': " + e.getMessage());
        }
        if (hasBearer) {
            c = c.withBearerToken(bearer);
        }
        Duration t = Duration.ofMillis(get(REGISTRY_TIMEOUT_MS));
        return c.withTimeouts(t, t);
    }

    /** The {@code kafka.*} options without the prefix, for every Kafka client. */
    public Properties kafkaProperties() {
        return KafkaPassThrough.clientProperties(kafka);
    }

    /** True if the value of {@code key} must never be printed (one rule: {@link Secrets}). */
    public static boolean isSecret(String key) {
        return Secrets.isSecret(key);
    }

    /** The effective configuration, one {@code name = value} per line, secrets masked. */
    public String describe() {
        Map<String, String> all = new TreeMap<>();
        for (DeclaredOptions.Declared d : DeclaredOptions.all()) {
            if (d.isPrefix()) {
                continue;
            }
            Object v = get(d.option());
            String shown = d.info().shownDefault().replace("`", "");
            String unset = "(" + (shown.isEmpty() ? "none" : shown) + ")";
            all.put(d.key(), v != null ? Secrets.printable(d.key(), d.printable(v)) : unset);
        }
        all.put(TRANSACTIONAL_ID_PREFIX.key(), transactionalIdPrefix());
        kafka.forEach((k, v) -> all.put(k, Secrets.printable(k, v)));
        StringBuilder sb = new StringBuilder("edge job configuration:");
        all.forEach((k, v) -> sb.append("\n  ").append(k).append(" = ").append(v));
        return sb.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
