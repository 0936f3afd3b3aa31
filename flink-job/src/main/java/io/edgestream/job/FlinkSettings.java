package io.edgestream.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;

/**
 * The Flink settings the job applies, resolved against the configuration of the cluster it is
 * submitted to (what the job's {@code main} sees as its execution environment's configuration: the
 * cluster's {@code config.yaml}, a Flink Kubernetes Operator's {@code flinkConfiguration}, {@code
 * -D} flags of {@code flink run}).
 *
 * <p>Checkpoint interval, checkpoint timeout, checkpoint retention and the restart strategy follow
 * one rule: an option given to the job (flag or {@code --config} file) wins; otherwise a value the
 * cluster sets is left alone; otherwise the job's documented default applies. The restart options
 * are one group: any {@code restart.*} option given makes the job set the whole strategy from its
 * options; any {@code restart-strategy.*} key of the cluster leaves the whole strategy to the
 * cluster. Exactly-once needs checkpoints, so when nothing enables them the job's default interval
 * does (and the start-up log says so).
 *
 * <p>A few settings are always the job's, because its guarantee or its code depends on them:
 * exactly-once checkpoints, no tolerated checkpoint failure (the transaction-timeout rule counts on
 * a transaction spanning at most one checkpoint attempt), no Kryo fallback, object reuse, the job
 * name. The job logs a warning when that overrides a different cluster value.
 *
 * <p>Nothing else is touched: state backend, checkpoint storage, minimum pause, unaligned
 * checkpoints and the like stay the cluster's.
 */
public final class FlinkSettings {

    /** Where a setting's value comes from. */
    public enum Source {
        /** Given to the job on its command line or in its {@code --config} file. */
        OPTION,
        /** Set by the cluster, left alone by the job. */
        CLUSTER,
        /** Neither: the job's default. */
        DEFAULT,
        /** Always the job's: its guarantee or its code depends on it. */
        JOB
    }

    /** One resolved setting, for the start-up log. */
    public record Line(String key, String value, Source source, String note) {
        @Override
        public String toString() {
            return key
                    + " = "
                    + value
                    + " ("
                    + source.name().toLowerCase(Locale.ROOT)
                    + (note.isEmpty() ? "" : ": " + note)
                    + ")";
        }
    }

    private final Configuration applied = new Configuration();
    private final List<Line> lines = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private long intervalMs;
    private long timeoutMs;
    private long longestRestartDelayMs;
    private String restartSource;

    private FlinkSettings() {}

    /**
     * The settings of {@code o} on a cluster configured as {@code cluster}.
     *
     * @throws IllegalArgumentException if {@code transaction.timeout.ms} is too short for the
     *     effective checkpoint and restart settings
     */
    public static FlinkSettings resolve(EdgeJobOptions o, ReadableConfig cluster) {
        FlinkSettings s = new FlinkSettings();
        s.resolveFixed(o, cluster);
        s.resolveCheckpoints(o, cluster);
        s.resolveRestarts(o, cluster);
        s.checkTransactionTimeout(o);
        return s;
    }

    /** What the job sets on top of the cluster's configuration. */
    public Configuration applied() {
        return new Configuration(applied);
    }

    /** Each resolved setting with its source, in the order of the start-up log. */
    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** Cluster values the job overrides because exactly-once depends on its own. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** The effective checkpoint interval: the floor on end-to-end latency. */
    public long checkpointIntervalMs() {
        return intervalMs;
    }

    /** The effective checkpoint timeout. */
    public long checkpointTimeoutMs() {
        return timeoutMs;
    }

    /** The longest delay before a restart under the effective restart strategy. */
    public long longestRestartDelayMs() {
        return longestRestartDelayMs;
    }

    /**
     * The shortest transaction timeout with which no transaction can time out before it is
     * committed: checkpoint interval + checkpoint timeout + longest restart delay + {@link
     * EdgeJobOptions#RECOVERY_ALLOWANCE_MS}, all effective values.
     */
    public long minTransactionTimeoutMs() {
        return intervalMs
                + timeoutMs
                + longestRestartDelayMs
                + EdgeJobOptions.RECOVERY_ALLOWANCE_MS;
    }

    /** The start-up log: one line per setting, where it came from. */
    public String describe() {
        StringBuilder sb = new StringBuilder("Flink settings (option > cluster > job default):");
        lines.forEach(l -> sb.append("\n  ").append(l));
        return sb.toString();
    }

    private void resolveFixed(EdgeJobOptions o, ReadableConfig cluster) {
        applied.set(PipelineOptions.NAME, o.jobName());
        applied.set(PipelineOptions.GENERIC_TYPES, false);
        // Every function emits fresh records and never keeps or changes one after emitting it, and
        // the sinks serialize inside collect(): chained operators may share records instead of
        // copying them (a float map tile copied per hop cost ~10% of the convolution task).
        applied.set(PipelineOptions.OBJECT_REUSE, true);
        pin(
                cluster,
                CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                CheckpointingMode.EXACTLY_ONCE,
                "the outputs are exactly once only with aligned exactly-once checkpoints");
        // No checkpoint failure is tolerated, so no transaction spans more than one checkpoint
        // attempt: the transaction-timeout rule below counts on it.
        pin(
                cluster,
                CheckpointingOptions.TOLERABLE_FAILURE_NUMBER,
                0,
                "transaction.timeout.ms is checked for one checkpoint attempt per transaction");
    }

    private <T> void pin(ReadableConfig cluster, ConfigOption<T> key, T value, String why) {
        cluster.getOptional(key)
                .filter(v -> !v.equals(value))
                .ifPresent(
                        v ->
                                warnings.add(
                                        "the cluster sets "
                                                + key.key()
                                                + " = "
                                                + v
                                                + ", the job sets "
                                                + value
                                                + ": "
                                                + why));
        applied.set(key, value);
        lines.add(new Line(key.key(), String.valueOf(value), Source.JOB, why));
    }

    private void resolveCheckpoints(EdgeJobOptions o, ReadableConfig cluster) {
        ConfigOption<Duration> interval = CheckpointingOptions.CHECKPOINTING_INTERVAL;
        Duration clusterInterval = cluster.getOptional(interval).orElse(null);
        if (o.isGiven(EdgeJobOptions.CHECKPOINT_INTERVAL_MS)) {
            intervalMs = o.checkpointIntervalMs();
            set(interval, Duration.ofMillis(intervalMs), Source.OPTION, "");
        } else if (clusterInterval != null && clusterInterval.toMillis() > 0) {
            intervalMs = clusterInterval.toMillis();
            keep(interval, clusterInterval);
        } else {
            intervalMs = o.checkpointIntervalMs();
            set(
                    interval,
                    Duration.ofMillis(intervalMs),
                    Source.DEFAULT,
                    "exactly-once needs checkpoints and nothing else enables them");
        }

        // Set even by default (Flink's own is 10 min), because the transaction timeout is checked
        // against it: a checkpoint that takes longer is aborted and the job restarts.
        ConfigOption<Duration> timeout = CheckpointingOptions.CHECKPOINTING_TIMEOUT;
        Duration clusterTimeout = cluster.getOptional(timeout).orElse(null);
        if (clusterTimeout != null && !o.isGiven(EdgeJobOptions.CHECKPOINT_TIMEOUT_MS)) {
            timeoutMs = clusterTimeout.toMillis();
            keep(timeout, clusterTimeout);
        } else {
            timeoutMs = o.checkpointTimeoutMs();
            set(
                    timeout,
                    Duration.ofMillis(timeoutMs),
                    source(o, EdgeJobOptions.CHECKPOINT_TIMEOUT_MS),
                    "");
        }

        // A retained checkpoint is the exactly-once way back after the job failed or was cancelled.
        ConfigOption<ExternalizedCheckpointRetention> retention =
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION;
        ExternalizedCheckpointRetention clusterRetention =
                cluster.getOptional(retention).orElse(null);
        if (clusterRetention != null && !o.isGiven(EdgeJobOptions.CHECKPOINT_RETENTION)) {
            keep(retention, clusterRetention);
        } else {
            set(
                    retention,
                    o.checkpointRetention()
                                    == EdgeJobOptions.CheckpointRetention.RETAIN_ON_CANCELLATION
                            ? ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION
                            : ExternalizedCheckpointRetention.DELETE_ON_CANCELLATION,
                    source(o, EdgeJobOptions.CHECKPOINT_RETENTION),
                    "");
        }

        // No default of its own: without the option, the cluster's directory (or none).
        if (o.checkpointDir() != null) {
            set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, o.checkpointDir(), Source.OPTION, "");
        }
    }

    private void resolveRestarts(EdgeJobOptions o, ReadableConfig cluster) {
        boolean given = EdgeJobOptions.RESTART_OPTIONS.stream().anyMatch(o::isGiven);
        boolean clusterSets =
                cluster.toMap().keySet().stream().anyMatch(k -> k.startsWith("restart-strategy"));
        if (!given && clusterSets) {
            restartSource = "the cluster's restart-strategy.*";
            String type =
                    cluster.getOptional(RestartStrategyOptions.RESTART_STRATEGY)
                            .orElse("exponential-delay")
                            .toLowerCase(Locale.ROOT)
                            .replace("-", "");
            longestRestartDelayMs =
                    switch (type) {
                        case "none", "off", "disable" -> 0;
                        case "fixeddelay" ->
                                cluster.get(
                                                RestartStrategyOptions
                                                        .RESTART_STRATEGY_FIXED_DELAY_DELAY)
                                        .toMillis();
                        case "failurerate" ->
                                cluster.get(
                                                RestartStrategyOptions
                                                        .RESTART_STRATEGY_FAILURE_RATE_DELAY)
                                        .toMillis();
                        default ->
                                cluster.get(
                                                RestartStrategyOptions
                                                        .RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF)
                                        .toMillis();
                    };
            lines.add(
                    new Line(
                            RestartStrategyOptions.RESTART_STRATEGY.key(),
                            cluster.getOptional(RestartStrategyOptions.RESTART_STRATEGY)
                                    .orElse("(Flink's default: exponential-delay)"),
                            Source.CLUSTER,
                            "and the cluster's other restart-strategy.* settings"));
            return;
        }
        Source source = given ? Source.OPTION : Source.DEFAULT;
        restartSource = given ? "the restart.* options" : "the job's default restart.* options";
        if (o.restartAttempts() == 0) {
            // No restart at all: Flink's exponential-delay strategy needs at least one attempt.
            longestRestartDelayMs = 0;
            set(RestartStrategyOptions.RESTART_STRATEGY, "none", source, "restart.attempts 0");
            return;
        }
        switch (o.restartStrategy()) {
            case EXPONENTIAL_DELAY -> {
                // Transient faults (a broker restart, a lost TaskManager) must never add up to
                // FAILED over days: the delay and the attempt count reset after stable running.
                longestRestartDelayMs = o.restartMaxDelayMs();
                set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay", source, "");
                set(
                        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                        Duration.ofMillis(o.restartDelayMs()),
                        source,
                        "");
                set(
                        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                        Duration.ofMillis(o.restartMaxDelayMs()),
                        source,
                        "");
                applied.set(
                        RestartStrategyOptions
                                .RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER,
                        2.0);
                applied.set(
                        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR,
                        0.1);
                set(
                        RestartStrategyOptions
                                .RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
                        Duration.ofMillis(o.restartResetAfterMs()),
                        source,
                        "");
                set(
                        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS,
                        o.restartAttempts(),
                        source,
                        "");
            }
            case FIXED_DELAY -> {
                longestRestartDelayMs = o.restartDelayMs();
                set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay", source, "");
                set(
                        RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
                        o.restartAttempts(),
                        source,
                        "");
                set(
                        RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                        Duration.ofMillis(o.restartDelayMs()),
                        source,
                        "");
            }
        }
    }

    private void checkTransactionTimeout(EdgeJobOptions o) {
        long needed = minTransactionTimeoutMs();
        if (o.transactionTimeoutMs() < needed) {
            throw new IllegalArgumentException(
                    "option 'transaction.timeout.ms' ("
                            + o.transactionTimeoutMs()
                            + ") is too short for exactly-once: a transaction opened after one"
                            + " checkpoint is committed after the next one completes, or after a"
                            + " restart from it, so it must outlive the checkpoint interval ("
                            + intervalMs
                            + ", "
                            + sourceOf(CheckpointingOptions.CHECKPOINTING_INTERVAL)
                            + ") + the checkpoint timeout ("
                            + timeoutMs
                            + ", "
                            + sourceOf(CheckpointingOptions.CHECKPOINTING_TIMEOUT)
                            + ") + the longest restart delay ("
                            + longestRestartDelayMs
                            + ", from "
                            + restartSource
                            + ") + "
                            + EdgeJobOptions.RECOVERY_ALLOWANCE_MS
                            + " ms to recover = "
                            + needed
                            + " ms; otherwise Kafka aborts it before it is committed and its"
                            + " records are lost. Raise transaction.timeout.ms (at most the"
                            + " brokers' transaction.max.timeout.ms, 900000 by default) or lower"
                            + " the others");
        }
    }

    /** "checkpoint.interval.ms", "the cluster's execution.checkpointing.interval", ... */
    private String sourceOf(ConfigOption<?> key) {
        Line l = lines.stream().filter(x -> x.key().equals(key.key())).findFirst().orElseThrow();
        return switch (l.source()) {
            case CLUSTER -> "the cluster's " + key.key();
            case OPTION -> "option " + optionFor(key);
            default -> "the default of " + optionFor(key);
        };
    }

    private static String optionFor(ConfigOption<?> key) {
        return key.equals(CheckpointingOptions.CHECKPOINTING_INTERVAL)
                ? EdgeJobOptions.CHECKPOINT_INTERVAL_MS.key()
                : EdgeJobOptions.CHECKPOINT_TIMEOUT_MS.key();
    }

    private static Source source(EdgeJobOptions o, ConfigOption<?> option) {
        return o.isGiven(option) ? Source.OPTION : Source.DEFAULT;
    }

    private <T> void set(ConfigOption<T> key, T value, Source source, String note) {
        applied.set(key, value);
        lines.add(new Line(key.key(), printable(value), source, note));
    }

    private <T> void keep(ConfigOption<T> key, T clusterValue) {
        lines.add(new Line(key.key(), printable(clusterValue), Source.CLUSTER, ""));
    }

    private static String printable(Object v) {
        if (v instanceof Duration d) {
            return d.toMillis() + " ms";
        }
        return v instanceof Integer i && i == Integer.MAX_VALUE ? "unlimited" : String.valueOf(v);
    }
}
