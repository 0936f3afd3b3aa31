package io.edgestream.job.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/metrics.md lists every metric the job registers (the names of {@link EdgeMetrics}). */
class MetricsDocTest {

    @Test
    void everyMetricOfTheJobIsOnTheMetricsPageWithItsPrometheusName() throws Exception {
        List<String> metrics = new ArrayList<>();
        for (Field f : EdgeMetrics.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers())
                    && f.getType() == String.class
                    && !f.getName().equals("GROUP")
                    && !f.getName().equals("REASON")) {
                metrics.add((String) f.get(null));
            }
        }
        assertThat(metrics).hasSize(13);
        Set<String> doc = MetricsDoc.prometheusNames();
        String op = "flink_taskmanager_job_task_operator_";
        for (String m : metrics) {
            String name =
                    switch (m) {
                        case EdgeMetrics.MAP_TILES_OUT, EdgeMetrics.MAP_BYTES_OUT ->
                                op + "user_" + EdgeMetrics.GROUP + "_" + m;
                        case EdgeMetrics.DEAD_LETTERS ->
                                op + EdgeMetrics.GROUP + "_" + EdgeMetrics.REASON + "_" + m;
                        default -> op + EdgeMetrics.GROUP + "_" + m;
                    };
            assertThat(doc).as("docs/metrics.md lists %s", m).contains(name);
        }
    }
}
