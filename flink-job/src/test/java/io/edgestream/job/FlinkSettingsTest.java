package io.edgestream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.job.FlinkSettings.Source;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.junit.jupiter.api.Test;

/**
 * Which checkpoint and restart settings the job applies on a cluster: an option given wins, a
 * setting of the cluster is left alone, the job's default fills the rest. The same resolution on
 * the job graph Flink builds in application mode: {@code EdgeJobGraphTest}.
 */
class FlinkSettingsTest {

    /** What a Flink Kubernetes Operator's flinkConfiguration or a config.yaml typically sets. */
    static Configuration operatorCluster() {
        return Configuration.fromMap(
                Map.of(
                        "execution.checkpointing.interval", "30 s",
                        "execution.checkpointing.timeout", "5 min",
                        "execution.checkpointing.externalized-checkpoint-retention",
                                "DELETE_ON_CANCELLATION",
                        "restart-strategy.type", "fixed-delay",
                        "restart-strategy.fixed-delay.attempts", "5",
                        "restart-strategy.fixed-delay.delay", "2 s"));
    }

    private static Source sourceOf(FlinkSettings s, String key) {
        return s.lines().stream()
                .filter(l -> l.key().equals(key))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + key + " in " + s.lines()))
                .source();
    }

    @Test
    void shouldLeaveTheClustersSettingsAloneWhenNoOptionIsGiven() {
        FlinkSettings s = FlinkSettings.resolve(EdgeJobOptions.of(Map.of()), operatorCluster());
        Configuration applied = s.applied();
        assertThat(applied.contains(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isFalse();
        assertThat(applied.contains(CheckpointingOptions.CHECKPOINTING_TIMEOUT)).isFalse();
        assertThat(applied.contains(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                .isFalse();
        assertThat(applied.toMap().keySet()).noneMatch(k -> k.startsWith("restart-strategy"));
        assertThat(sourceOf(s, "execution.checkpointing.interval")).isEqualTo(Source.CLUSTER);
        assertThat(sourceOf(s, "execution.checkpointing.timeout")).isEqualTo(Source.CLUSTER);
        assertThat(sourceOf(s, "restart-strategy.type")).isEqualTo(Source.CLUSTER);
        // The effective values are the cluster's, and the transaction timeout is checked on them:
        // 30 s + 5 min + 2 s fixed delay + 60 s.
        assertThat(s.checkpointIntervalMs()).isEqualTo(30_000);
        assertThat(s.checkpointTimeoutMs()).isEqualTo(300_000);
        assertThat(s.longestRestartDelayMs()).isEqualTo(2_000);
        assertThat(s.minTransactionTimeoutMs()).isEqualTo(392_000);
        assertThat(s.describe())
                .contains("execution.checkpointing.interval = 30000 ms (cluster)")
                .contains("restart-strategy.type = fixed-delay (cluster: ");
        // What exactly-once depends on is always set.
        assertThat(applied.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE))
                .isEqualTo(CheckpointingMode.EXACTLY_ONCE);
        assertThat(applied.get(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER)).isZero();
        assertThat(s.warnings()).isEmpty();
    }

    @Test
    void shouldLetOptionsGivenToTheJobWinOverTheCluster() {
        FlinkSettings s =
                FlinkSettings.resolve(
                        EdgeJobOptions.of(
                                Map.of(
                                        "checkpoint.interval.ms", "2000",
                                        "checkpoint.timeout.ms", "60000",
                                        "checkpoint.retention", "RETAIN_ON_CANCELLATION",
                                        "restart.attempts", "3")),
                        operatorCluster());
        Configuration applied = s.applied();
        assertThat(applied.get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(applied.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT))
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(applied.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        // One restart option given: the whole strategy is the job's (its default strategy with
        // the attempts given), not a mix with the cluster's fixed-delay.
        assertThat(applied.get(RestartStrategyOptions.RESTART_STRATEGY))
                .isEqualTo("exponential-delay");
        assertThat(applied.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
                .isEqualTo(3);
        assertThat(
                        applied.get(
                                RestartStrategyOptions
                                        .RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(sourceOf(s, "execution.checkpointing.interval")).isEqualTo(Source.OPTION);
        assertThat(sourceOf(s, "restart-strategy.type")).isEqualTo(Source.OPTION);
        assertThat(s.checkpointIntervalMs()).isEqualTo(2_000);
    }

    @Test
    void shouldApplyTheJobsDefaultsWhenNeitherSetsThem() {
        FlinkSettings s = FlinkSettings.resolve(EdgeJobOptions.of(Map.of()), new Configuration());
        Configuration applied = s.applied();
        assertThat(applied.get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(applied.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT))
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(applied.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        assertThat(applied.get(RestartStrategyOptions.RESTART_STRATEGY))
                .isEqualTo("exponential-delay");
        assertThat(sourceOf(s, "execution.checkpointing.interval")).isEqualTo(Source.DEFAULT);
        // The start-up log says why the job enables checkpoints itself.
        assertThat(s.describe())
                .contains(
                        "execution.checkpointing.interval = 10000 ms (default: exactly-once needs"
                                + " checkpoints and nothing else enables them)")
                .contains("restart-strategy.type = exponential-delay (default)")
                .contains("execution.checkpointing.mode = EXACTLY_ONCE (job: ");
    }

    @Test
    void shouldNeverRestartWithZeroAttemptsEvenOnAClusterThatRestarts() {
        FlinkSettings s =
                FlinkSettings.resolve(
                        EdgeJobOptions.of(Map.of("restart.attempts", "0")), operatorCluster());
        assertThat(s.applied().get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("none");
        assertThat(s.longestRestartDelayMs()).isZero();
    }

    @Test
    void shouldKeepExactlyOnceCheckpointsAndSayWhenTheClusterAsksOtherwise() {
        Configuration cluster = operatorCluster();
        cluster.set(
                CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                CheckpointingMode.AT_LEAST_ONCE);
        cluster.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, 3);
        FlinkSettings s = FlinkSettings.resolve(EdgeJobOptions.of(Map.of()), cluster);
        assertThat(s.applied().get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE))
                .isEqualTo(CheckpointingMode.EXACTLY_ONCE);
        assertThat(s.applied().get(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER)).isZero();
        assertThat(s.warnings())
                .hasSize(2)
                .anySatisfy(
                        w ->
                                assertThat(w)
                                        .startsWith(
                                                "the cluster sets execution.checkpointing.mode ="
                                                        + " AT_LEAST_ONCE, the job sets"
                                                        + " EXACTLY_ONCE"));
    }

    @Test
    void shouldCheckTheTransactionTimeoutAgainstTheClustersValues() {
        // Flink's own checkpoint timeout (10 min), set on the cluster, leaves a 10 min
        // transaction timeout too short, and the message says where the value came from.
        Configuration cluster = new Configuration();
        cluster.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, Duration.ofMinutes(10));
        assertThatThrownBy(() -> FlinkSettings.resolve(EdgeJobOptions.of(Map.of()), cluster))
                .hasMessageContaining(
                        "the checkpoint timeout (600000, the cluster's"
                                + " execution.checkpointing.timeout)")
                .hasMessageContaining(
                        "the checkpoint interval (10000, the default of"
                                + " checkpoint.interval.ms)")
                .hasMessageContaining("Raise transaction.timeout.ms");
        // The other way round: a short fixed delay of the cluster's lets a shorter transaction
        // timeout pass than the job's default restarts (60 s longest delay) would:
        // 10 s + 120 s + 2 s + 60 s = 192 s.
        EdgeJobOptions shortTimeout = EdgeJobOptions.of(Map.of("transaction.timeout.ms", "200000"));
        assertThat(
                        FlinkSettings.resolve(shortTimeout, fixedDelayCluster())
                                .minTransactionTimeoutMs())
                .isEqualTo(192_000);
        assertThatThrownBy(() -> FlinkSettings.resolve(shortTimeout, new Configuration()))
                .hasMessageContaining("= 250000 ms");
    }

    private static Configuration fixedDelayCluster() {
        return Configuration.fromMap(
                Map.of(
                        "restart-strategy.type", "fixed-delay",
                        "restart-strategy.fixed-delay.delay", "2 s"));
    }

    @Test
    void shouldTreatAClusterThatOnlyTunesExponentialDelayAsSettingTheStrategy() {
        // No type, but a restart-strategy key: Flink's default strategy with checkpoints is
        // exponential-delay, and the cluster's max backoff is the longest delay.
        Configuration cluster =
                Configuration.fromMap(
                        Map.of("restart-strategy.exponential-delay.max-backoff", "30 s"));
        FlinkSettings s = FlinkSettings.resolve(EdgeJobOptions.of(Map.of()), cluster);
        assertThat(s.applied().toMap().keySet()).noneMatch(k -> k.startsWith("restart-strategy"));
        assertThat(s.longestRestartDelayMs()).isEqualTo(30_000);
        assertThat(sourceOf(s, "restart-strategy.type")).isEqualTo(Source.CLUSTER);
    }
}
