package io.edgestream.job.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.job.EdgeJobOptions;
import io.edgestream.job.metrics.MetricsDoc;
import io.edgestream.job.testing.BadRecords;
import io.edgestream.job.testing.PipelineHarness;
import io.edgestream.job.testing.PipelineHarness.Topics;
import io.edgestream.job.testing.TestImages;
import io.edgestream.schemas.DeadLetterReason;
import io.edgestream.schemas.ImageEncoding;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.testing.stack.FlinkRestClient;
import io.edgestream.testing.stack.LocalStack;
import io.edgestream.testing.stack.LocalStackExtension;
import io.edgestream.testing.stack.PrometheusScrape;
import io.edgestream.testing.stack.PrometheusScrape.Sample;
import io.edgestream.testing.stack.Waits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The metrics users scrape, on the real multi-process stack: {@code flink-local.sh} starts every
 * JobManager and TaskManager with Flink's Prometheus reporter (docs/metrics.md), the job runs on
 * some frames and one record that is not an image, and each process's endpoint is read over HTTP as
 * Prometheus would. The job's counters must equal what went through Kafka (images in = records
 * sent, map tiles and bytes out = the committed records on the maps topic), dead letters must be
 * one metric with a {@code reason} label, the latency summary must have samples, and Flink's
 * checkpoint and Kafka-lag metrics that the Grafana dashboard charts must be there. Every metric
 * name docs/metrics.md lists must appear on an endpoint, and every {@code edgestream} metric on the
 * endpoints must be listed there.
 */
class StackMetricsITCase {

    @RegisterExtension static final LocalStackExtension STACK = new LocalStackExtension();

    private static final String FILTERS = "sobel,laplacian";
    private static final int FILTER_COUNT = 2;
    private static final String P = "flink_taskmanager_job_task_operator_";
    private static final String E = P + "edgestream_";
    private static final String JM = "flink_jobmanager_job_";

    @Test
    @Timeout(420)
    void everyProcessServesTheJobsMetricsWithTheValuesOfWhatWentThroughKafka(LocalStack stack)
            throws Exception {
        StackKafka kafka = new StackKafka(stack.bootstrap());
        Topics t = Topics.fresh("metrics");
        kafka.createTopics(t, 4);
        Map<String, String> o = JobRun.isolated(stack.bootstrap(), t);
        o.put(EdgeJobOptions.FILTERS.key(), FILTERS);
        o.put(EdgeJobOptions.TILE_SIZE.key(), "128");
        // Spread the large images (the default keeps every image local), so both paths count.
        o.put(EdgeJobOptions.TILES_SPREAD_MIN.key(), "3");
        o.put(EdgeJobOptions.CHECKPOINT_INTERVAL_MS.key(), "1000");
        JobRun run =
                JobRun.submit(
                        stack,
                        STACK.jarId(),
                        FlinkRestClient.RunRequest.of(JobRun.args(o)).withParallelism(4),
                        Duration.ofSeconds(120));

        // ---- 5 images (4 spread over the slots, 1 small one kept local) and one bad record
        long sentAt = System.currentTimeMillis();
        List<ImageFrame> frames = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int w = i == 4 ? 96 : 420 + 37 * i;
            int h = i == 4 ? 64 : 300 + 23 * i;
            ImageFrame f =
                    TestImages.frame(
                            "metrics-" + i,
                            ImageEncoding.PNG,
                            null,
                            0,
                            0,
                            0,
                            TestImages.pngRgb8(w, h, 31L * i + 5));
            f.setCaptureTimeMs(sentAt);
            frames.add(f);
        }
        PipelineHarness.produceFrames(kafka.client(), t.images(), frames);
        byte[] bad = BadRecords.all().get(DeadLetterReason.NOT_WIRE_FORMAT);
        PipelineHarness.produce(
                kafka.client(),
                t.images(),
                List.of(
                        new AbstractMap.SimpleImmutableEntry<>(
                                "not-an-image".getBytes(StandardCharsets.UTF_8), bad)));
        int records = frames.size() + 1;

        // ---- wait for the committed outputs, then read the maps topic as a consumer would
        int[] seen = new int[2];
        try (StackKafka.Tail stats = kafka.tail(t.stats());
                StackKafka.Tail dlq = kafka.tail(t.dlq())) {
            Waits.until(
                    "all statistics and the dead letter committed",
                    Duration.ofSeconds(180),
                    () -> {
                        seen[0] += stats.poll().size();
                        seen[1] += dlq.poll().size();
                        return seen[0] >= frames.size() * FILTER_COUNT && seen[1] >= 1;
                    },
                    () ->
                            "stats "
                                    + seen[0]
                                    + ", dead letters "
                                    + seen[1]
                                    + "; "
                                    + run.diagnostics());
        }
        List<ConsumerRecord<byte[], byte[]>> maps = kafka.drain(t.maps());
        long mapBytes = 0;
        for (ConsumerRecord<byte[], byte[]> r : maps) {
            mapBytes += r.key().length + r.value().length;
        }
        assertThat(maps).as("map tiles on the maps topic").isNotEmpty();
        assertThat(run.restarts())
                .as("restarts (a restart counts replayed records again)")
                .isZero();

        // ---- every TaskManager's endpoint; the counters are live, so they are final now
        String job = run.id();
        Predicate<Sample> ofJob = s -> s.label("job_id").equals(job);
        long expectTiles = maps.size();
        long expectBytes = mapBytes;
        List<PrometheusScrape> tms = new ArrayList<>();
        Waits.until(
                "the TaskManagers' endpoints to show the job's counters",
                Duration.ofSeconds(60),
                () -> {
                    tms.clear();
                    tms.addAll(scrapeTaskManagers(stack));
                    return sum(tms, E + "imagesIn", ofJob) == records
                            && sum(tms, E + "statsOut", ofJob) == frames.size() * FILTER_COUNT
                            && sum(tms, P + "user_edgestream_mapTilesOut", ofJob) == expectTiles;
                },
                () -> describe(tms, ofJob));

        assertThat(tms.stream().flatMap(s -> s.samples().stream()).map(s -> s.label("tm_id")))
                .as("one endpoint per TaskManager (tm_id label)")
                .containsAll(
                        stack.liveTaskManagers().stream().map(id -> id.replace('-', '_')).toList());
        assertThat(sum(tms, E + "imagesIn", ofJob))
                .as("images in = records sent")
                .isEqualTo(records);
        assertThat(sum(tms, E + "imagesOut", ofJob)).isEqualTo(frames.size());
        assertThat(sum(tms, E + "imagesKeptLocal", ofJob)).as("the small image").isEqualTo(1);
        assertThat(sum(tms, E + "tilesOut", ofJob))
                .as("tiles cut = tiles convolved")
                .isEqualTo(sum(tms, E + "tilesConvolved", ofJob))
                .isPositive();
        assertThat(sum(tms, P + "user_edgestream_mapTilesOut", ofJob))
                .as("map tiles out = map records committed on the maps topic")
                .isEqualTo(expectTiles);
        assertThat(sum(tms, P + "user_edgestream_mapBytesOut", ofJob))
                .as("map bytes out = key + value bytes of those records")
                .isEqualTo(expectBytes);

        // dead letters: one metric, the reason as a label, every reason present from the start
        List<Sample> dead = samples(tms, E + "reason_deadLetters", ofJob);
        assertThat(dead.stream().map(s -> s.label("reason")).collect(Collectors.toSet()))
                .as("reason labels")
                .containsExactlyInAnyOrder(
                        java.util.Arrays.stream(DeadLetterReason.values())
                                .map(Enum::name)
                                .toArray(String[]::new));
        Map<String, Double> byReason =
                dead.stream()
                        .collect(
                                Collectors.groupingBy(
                                        s -> s.label("reason"),
                                        Collectors.summingDouble(Sample::value)));
        assertThat(byReason.get("NOT_WIRE_FORMAT")).isEqualTo(1.0);
        assertThat(byReason.values().stream().mapToDouble(Double::doubleValue).sum())
                .as("dead letters over all reasons")
                .isEqualTo(1.0);
        assertThat(tms.stream().flatMap(s -> s.names().stream()))
                .as("no metric name per reason any more")
                .noneMatch(n -> n.contains("deadLetters_"));

        // the latency summary: one sample per image, quantiles within the test's time
        assertThat(sum(tms, E + "endToEndLatencyMs_count", ofJob)).isEqualTo(frames.size());
        long elapsed = System.currentTimeMillis() - sentAt;
        List<Sample> quantiles =
                samples(tms, E + "endToEndLatencyMs", ofJob.and(s -> !Double.isNaN(s.value())));
        assertThat(quantiles.stream().map(s -> s.label("quantile")).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("0.5", "0.75", "0.95", "0.98", "0.99", "0.999");
        assertThat(quantiles)
                .allSatisfy(s -> assertThat(s.value()).isPositive().isLessThanOrEqualTo(elapsed));

        // Kafka consumer lag, as the connector exposes it
        assertThat(samples(tms, P + "pendingRecords", ofJob)).isNotEmpty();
        assertThat(samples(tms, P + "KafkaSourceReader_KafkaConsumer_records_lag_max", ofJob))
                .hasSize(4);

        // ---- the JobManager's endpoint: checkpoints of this job
        Waits.until(
                "the JobManager's endpoint to report completed checkpoints",
                Duration.ofSeconds(60),
                () -> {
                    PrometheusScrape jm =
                            PrometheusScrape.of(stack.prometheusJobManagerUrl()).orElseThrow();
                    return sum(List.of(jm), JM + "numberOfCompletedCheckpoints", ofJob) > 0
                            && sum(List.of(jm), JM + "lastCheckpointSize", ofJob) > 0;
                });
        PrometheusScrape jm = PrometheusScrape.of(stack.prometheusJobManagerUrl()).orElseThrow();
        assertThat(samples(List.of(jm), JM + "lastCheckpointDuration", ofJob)).hasSize(1);
        assertThat(samples(List.of(jm), JM + "lastCheckpointFullSize", ofJob)).hasSize(1);
        assertThat(sum(List.of(jm), JM + "numberOfFailedCheckpoints", ofJob)).isNotNegative();

        // ---- docs/metrics.md and the endpoints agree
        Set<String> scraped = new TreeSet<>(jm.names());
        tms.forEach(s -> scraped.addAll(s.names()));
        assertThat(scraped)
                .as("every metric docs/metrics.md names is on an endpoint")
                .containsAll(MetricsDoc.prometheusNames());
        assertThat(scraped.stream().filter(n -> n.contains("_edgestream_")))
                .as("every edgestream metric on the endpoints is in docs/metrics.md")
                .allMatch(MetricsDoc.prometheusNames()::contains);

        System.out.printf(
                "Prometheus on the real stack: %d TaskManager endpoints + the JobManager's; images"
                        + " in %.0f, map tiles out %.0f (%.0f bytes), dead letters %s, latency"
                        + " p50 %.0f ms (worst subtask), last checkpoint %.0f ms / %.0f bytes%n",
                tms.size(),
                sum(tms, E + "imagesIn", ofJob),
                sum(tms, P + "user_edgestream_mapTilesOut", ofJob),
                sum(tms, P + "user_edgestream_mapBytesOut", ofJob),
                byReason.entrySet().stream().filter(x -> x.getValue() > 0).toList(),
                samples(
                                tms,
                                E + "endToEndLatencyMs",
                                ofJob.and(s -> s.label("quantile").equals("0.5")))
                        .stream()
                        .mapToDouble(Sample::value)
                        .filter(v -> !Double.isNaN(v))
                        .max()
                        .orElse(Double.NaN),
                sum(List.of(jm), JM + "lastCheckpointDuration", ofJob),
                sum(List.of(jm), JM + "lastCheckpointSize", ofJob));
        run.stopWithSavepoint();
    }

    /** Scrapes every port of the TaskManagers' range; ports no TaskManager took are skipped. */
    private static List<PrometheusScrape> scrapeTaskManagers(LocalStack stack) throws IOException {
        List<PrometheusScrape> out = new ArrayList<>();
        for (int port : stack.prometheusTaskManagerPorts()) {
            PrometheusScrape.of("http://localhost:" + port + "/metrics").ifPresent(out::add);
        }
        return out;
    }

    private static List<Sample> samples(
            List<PrometheusScrape> scrapes, String name, Predicate<Sample> filter) {
        return scrapes.stream().flatMap(s -> s.samples(name, filter).stream()).toList();
    }

    private static double sum(List<PrometheusScrape> scrapes, String name, Predicate<Sample> f) {
        return samples(scrapes, name, f).stream().mapToDouble(Sample::value).sum();
    }

    private static String describe(List<PrometheusScrape> tms, Predicate<Sample> ofJob) {
        StringBuilder sb = new StringBuilder(tms.size() + " TaskManager endpoints:");
        for (PrometheusScrape s : tms) {
            sb.append(' ').append(s.url());
        }
        for (String n :
                List.of(
                        E + "imagesIn",
                        E + "statsOut",
                        P + "user_edgestream_mapTilesOut",
                        E + "reason_deadLetters")) {
            sb.append("; ").append(n).append(" = ").append(sum(tms, n, ofJob));
        }
        return sb.toString();
    }
}
