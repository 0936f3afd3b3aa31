package io.edgestream.job.reliability;

import static io.edgestream.job.testing.PipelineHarness.assertExactlyOnce;
import static io.edgestream.job.testing.PipelineHarness.awaitCommitted;
import static io.edgestream.job.testing.PipelineHarness.completedCheckpoints;
import static io.edgestream.job.testing.PipelineHarness.createTopics;
import static io.edgestream.job.testing.PipelineHarness.options;
import static io.edgestream.job.testing.PipelineHarness.produceFrames;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.job.EdgeJobOptions;
import io.edgestream.job.EdgeJobOptions.TransactionNaming;
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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the sinks name their transactions ({@code sink.transaction.naming}), seen from the broker:
 * with {@code POOLING} each sink subtask reuses a few transactional ids however many checkpoints
 * pass, with {@code INCREMENTING} the broker gains ids with every checkpoint (and keeps each for 7
 * days). A job started with the old naming resumes from its savepoint with the new one exactly
 * once.
 */
class TransactionNamingITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineHarness.miniCluster();

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final Duration OUTPUT_TIMEOUT = Duration.ofSeconds(90);

    /** Checkpoints to let pass before counting ids: far more than a pool ever holds. */
    private static final int CHECKPOINTS = 15;

    private static final int SINKS = 3;

    private static Properties client() {
        return KAFKA.broker().clientProperties();
    }

    @Test
    @Timeout(150)
    void pooledTransactionalIdsDoNotGrowWithCheckpoints(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        Set<String> ids = idsAfterCheckpoints(cluster, TransactionNaming.POOLING);
        // One producer per sink subtask holds the open transaction, another may wait for its
        // commit: at most a few per subtask, never one per checkpoint.
        assertThat(ids).hasSizeLessThanOrEqualTo(SINKS * 4 * 3);
    }

    @Test
    @Timeout(150)
    void incrementingTransactionalIdsGrowWithCheckpoints(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        Set<String> ids = idsAfterCheckpoints(cluster, TransactionNaming.INCREMENTING);
        // Every sink subtask opens a transaction under a new id at every checkpoint.
        assertThat(ids).hasSizeGreaterThanOrEqualTo(SINKS * 4 * CHECKPOINTS);
    }

    /**
     * Runs the job with {@code naming} until {@link #CHECKPOINTS} checkpoints have completed after
     * its outputs became visible, checks exactly once, and returns the transactional ids of its
     * sinks that the broker knows.
     */
    private static Set<String> idsAfterCheckpoints(MiniCluster cluster, TransactionNaming naming)
            throws Exception {
        Topics t = Topics.fresh("txn-" + naming.name().toLowerCase());
        createTopics(client(), t, 2);
        List<ImageFrame> frames = images("img", 6);
        EdgeJobOptions o =
                EdgeJobOptions.of(
                        options(
                                KAFKA.broker().bootstrapServers(),
                                t,
                                Map.of(
                                        EdgeJobOptions.SINK_TRANSACTION_NAMING.key(),
                                        naming.name(),
                                        EdgeJobOptions.CHECKPOINT_INTERVAL_MS.key(),
                                        "100")));
        produceFrames(client(), t.images(), frames);
        JobClient job = PipelineHarness.submit(o);
        Set<String> ids;
        try {
            awaitCommitted(client(), t.stats(), expectedStats(o, 6), OUTPUT_TIMEOUT, job);
            long seen = completedCheckpoints(cluster, job.getJobID());
            PipelineHarness.await(
                    CHECKPOINTS + " more checkpoints",
                    OUTPUT_TIMEOUT,
                    () -> completedCheckpoints(cluster, job.getJobID()) >= seen + CHECKPOINTS);
            ids = transactionalIds(o.transactionalIdPrefix());
        } finally {
            PipelineHarness.cancel(job);
        }
        assertExactlyOnce(client(), t, o.processing(), frames);
        assertThat(ids)
                .as("the broker knows the sinks' transactional ids")
                .anyMatch(id -> id.startsWith(o.transactionalIdPrefix() + "-maps-"))
                .anyMatch(id -> id.startsWith(o.transactionalIdPrefix() + "-stats-"))
                .anyMatch(id -> id.startsWith(o.transactionalIdPrefix() + "-dlq-"));
        return ids;
    }

    @Test
    @Timeout(150)
    void aJobStartedWithIncrementingIdsResumesWithPoolingExactlyOnce(@TempDir Path dir)
            throws Exception {
        Topics t = Topics.fresh("txn-upgrade");
        createTopics(client(), t, 2);
        List<ImageFrame> before = images("before", 8);
        List<ImageFrame> after = images("after", 8);
        Map<String, String> base = options(KAFKA.broker().bootstrapServers(), t, Map.of());
        EdgeJobOptions old = EdgeJobOptions.of(with(base, TransactionNaming.INCREMENTING));
        EdgeJobOptions upgraded = EdgeJobOptions.of(with(base, TransactionNaming.POOLING));

        produceFrames(client(), t.images(), before);
        JobClient first = PipelineHarness.submit(old);
        try {
            awaitCommitted(client(), t.stats(), expectedStats(old, 4), OUTPUT_TIMEOUT, first);
        } catch (Exception | AssertionError e) {
            PipelineHarness.cancel(first);
            throw e;
        }
        String savepoint = PipelineHarness.stopWithSavepoint(first, dir);

        produceFrames(client(), t.images(), after);
        JobClient resumed = PipelineHarness.resume(upgraded, savepoint);
        try {
            awaitCommitted(
                    client(), t.stats(), expectedStats(upgraded, 16), OUTPUT_TIMEOUT, resumed);
        } finally {
            PipelineHarness.cancel(resumed);
        }
        List<ImageFrame> all = new ArrayList<>(before);
        all.addAll(after);
        assertExactlyOnce(client(), t, upgraded.processing(), all);
    }

    private static Map<String, String> with(Map<String, String> base, TransactionNaming naming) {
        Map<String, String> m = new java.util.HashMap<>(base);
        m.put(EdgeJobOptions.SINK_TRANSACTION_NAMING.key(), naming.name());
        return m;
    }

    /** The transactional ids starting with {@code prefix} that the broker holds, in any state. */
    private static Set<String> transactionalIds(String prefix) throws Exception {
        try (Admin admin = Admin.create(client())) {
            return admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                    .map(TransactionListing::transactionalId)
                    .filter(id -> id.startsWith(prefix + "-"))
                    .collect(Collectors.toSet());
        }
    }

    /** {@code n} small RAW images (40x30: 6 tiles of 16x16 output pixels per filter). */
    private static List<ImageFrame> images(String prefix, int n) {
        List<ImageFrame> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            frames.add(
                    TestImages.frame(
                            prefix + "-" + i,
                            ImageEncoding.RAW,
                            PixelFormat.GRAY8,
                            40,
                            30,
                            1,
                            TestImages.rawGray8(40, 30, 17L * i + prefix.hashCode())));
        }
        return frames;
    }

    private static int expectedStats(EdgeJobOptions o, int images) {
        return images * o.processing().filterList().size();
    }
}
