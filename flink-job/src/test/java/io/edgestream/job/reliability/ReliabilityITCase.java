package io.edgestream.job.reliability;

import static io.edgestream.job.testing.PipelineHarness.assertExactlyOnce;
import static io.edgestream.job.testing.PipelineHarness.awaitCommitted;
import static io.edgestream.job.testing.PipelineHarness.createTopics;
import static io.edgestream.job.testing.PipelineHarness.options;
import static io.edgestream.job.testing.PipelineHarness.produceFrames;
import static io.edgestream.job.testing.PipelineHarness.restarts;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.job.EdgeJobOptions;
import io.edgestream.job.testing.PipelineHarness;
import io.edgestream.job.testing.PipelineHarness.Topics;
import io.edgestream.job.testing.TestImages;
import io.edgestream.schemas.ImageEncoding;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.PixelFormat;
import io.edgestream.testing.kafka.EmbeddedKafkaExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults while images flow: a TaskManager dies, the broker restarts, the job is stopped with a
 * savepoint and resumed. After each, every input image has exactly one EdgeStats per filter and a
 * complete, correct set of tiles when read with read_committed: none missing, none twice.
 *
 * <p>Each test produces half of its images, waits until the job has committed output (so a
 * checkpoint has completed and the fault hits a job with state), injects the fault, produces the
 * other half while the job is recovering, and waits for all outputs.
 */
class ReliabilityITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineHarness.miniCluster();

    private static final int IMAGES_PER_HALF = 10;
    private static final Duration OUTPUT_TIMEOUT = Duration.ofSeconds(90);

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static Properties client() {
        return KAFKA.broker().clientProperties();
    }

    /** {@code n} small RAW images (40x30: 6 tiles of 16x16 output pixels per filter). */
    private static List<ImageFrame> images(String prefix, int n) {
        List<ImageFrame> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = prefix + "-" + i;
            frames.add(
                    TestImages.frame(
                            id,
                            ImageEncoding.RAW,
                            PixelFormat.GRAY8,
                            40,
                            30,
                            1,
                            TestImages.rawGray8(40, 30, 31L * i + prefix.hashCode())));
        }
        return frames;
    }

    private static int expectedStats(EdgeJobOptions o, int images) {
        return images * o.processing().filterList().size();
    }

    @Test
    @Timeout(150)
    void everyImageIsProcessedExactlyOnceWhenATaskManagerIsKilled(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        Topics t = Topics.fresh("tm-kill");
        createTopics(client(), t, 2);
        List<ImageFrame> before = images("before", IMAGES_PER_HALF);
        List<ImageFrame> after = images("after", IMAGES_PER_HALF);
        EdgeJobOptions o =
                EdgeJobOptions.of(options(KAFKA.broker().bootstrapServers(), t, Map.of()));

        produceFrames(client(), t.images(), before);
        JobClient job = PipelineHarness.submit(o);
        try {
            awaitCommitted(client(), t.stats(), 1, OUTPUT_TIMEOUT, job);
            // Kill a TaskManager that runs part of the job; the job restarts from its last
            // checkpoint on the remaining TaskManager plus a fresh one (it needs 4 slots).
            cluster.terminateTaskManager(0).get(60, TimeUnit.SECONDS);
            produceFrames(client(), t.images(), after);
            cluster.startTaskManager();
            awaitCommitted(
                    client(),
                    t.stats(),
                    expectedStats(o, 2 * IMAGES_PER_HALF),
                    OUTPUT_TIMEOUT,
                    job);
            assertThat(restarts(cluster, job.getJobID()))
                    .as("the job recovered by restarting")
                    .isGreaterThanOrEqualTo(1);
        } finally {
            PipelineHarness.cancel(job);
        }
        List<ImageFrame> all = new ArrayList<>(before);
        all.addAll(after);
        assertExactlyOnce(client(), t, o.processing(), all);
    }

    @Test
    @Timeout(150)
    void everyImageIsProcessedExactlyOnceWhenTheBrokerRestarts() throws Exception {
        Topics t = Topics.fresh("broker-restart");
        createTopics(client(), t, 2);
        List<ImageFrame> before = images("before", IMAGES_PER_HALF);
        List<ImageFrame> after = images("after", IMAGES_PER_HALF);
        EdgeJobOptions o =
                EdgeJobOptions.of(options(KAFKA.broker().bootstrapServers(), t, Map.of()));

        produceFrames(client(), t.images(), before);
        JobClient job = PipelineHarness.submit(o);
        try {
            awaitCommitted(client(), t.stats(), 1, OUTPUT_TIMEOUT, job);
            KAFKA.broker().restart();
            produceFrames(client(), t.images(), after);
            awaitCommitted(
                    client(),
                    t.stats(),
                    expectedStats(o, 2 * IMAGES_PER_HALF),
                    OUTPUT_TIMEOUT,
                    job);
        } finally {
            PipelineHarness.cancel(job);
        }
        List<ImageFrame> all = new ArrayList<>(before);
        all.addAll(after);
        assertExactlyOnce(client(), t, o.processing(), all);
    }

    @Test
    @Timeout(150)
    void everyImageIsProcessedExactlyOnceAcrossStopWithSavepointAndResume(@TempDir Path dir)
            throws Exception {
        Topics t = Topics.fresh("savepoint");
        createTopics(client(), t, 2);
        List<ImageFrame> before = images("before", IMAGES_PER_HALF);
        List<ImageFrame> after = images("after", IMAGES_PER_HALF);
        EdgeJobOptions o =
                EdgeJobOptions.of(options(KAFKA.broker().bootstrapServers(), t, Map.of()));

        produceFrames(client(), t.images(), before);
        JobClient first = PipelineHarness.submit(o);
        try {
            awaitCommitted(
                    client(),
                    t.stats(),
                    expectedStats(o, IMAGES_PER_HALF) / 2,
                    OUTPUT_TIMEOUT,
                    first);
        } catch (Exception | AssertionError e) {
            PipelineHarness.cancel(first);
            throw e;
        }
        String savepoint = PipelineHarness.stopWithSavepoint(first, dir);

        // Images sent while no job runs are picked up by the resumed job, from the savepoint's
        // offsets rather than the group's committed ones.
        produceFrames(client(), t.images(), after);
        JobClient resumed = PipelineHarness.resume(o, savepoint);
        try {
            awaitCommitted(
                    client(),
                    t.stats(),
                    expectedStats(o, 2 * IMAGES_PER_HALF),
                    OUTPUT_TIMEOUT,
                    resumed);
        } finally {
            PipelineHarness.cancel(resumed);
        }
        List<ImageFrame> all = new ArrayList<>(before);
        all.addAll(after);
        assertExactlyOnce(client(), t, o.processing(), all);
    }
}
