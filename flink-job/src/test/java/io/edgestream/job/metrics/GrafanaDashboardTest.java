package io.edgestream.job.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgestream.testing.stack.LocalStack;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker/grafana/edgestream-dashboard.json: valid JSON, the panels the job's operators need, and
 * queries that use only metric names docs/metrics.md lists (StackMetricsITCase checks that each of
 * those is on a real endpoint).
 */
class GrafanaDashboardTest {
    private static final Pattern METRIC = Pattern.compile("\\bflink_[A-Za-z0-9_]+");

    private static JsonNode dashboard() throws IOException {
        Path p = LocalStack.repoRoot().resolve("docker/grafana/edgestream-dashboard.json");
        return new ObjectMapper().readTree(p.toFile());
    }

    /** Every query of the dashboard: the panels' expressions and the query variables'. */
    private static List<String> queries(JsonNode d) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : d.path("panels")) {
            for (JsonNode t : p.path("targets")) {
                out.add(t.path("expr").asText());
            }
        }
        for (JsonNode v : d.path("templating").path("list")) {
            if (!v.path("type").asText().equals("query")) {
                continue; // the data source variable's "query" is a plugin type
            }
            JsonNode q = v.path("query");
            out.add(q.isObject() ? q.path("query").asText() : q.asText());
        }
        return out;
    }

    private static Set<String> metricNames(String query) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(query);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    private static String exprsOf(JsonNode d, String titlePrefix) {
        StringBuilder sb = new StringBuilder();
        int found = 0;
        for (JsonNode p : d.path("panels")) {
            if (p.path("title").asText().startsWith(titlePrefix) && p.has("targets")) {
                found++;
                p.path("targets").forEach(t -> sb.append(t.path("expr").asText()).append('\n'));
            }
        }
        assertThat(found).as("panels titled '%s...'", titlePrefix).isEqualTo(1);
        return sb.toString();
    }

    @Test
    void everyMetricTheDashboardQueriesIsOneTheMetricsPageLists() throws IOException {
        JsonNode d = dashboard();
        Set<String> used = new TreeSet<>();
        for (String q : queries(d)) {
            assertThat(q).as("a query of the dashboard").isNotBlank();
            used.addAll(metricNames(q));
        }
        assertThat(used).hasSizeGreaterThanOrEqualTo(12);
        assertThat(MetricsDoc.prometheusNames())
                .as("names docs/metrics.md lists (and StackMetricsITCase saw on the endpoints)")
                .containsAll(used);
    }

    @Test
    void theDashboardChartsThroughputLatencyDeadLettersCheckpointsAndKafkaLag() throws IOException {
        JsonNode d = dashboard();
        String e = "flink_taskmanager_job_task_operator_edgestream_";
        String sink = "flink_taskmanager_job_task_operator_user_edgestream_";
        assertThat(exprsOf(d, "Throughput"))
                .contains("rate(" + e + "imagesIn")
                .contains("rate(" + e + "imagesOut")
                .contains("rate(" + sink + "mapTilesOut")
                .contains("rate(" + e + "reason_deadLetters");
        assertThat(exprsOf(d, "Bytes out")).contains("rate(" + sink + "mapBytesOut");
        assertThat(exprsOf(d, "End-to-end latency"))
                .contains("max by (quantile) (" + e + "endToEndLatencyMs{");
        assertThat(exprsOf(d, "Dead letters by reason"))
                .contains("sum by (reason) (increase(" + e + "reason_deadLetters");
        assertThat(exprsOf(d, "Checkpoint duration"))
                .contains("flink_jobmanager_job_lastCheckpointDuration");
        assertThat(exprsOf(d, "Checkpoint size"))
                .contains("flink_jobmanager_job_lastCheckpointSize");
        assertThat(exprsOf(d, "Checkpoints completed and failed"))
                .contains("increase(flink_jobmanager_job_numberOfCompletedCheckpoints")
                .contains("increase(flink_jobmanager_job_numberOfFailedCheckpoints");
        assertThat(exprsOf(d, "Kafka consumer lag"))
                .contains("flink_taskmanager_job_task_operator_pendingRecords")
                .contains("KafkaSourceReader_KafkaConsumer_records_lag_max");
        assertThat(queries(d))
                .as("every panel query is limited to the chosen job")
                .filteredOn(q -> !q.startsWith("label_values"))
                .allMatch(q -> q.contains("job_name=~\"$job_name\""));
    }
}
