package io.edgestream.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.client.program.StreamContextEnvironment;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.DefaultExecutorServiceLoader;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.jobgraph.tasks.CheckpointCoordinatorConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/**
 * The job's graph as Flink builds it: which operators are chained into one task (records between
 * chained operators are handed over in memory, never serialized or sent over the network) and the
 * operators' uids (what a savepoint is matched by); and the checkpoint and restart settings the job
 * graph carries when the job's {@code main} runs on a cluster with a configuration of its own.
 */
class EdgeJobGraphTest {

    /** The uids of the job before the local path existed: they must not change. */
    private static final Set<String> SPREAD_ONLY_UIDS =
            Set.of(
                    "images-source",
                    "decode-and-tile",
                    "convolve-tiles",
                    "edge-maps-sink",
                    "merge-tile-stats",
                    "edge-stats-sink",
                    "dead-letter-sink");

    private static StreamGraph graph(Map<String, String> options) {
        EdgeJobOptions o = EdgeJobOptions.of(options);
        StreamExecutionEnvironment env = EdgeJob.environment(o);
        env.setParallelism(4);
        return build(o, env);
    }

    /**
     * The job graph as built in application mode (the Flink Kubernetes Operator's, `flink run`'s):
     * Flink hands the job's main a context environment holding the cluster's configuration, the
     * same {@link StreamContextEnvironment#setAsContext} call its application runner makes.
     */
    private static JobGraph jobGraphOnCluster(Configuration cluster, Map<String, String> options) {
        StreamContextEnvironment.setAsContext(
                new DefaultExecutorServiceLoader(),
                cluster,
                EdgeJobGraphTest.class.getClassLoader(),
                true,
                true);
        try {
            EdgeJobOptions o = EdgeJobOptions.of(options);
            StreamExecutionEnvironment env = EdgeJob.environment(o);
            env.setParallelism(2);
            return build(o, env).getJobGraph();
        } finally {
            StreamContextEnvironment.unsetAsContext();
        }
    }

    private static StreamGraph build(EdgeJobOptions o, StreamExecutionEnvironment env) {
        new EdgeJob(
                        o,
                        KafkaConnections.source(o),
                        new DiscardingSink<>(),
                        new DiscardingSink<>(),
                        new DiscardingSink<>(),
                        new DiscardingSink<>())
                .build(env);
        return env.getStreamGraph();
    }

    private static List<String> tasks(StreamGraph g) {
        List<String> names = new ArrayList<>();
        for (JobVertex v : g.getJobGraph().getVertices()) {
            names.add(v.getName());
        }
        return names;
    }

    private static Set<String> uids(StreamGraph g) {
        return g.getStreamNodes().stream()
                .map(StreamNode::getTransformationUID)
                .filter(u -> u != null)
                .collect(Collectors.toSet());
    }

    @Test
    void smallImagesAreConvolvedAndWrittenInTheDecodingTask() {
        StreamGraph g = graph(Map.of());
        List<String> tasks = tasks(g);
        // One task: source, decoder, the local convolution and its maps sink, chained.
        assertThat(tasks)
                .anySatisfy(
                        t ->
                                assertThat(t)
                                        .startsWith(
                                                "Source: images source -> decode and tile ->"
                                                        + " convolve small images -> edge-maps"
                                                        + " sink (small images)"));
        // The spread path keeps its sink chained: no union in front of it.
        assertThat(tasks)
                .anySatisfy(t -> assertThat(t).startsWith("convolve tiles -> edge-maps sink"));
        assertThat(uids(g))
                .containsAll(SPREAD_ONLY_UIDS)
                .contains("convolve-local-tiles", "edge-maps-local-sink")
                .hasSize(SPREAD_ONLY_UIDS.size() + 2);
    }

    @Test
    void withSpreadMinOneTheGraphIsTheSpreadOnlyOne() {
        StreamGraph g = graph(Map.of(EdgeJobOptions.TILES_SPREAD_MIN.key(), "1"));
        assertThat(uids(g)).isEqualTo(SPREAD_ONLY_UIDS);
        assertThat(tasks(g)).noneMatch(t -> t.contains("small images"));
        assertThat(tasks(g))
                .anySatisfy(
                        t -> assertThat(t).startsWith("Source: images source -> decode and tile"))
                .anySatisfy(t -> assertThat(t).startsWith("convolve tiles -> edge-maps sink"));
    }

    private static CheckpointCoordinatorConfiguration checkpoints(JobGraph g) {
        return g.getCheckpointingSettings().getCheckpointCoordinatorConfiguration();
    }

    @Test
    void clusterCheckpointAndRestartSettingsReachTheJobGraphWhenNoOptionIsGiven() {
        JobGraph g = jobGraphOnCluster(FlinkSettingsTest.operatorCluster(), Map.of());
        assertThat(checkpoints(g).getCheckpointInterval()).isEqualTo(30_000);
        assertThat(checkpoints(g).getCheckpointTimeout()).isEqualTo(300_000);
        assertThat(checkpoints(g).isExactlyOnce()).isTrue();
        assertThat(checkpoints(g).getTolerableCheckpointFailureNumber()).isZero();
        assertThat(g.getJobConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY))
                .isEqualTo("fixed-delay");
        assertThat(
                        g.getJobConfiguration()
                                .get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS))
                .isEqualTo(5);
    }

    @Test
    void optionsGivenToTheJobWinOverTheClusterInTheJobGraph() {
        JobGraph g =
                jobGraphOnCluster(
                        FlinkSettingsTest.operatorCluster(),
                        Map.of(
                                "checkpoint.interval.ms", "2000",
                                "restart.strategy", "exponential-delay"));
        assertThat(checkpoints(g).getCheckpointInterval()).isEqualTo(2_000);
        // Not given: still the cluster's.
        assertThat(checkpoints(g).getCheckpointTimeout()).isEqualTo(300_000);
        assertThat(g.getJobConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY))
                .isEqualTo("exponential-delay");
        assertThat(
                        g.getJobConfiguration()
                                .get(
                                        RestartStrategyOptions
                                                .RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
                .isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void theJobsDefaultsEnableCheckpointsOnAClusterThatSetsNothing() {
        JobGraph g = jobGraphOnCluster(new Configuration(), Map.of());
        assertThat(checkpoints(g).getCheckpointInterval()).isEqualTo(10_000);
        assertThat(checkpoints(g).getCheckpointTimeout()).isEqualTo(120_000);
        assertThat(checkpoints(g).isExactlyOnce()).isTrue();
        assertThat(g.getJobConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY))
                .isEqualTo("exponential-delay");
    }
}
