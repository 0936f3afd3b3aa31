package io.edgestream.job.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.job.EdgeJobOptions;
import io.edgestream.job.functions.ProcessingSpec;
import io.edgestream.job.testing.PipelineHarness;
import io.edgestream.job.testing.PipelineHarness.Topics;
import io.edgestream.job.testing.TestImages;
import io.edgestream.schemas.ImageEncoding;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.testing.stack.FlinkRestClient;
import io.edgestream.testing.stack.LocalStack;
import io.edgestream.testing.stack.LocalStackExtension;
import io.edgestream.testing.stack.Waits;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults on the real multi-process stack (broker process, JobManager and two TaskManager JVMs with
 * the shipped memory settings), in the spirit of flink-connector-kafka's own sink tests: a fault
 * hits the job while its Kafka transactions are open, and afterwards a read_committed reader finds
 * every input image exactly once: one EdgeStats per filter, every tile index exactly once, each map
 * equal to the imaging core's whole-image convolution, no dead letters.
 *
 * <p>Input flows while the fault is injected: a camera streams RAW frames at a fixed rate in the
 * background, and a batch of PNG files is sent while the job recovers. The three tests share one
 * stack; each leaves it whole again (a replacement TaskManager, the broker back up).
 */
class StackFaultsITCase {

    @RegisterExtension static final LocalStackExtension STACK = new LocalStackExtension();

    private static final String FILTERS = "sobel,laplacian";
    private static final String TILE_SIZE = "128";
    private static final int PARALLELISM = 4;
    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration OUTPUT = Duration.ofSeconds(240);

    /** The job's options: its own topics and names, 1 s checkpoints; the rest are defaults. */
    private static Map<String, String> options(LocalStack stack, Topics t) {
        Map<String, String> o = JobRun.isolated(stack.bootstrap(), t);
        o.put(EdgeJobOptions.FILTERS.key(), FILTERS);
        o.put(EdgeJobOptions.TILE_SIZE.key(), TILE_SIZE);
        o.put(EdgeJobOptions.CHECKPOINT_INTERVAL_MS.key(), "1000");
        return o;
    }

    /** What the job computes with {@link #options} (only the processing options matter). */
    private static ProcessingSpec spec() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put(EdgeJobOptions.FILTERS.key(), FILTERS);
        o.put(EdgeJobOptions.TILE_SIZE.key(), TILE_SIZE);
        return EdgeJobOptions.of(o).processing();
    }

    private static int filterCount() {
        return spec().filterList().size();
    }

    private static JobRun submit(LocalStack stack, Map<String, String> o, String savepoint) {
        FlinkRestClient.RunRequest r =
                FlinkRestClient.RunRequest.of(JobRun.args(o)).withParallelism(PARALLELISM);
        return JobRun.submit(
                stack, STACK.jarId(), savepoint == null ? r : r.fromSavepoint(savepoint), START);
    }

    /** {@code n} different RGB PNG files of sizes that need several tiles. */
    private static List<ImageFrame> pngBatch(String prefix, int n) {
        List<ImageFrame> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            frames.add(
                    TestImages.frame(
                            prefix + "-" + i,
                            ImageEncoding.PNG,
                            null,
                            0,
                            0,
                            0,
                            TestImages.pngRgb8(
                                    560 + 29 * i, 400 + 17 * i, 977L * i + prefix.hashCode())));
        }
        return frames;
    }

    /** Waits until {@code topic} holds at least {@code count} committed records. */
    private static void awaitCommitted(
            StackKafka kafka, String topic, int count, Duration timeout, JobRun run) {
        int[] seen = {0};
        try (StackKafka.Tail tail = kafka.tail(topic)) {
            Waits.until(
                    count + " committed records on " + topic,
                    timeout,
                    () -> {
                        seen[0] += tail.poll().size();
                        return seen[0] >= count;
                    },
                    () -> "seen " + seen[0] + "; " + run.diagnostics());
        }
    }

    /** Waits until a transaction holding output is open on the maps or stats topic. */
    private static List<TopicPartition> awaitOpenTransaction(StackKafka kafka, Topics t) {
        List<List<TopicPartition>> open = new ArrayList<>(List.of(List.of()));
        Waits.until(
                "an open transaction with output in it",
                Duration.ofSeconds(60),
                () -> {
                    open.set(0, kafka.openTransactions(List.of(t.maps(), t.stats())));
                    return !open.get(0).isEmpty();
                });
        return open.get(0);
    }

    private static void assertExactlyOnce(StackKafka kafka, Topics t, List<ImageFrame> inputs)
            throws Exception {
        PipelineHarness.assertExactlyOnce(kafka.client(), t, spec(), inputs);
    }

    // ---------------------------------------------------------------- (a) TaskManager killed

    /**
     * A TaskManager process is killed with SIGKILL while frames stream in and a transaction holds
     * uncommitted output; a replacement TaskManager is started and PNG files are sent while the job
     * recovers. The job must restart from a checkpoint (not a savepoint), run again on the survivor
     * and the replacement only, complete a new checkpoint, and every image must come out exactly
     * once.
     */
    @Test
    @Timeout(480)
    void everyImageExactlyOnceWhenATaskManagerIsKilledWithATransactionOpen(LocalStack stack)
            throws Exception {
        StackKafka kafka = new StackKafka(stack.bootstrap());
        Topics t = Topics.fresh("tm-kill");
        kafka.createTopics(t, 4);
        JobRun run = submit(stack, options(stack, t), null);

        Map<String, Integer> placement = run.rest().subtasksPerTaskManager(run.id());
        String victim =
                placement.entrySet().stream()
                        .max(
                                Map.Entry.<String, Integer>comparingByValue()
                                        .thenComparing(Map.Entry.comparingByKey()))
                        .orElseThrow()
                        .getKey();
        assertThat(placement).as("subtasks per TaskManager").hasSize(2);
        List<ImageFrame> batchB = pngBatch("tm-kill-b", 10);
        List<ImageFrame> all = new ArrayList<>();
        long killedAt;
        long restartedAt;
        long recoveredAt;
        String replacement;
        try (CameraStream cam =
                new CameraStream(kafka, t.images(), "tm-kill-cam", 45, 3.0, 640, 480)) {
            all.addAll(cam.frames());
            awaitCommitted(kafka, t.stats(), 1, OUTPUT, run);
            List<TopicPartition> open = awaitOpenTransaction(kafka, t);
            boolean flowing = cam.streaming();
            killedAt = System.currentTimeMillis();
            stack.killTaskManager(victim);
            stack.event(
                    "killed "
                            + victim
                            + " with open transactions on "
                            + open
                            + "; camera streaming: "
                            + flowing);
            assertThat(flowing)
                    .as("the camera was still streaming when the TaskManager was killed")
                    .isTrue();
            replacement = stack.startTaskManager();

            PipelineHarness.produceFrames(kafka.client(), t.images(), batchB);
            all.addAll(batchB);

            Waits.until(
                    "a restart of the job after the kill",
                    Duration.ofSeconds(180),
                    () -> run.rest().stateTimestamp(run.id(), "RESTARTING") >= killedAt,
                    run::diagnostics);
            restartedAt = run.rest().stateTimestamp(run.id(), "RESTARTING");
            Waits.until(
                    "the recovery: all tasks RUNNING, a checkpoint restored, a newer one completed",
                    Duration.ofSeconds(180),
                    () -> {
                        if (!run.rest().allTasksRunning(run.id())) {
                            return false;
                        }
                        FlinkRestClient.Checkpoints c = run.rest().checkpoints(run.id());
                        return c.restored() && c.latestCompletedId() > c.restoredId();
                    },
                    run::diagnostics);
            recoveredAt = System.currentTimeMillis();
            FlinkRestClient.Checkpoints c = run.rest().checkpoints(run.id());
            assertThat(c.restoredFromSavepoint())
                    .as("restored from a checkpoint, not a savepoint")
                    .isFalse();
            assertThat(run.restarts()).as("restarts").isGreaterThanOrEqualTo(1);
            Map<String, Integer> after = run.rest().subtasksPerTaskManager(run.id());
            assertThat(after).as("placement after the recovery").doesNotContainKey(victim);
            assertThat(after.keySet())
                    .as("placement after the recovery")
                    .isSubsetOf(stack.rest().taskManagers());
            cam.awaitSent(Duration.ofSeconds(120));
        }
        awaitCommitted(kafka, t.stats(), all.size() * filterCount(), OUTPUT, run);
        run.stopWithSavepoint();
        System.out.printf(
                "TaskManager kill: %s killed, %s started; RESTARTING after %.1f s, running again with a"
                        + " new checkpoint after %.1f s%n",
                victim,
                replacement,
                (restartedAt - killedAt) / 1000.0,
                (recoveredAt - killedAt) / 1000.0);
        assertExactlyOnce(kafka, t, all);
    }

    // ---------------------------------------------------------------- (b) broker down

    /**
     * The broker process is stopped for more than a minute while frames stream in and a transaction
     * is open (longer than the clients' 60 s max.block.ms), then started again; PNG files follow.
     * The job may restart meanwhile, but must not give up: it must be RUNNING afterwards and every
     * image must come out exactly once.
     */
    @Test
    @Timeout(540)
    void everyImageExactlyOnceWhenTheBrokerIsDownForOverAMinute(LocalStack stack) throws Exception {
        StackKafka kafka = new StackKafka(stack.bootstrap());
        Topics t = Topics.fresh("broker-down");
        kafka.createTopics(t, 4);
        JobRun run = submit(stack, options(stack, t), null);
        List<ImageFrame> batchB = pngBatch("broker-down-b", 10);
        List<ImageFrame> all = new ArrayList<>();
        Duration outage = Duration.ofSeconds(65);
        try (CameraStream cam =
                new CameraStream(kafka, t.images(), "broker-down-cam", 60, 2.0, 640, 480)) {
            all.addAll(cam.frames());
            awaitCommitted(kafka, t.stats(), 1, OUTPUT, run);
            List<TopicPartition> open = awaitOpenTransaction(kafka, t);
            boolean flowing = cam.streaming();
            stack.stopBroker();
            long down = System.nanoTime();
            stack.event(
                    "broker stopped with open transactions on "
                            + open
                            + "; camera streaming: "
                            + flowing);
            assertThat(flowing)
                    .as("the camera was still streaming when the broker stopped")
                    .isTrue();
            // The outage itself: its length is the fault, what the job does meanwhile is observed.
            Waits.until(
                    outage.toSeconds() + " s of broker outage",
                    outage.plusSeconds(30),
                    () -> {
                        run.observe();
                        return System.nanoTime() - down >= outage.toNanos();
                    });
            stack.startBroker();
            stack.event("broker back; job states seen during the outage: " + run.statesSeen());
            PipelineHarness.produceFrames(kafka.client(), t.images(), batchB);
            all.addAll(batchB);
            cam.awaitSent(Duration.ofSeconds(300));
        }
        awaitCommitted(kafka, t.stats(), all.size() * filterCount(), Duration.ofSeconds(300), run);
        assertThat(run.observe())
                .as("job state after the outage; " + run.diagnostics())
                .isEqualTo("RUNNING");
        System.out.println("broker outage: " + run.diagnostics());
        run.stopWithSavepoint();
        assertExactlyOnce(kafka, t, all);
    }

    // ---------------------------------------------------------------- (c) restore twice

    /**
     * A retained checkpoint is restored twice: run 1 is cancelled with output in an open
     * transaction and leaves its latest checkpoint C; run 2 restores C, writes output that no
     * checkpoint ever commits (its checkpoint interval is longer than its life) and is cancelled;
     * run 3 restores the same C again and runs to the end. read_committed readers must see every
     * image exactly once: nothing of run 2, nothing lost between C and the end.
     */
    @Test
    @Timeout(540)
    void everyImageExactlyOnceWhenTheSameRetainedCheckpointIsRestoredTwice(LocalStack stack)
            throws Exception {
        StackKafka kafka = new StackKafka(stack.bootstrap());
        Topics t = Topics.fresh("restore-twice");
        kafka.createTopics(t, 4);
        Map<String, String> o = options(stack, t);
        o.put(Expected.CHECKPOINT_RETENTION, Expected.RETAIN_ON_CANCELLATION);
        List<ImageFrame> batchB = pngBatch("restore-twice-b", 10);
        List<ImageFrame> all = new ArrayList<>();
        JobRun run1 = submit(stack, o, null);
        try (CameraStream cam =
                new CameraStream(kafka, t.images(), "restore-twice-cam", 45, 3.0, 640, 480)) {
            all.addAll(cam.frames());
            awaitCommitted(kafka, t.stats(), 1, OUTPUT, run1);
            List<TopicPartition> open = awaitOpenTransaction(kafka, t);
            run1.cancel();
            FlinkRestClient.Checkpoints c1 = run1.rest().checkpoints(run1.id());
            stack.event("run 1 cancelled with open transactions on " + open + "; " + c1);
            String checkpoint = c1.latestCompletedPath();
            assertThat(checkpoint).as("run 1's latest completed checkpoint; " + c1).isNotNull();
            Path metadata = Path.of(URI.create(checkpoint)).resolve("_metadata");
            assertThat(Files.isRegularFile(metadata))
                    .as(
                            "checkpoint %s is retained after the job was cancelled (%s)",
                            checkpoint, metadata)
                    .isTrue();

            long before = kafka.uncommittedReaderCount(t.stats());
            Map<String, String> o2 = new LinkedHashMap<>(o);
            o2.put(EdgeJobOptions.CHECKPOINT_INTERVAL_MS.key(), "300000");
            JobRun run2 = submit(stack, o2, checkpoint);
            assertThat(run2.rest().checkpoints(run2.id()).restoredPath())
                    .as("run 2 restored from")
                    .isEqualTo(checkpoint);
            Waits.until(
                    "run 2 to write output (read_uncommitted sees more EdgeStats than before it)",
                    OUTPUT,
                    () -> kafka.uncommittedReaderCount(t.stats()) > before,
                    run2::diagnostics);
            run2.cancel();
            FlinkRestClient.Checkpoints c2 = run2.rest().checkpoints(run2.id());
            stack.event("run 2 cancelled: " + c2);
            assertThat(c2.completed())
                    .as("checkpoints run 2 completed before it was cancelled (the test needs none)")
                    .isZero();
            assertThat(Files.isRegularFile(metadata))
                    .as("checkpoint %s still exists after run 2 restored it", checkpoint)
                    .isTrue();

            PipelineHarness.produceFrames(kafka.client(), t.images(), batchB);
            all.addAll(batchB);
            JobRun run3 = submit(stack, o, checkpoint);
            assertThat(run3.rest().checkpoints(run3.id()).restoredPath())
                    .as("run 3 restored from")
                    .isEqualTo(checkpoint);
            cam.awaitSent(Duration.ofSeconds(120));
            awaitCommitted(kafka, t.stats(), all.size() * filterCount(), OUTPUT, run3);
            assertThat(run3.restarts()).as("restarts of run 3; " + run3.diagnostics()).isZero();
            run3.stopWithSavepoint();
        }
        assertExactlyOnce(kafka, t, all);
    }
}
