package io.edgestream.job;

import io.edgestream.job.functions.ConvolveTile;
import io.edgestream.job.functions.DecodeAndTile;
import io.edgestream.job.functions.MergeStats;
import io.edgestream.job.functions.TileSpreader;
import io.edgestream.job.records.DeadLetterRecord;
import io.edgestream.job.records.DeadLetterSerializationSchema;
import io.edgestream.job.records.EdgeStatsRecord;
import io.edgestream.job.records.EdgeStatsSerializationSchema;
import io.edgestream.job.records.InputRecord;
import io.edgestream.job.records.MapTile;
import io.edgestream.job.records.MapTileSerializationSchema;
import io.edgestream.job.records.TileStats;
import io.edgestream.job.records.TileTask;
import java.time.Duration;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge job: images in, tiled parallel convolution, feature maps, statistics and dead letters
 * out, exactly once.
 *
 * <pre>
 *                           tiles of large images (at least tiles.spread.min)
 * images ─▶ decode + tile ─(spread over all slots)─▶ convolve ─▶ edge-maps
 *              │  │                                      │
 *              │  └─ small images: convolve ─▶ edge-maps │   (the same task as decode: no shuffle)
 *              │                      │                  │
 *              │                      └── tile stats ────┴─(by image)─▶ merge ─▶ edge-stats
 *              │ dead letters                                             │
 *              ▼                                                          │
 *          images-dlq ◀───────────────── incomplete images ◀──────────────┘
 * </pre>
 *
 * <p>An image of fewer than {@code tiles.spread.min} tiles gains nothing from being spread: its
 * tiles are convolved by a second convolution operator chained to the decoder (uid {@code
 * convolve-local-tiles}) and their maps written by a second maps sink chained to it (uid {@code
 * edge-maps-local-sink}, transactional ids {@code <prefix>-local-maps}), all in the decoding task,
 * so they are never serialized nor sent over the network. Both maps sinks write the same topic; the
 * statistics of both convolutions go to the one merge. (One shared maps sink would need a union in
 * front of it, which Flink cannot chain: every map tile, of large images too, would then be
 * serialized between the convolution and the sink, about 0.1 ms per 256x256 float32 tile.)
 *
 * <p>The class receives its source and sinks, so tests can wire their own; {@link #main} wires the
 * Kafka ones from {@link EdgeJobOptions}. {@link #build} is the whole pipeline, top to bottom.
 */
public final class EdgeJob {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeJob.class);

    private final EdgeJobOptions options;
    private final Source<InputRecord, ?, ?> source;
    private final Sink<MapTile> mapSink;
    private final Sink<MapTile> localMapSink;
    private final Sink<EdgeStatsRecord> statsSink;
    private final Sink<DeadLetterRecord> deadLetterSink;

    /**
     * The job with its source and sinks.
     *
     * @param mapSink the maps of images spread over all slots
     * @param localMapSink the maps of images convolved where they were decoded (fewer than {@code
     *     tiles.spread.min} tiles); unused with {@code tiles.spread.min 1}. A sink of its own,
     *     writing the same topic as {@code mapSink} (for Kafka: with another transactional id
     *     prefix).
     */
    public EdgeJob(
            EdgeJobOptions options,
            Source<InputRecord, ?, ?> source,
            Sink<MapTile> mapSink,
            Sink<MapTile> localMapSink,
            Sink<EdgeStatsRecord> statsSink,
            Sink<DeadLetterRecord> deadLetterSink) {
        this.options = options;
        this.source = source;
        this.mapSink = mapSink;
        this.localMapSink = localMapSink;
        this.statsSink = statsSink;
        this.deadLetterSink = deadLetterSink;
    }

    /** The job reading from and writing to the Kafka topics named in {@code o}. */
    public static EdgeJob withKafka(EdgeJobOptions o) {
        return new EdgeJob(
                o,
                KafkaConnections.source(o),
                KafkaConnections.sink(
                        o,
                        KafkaConnections.MAPS_SINK,
                        new MapTileSerializationSchema(o.mapsWire())),
                KafkaConnections.sink(
                        o,
                        KafkaConnections.LOCAL_MAPS_SINK,
                        new MapTileSerializationSchema(o.mapsWire())),
                KafkaConnections.sink(
                        o,
                        KafkaConnections.STATS_SINK,
                        new EdgeStatsSerializationSchema(o.statsWire())),
                KafkaConnections.sink(
                        o,
                        KafkaConnections.DLQ_SINK,
                        new DeadLetterSerializationSchema(o.dlqWire())));
    }

    /** Adds the pipeline to {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        DataStream<InputRecord> records =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "images source")
                        .uid("images-source");

        SingleOutputStreamOperator<TileTask> tiles =
                records.process(new DecodeAndTile(options.processing(), options.imagesWire()))
                        .name("decode and tile")
                        .uid("decode-and-tile");

        TileSpreader spreader = new TileSpreader();
        SingleOutputStreamOperator<MapTile> maps =
                tiles.partitionCustom(spreader, spreader)
                        .process(new ConvolveTile(options.processing()))
                        .name("convolve tiles")
                        .uid("convolve-tiles");
        maps.sinkTo(mapSink).name("edge-maps sink").uid("edge-maps-sink");

        // Images the decoder gave up on after sending some tiles: the merge drops them.
        DataStream<TileStats> tileStats =
                maps.getSideOutput(ConvolveTile.TILE_STATS)
                        .union(tiles.getSideOutput(DecodeAndTile.ABORTED));

        if (options.tilesSpreadMin() > 1) {
            // Small images: forward from the decoder, so chained into its task, sink included.
            SingleOutputStreamOperator<MapTile> localMaps =
                    tiles.getSideOutput(DecodeAndTile.LOCAL_TILES)
                            .process(new ConvolveTile(options.processing()))
                            .name("convolve small images")
                            .uid("convolve-local-tiles");
            localMaps
                    .sinkTo(localMapSink)
                    .name("edge-maps sink (small images)")
                    .uid("edge-maps-local-sink");
            tileStats = tileStats.union(localMaps.getSideOutput(ConvolveTile.TILE_STATS));
        }
        SingleOutputStreamOperator<EdgeStatsRecord> stats =
                tileStats
                        .keyBy(s -> s.mergeKey, Types.STRING)
                        .process(new MergeStats(options.incompleteTimeoutMs()))
                        .name("merge tile stats")
                        .uid("merge-tile-stats");
        stats.sinkTo(statsSink).name("edge-stats sink").uid("edge-stats-sink");

        tiles.getSideOutput(DecodeAndTile.DEAD_LETTERS)
                .union(stats.getSideOutput(MergeStats.INCOMPLETE))
                .sinkTo(deadLetterSink)
                .name("dead-letter sink")
                .uid("dead-letter-sink");
    }

    /**
     * The Flink settings the options imply: exactly-once checkpoints at the configured interval
     * with an explicit timeout, retained on failure (and on cancellation unless told otherwise), no
     * Kryo fallback, object reuse between chained operators, restarts with a delay growing to a
     * maximum and reset after stable running (or fixed-delay), and the parallelism if set.
     */
    public static Configuration flinkConfiguration(EdgeJobOptions o) {
        Configuration c = new Configuration();
        c.set(PipelineOptions.NAME, o.jobName());
        c.set(PipelineOptions.GENERIC_TYPES, false);
        // Every function emits fresh records and never keeps or changes one after emitting it, and
        // the sinks serialize inside collect(): chained operators may share records instead of
        // copying them (a float map tile copied per hop cost ~10% of the convolution task).
        c.set(PipelineOptions.OBJECT_REUSE, true);
        c.set(
                CheckpointingOptions.CHECKPOINTING_INTERVAL,
                Duration.ofMillis(o.checkpointIntervalMs()));
        c.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        // Explicit, because the transaction timeout is checked against it: a checkpoint that
        // takes longer is aborted, and the job restarts from the previous one (no checkpoint
        // failure is tolerated, so no transaction spans more than one checkpoint attempt).
        c.set(
                CheckpointingOptions.CHECKPOINTING_TIMEOUT,
                Duration.ofMillis(o.checkpointTimeoutMs()));
        c.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, 0);
        // A retained checkpoint is the exactly-once way back after the job failed or was cancelled.
        c.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                o.checkpointRetention() == EdgeJobOptions.CheckpointRetention.RETAIN_ON_CANCELLATION
                        ? ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION
                        : ExternalizedCheckpointRetention.DELETE_ON_CANCELLATION);
        if (o.checkpointDir() != null) {
            c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, o.checkpointDir());
        }
        if (o.restartAttempts() == 0) {
            // No restart at all: Flink's exponential-delay strategy needs at least one attempt.
            c.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            return c;
        }
        switch (o.restartStrategy()) {
            case EXPONENTIAL_DELAY -> {
                // Transient faults (a broker restart, a lost TaskManager) must never add up to
                // FAILED over days: the delay and the attempt count reset after stable running.
                c.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
                c.set(
                        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                        Duration.ofMillis(o.restartDelayMs()));
                c.set(
                        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                        Duration.ofMillis(o.restartMaxDelayMs()));
                c.set(
                        RestartStrategyOptions
                                .RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER,
                        2.0);
                c.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.1);
                c.set(
                        RestartStrategyOptions
                                .RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
                        Duration.ofMillis(o.restartResetAfterMs()));
                c.set(
                        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS,
                        o.restartAttempts());
            }
            case FIXED_DELAY -> {
                c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
                c.set(
                        RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
                        o.restartAttempts());
                c.set(
                        RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                        Duration.ofMillis(o.restartDelayMs()));
            }
        }
        return c;
    }

    /** An environment configured for {@code o} (in tests: the MiniCluster's). */
    public static StreamExecutionEnvironment environment(EdgeJobOptions o) {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(o));
        if (o.parallelism() > 0) {
            env.setParallelism(o.parallelism());
        }
        return env;
    }

    /** Runs the job against Kafka; see {@link EdgeJobOptions} for the flags. */
    public static void main(String[] args) throws Exception {
        EdgeJobOptions o = EdgeJobOptions.fromArgs(args);
        LOG.info("{}", o.describe());
        System.out.println(o.describe());
        if (o.checkBroker()) {
            KafkaConnections.checkBroker(o, Duration.ofSeconds(30));
        }
        // Always, not only with check.broker: the output subjects need their rule and schema.
        RegistrySubjects.prepare(o);
        LOG.info(
                "outputs become visible when a checkpoint completes: end-to-end latency is at"
                        + " least checkpoint.interval.ms = {} ms",
                o.checkpointIntervalMs());
        StreamExecutionEnvironment env = environment(o);
        withKafka(o).build(env);
        JobExecutionResult result = env.execute(o.jobName());
        // Submitted through the REST API (/jars/:id/run) or `flink run -d`, execute() returns at
        // once with a detached result whose getters throw: only an attached run has a runtime.
        if (result.isJobExecutionResult()) {
            LOG.info("job {} finished after {} ms", o.jobName(), result.getNetRuntime());
        } else {
            LOG.info("job {} submitted (detached): {}", o.jobName(), result.getJobID());
        }
    }
}
