package io.edgestream.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/**
 * The job's graph as Flink builds it: which operators are chained into one task (records between
 * chained operators are handed over in memory, never serialized or sent over the network) and the
 * operators' uids (what a savepoint is matched by).
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
}
