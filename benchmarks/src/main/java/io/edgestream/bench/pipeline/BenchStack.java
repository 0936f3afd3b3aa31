package io.edgestream.bench.pipeline;

import io.edgestream.schemas.kafka.RecordLimits;
import io.edgestream.testing.stack.FlinkRestClient;
import io.edgestream.testing.stack.LocalStack;
import io.edgestream.testing.stack.OsProcesses;
import io.edgestream.testing.stack.Waits;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The benchmark's own local stack (a broker process and a Flink session cluster started by the
 * stack scripts through {@link LocalStack}, on free ports, under {@code <out>/stacks/}) and what a
 * run does with it: topics, submitting a jar's job through the REST API, waiting for it to run,
 * cancelling it, and the processes whose CPU time is measured.
 */
final class BenchStack implements AutoCloseable {
    private final LocalStack stack;
    private final Admin admin;
    private final Map<Path, String> jars = new LinkedHashMap<>();

    private BenchStack(LocalStack stack) {
        this.stack = stack;
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap());
        this.admin = Admin.create(p);
    }

    /**
     * Starts a stack of {@code taskManagers} x {@code slots} with {@code environment} on top of the
     * scripts' (TaskManager size, the JDK first on PATH).
     */
    static BenchStack start(
            Path dir, String name, int taskManagers, int slots, Map<String, String> environment)
            throws IOException {
        return new BenchStack(
                LocalStack.start(
                        dir, name, new LocalStack.Settings(taskManagers, slots, environment)));
    }

    String bootstrap() {
        return stack.bootstrap();
    }

    FlinkRestClient rest() {
        return stack.rest();
    }

    Path dir() {
        return stack.dir();
    }

    /** Creates topics with {@code partitions} partitions that take whole images. */
    void createTopics(int partitions, String... names) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        for (String n : names) {
            topics.add(
                    new NewTopic(n, partitions, (short) 1)
                            .configs(
                                    Map.of(
                                            "max.message.bytes",
                                            String.valueOf(RecordLimits.TOPIC_MAX_MESSAGE_BYTES))));
        }
        admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        // A producer that writes before the broker leads the new partitions gets
        // NOT_LEADER_OR_FOLLOWER, and an idempotent one can then stall on sequence errors.
        Waits.until(
                "the new topics' partitions to have a leader",
                Duration.ofSeconds(60),
                () ->
                        admin
                                .describeTopics(List.of(names))
                                .allTopicNames()
                                .get(30, TimeUnit.SECONDS)
                                .values()
                                .stream()
                                .allMatch(
                                        d ->
                                                d.partitions().stream()
                                                        .allMatch(
                                                                p ->
                                                                        p.leader() != null
                                                                                && !p.leader()
                                                                                        .isEmpty())));
    }

    /** Deletes those of {@code names} that exist (their data is freed by the broker). */
    void deleteTopics(String... names) throws Exception {
        Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
        List<String> present = java.util.Arrays.stream(names).filter(existing::contains).toList();
        if (!present.isEmpty()) {
            admin.deleteTopics(present).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** The sum of the end offsets of {@code topic}'s partitions: how many records it holds. */
    long endOffsets(String topic) throws Exception {
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec>
                want = new LinkedHashMap<>();
        for (var p :
                admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS)
                        .get(topic)
                        .partitions()) {
            want.put(
                    new org.apache.kafka.common.TopicPartition(topic, p.partition()),
                    org.apache.kafka.clients.admin.OffsetSpec.latest());
        }
        long sum = 0;
        for (var e : admin.listOffsets(want).all().get(30, TimeUnit.SECONDS).values()) {
            sum += e.offset();
        }
        return sum;
    }

    /**
     * Submits {@code entryClass} of {@code jar} (uploaded once) with {@code args}, waits until all
     * its tasks run and returns the job id and the moment they were seen running.
     *
     * @throws FlinkRestClient.RestException if the job's main() refused the options (the message
     *     carries its error)
     */
    Submitted submit(Path jar, String entryClass, List<String> args, int parallelism)
            throws IOException {
        String jarId = jars.get(jar);
        if (jarId == null) {
            jarId = stack.rest().uploadJar(jar);
            jars.put(jar, jarId);
        }
        String job =
                stack.rest()
                        .run(
                                jarId,
                                FlinkRestClient.RunRequest.of(args)
                                        .withParallelism(parallelism)
                                        .withEntryClass(entryClass));
        Waits.until(
                "job " + job + " to run all its tasks",
                Duration.ofSeconds(120),
                () -> {
                    checkAlive(job);
                    return stack.rest().allTasksRunning(job);
                },
                () -> "state " + stack.rest().safeState(job));
        return new Submitted(job, System.currentTimeMillis());
    }

    /** A submitted job and when it was seen running. */
    record Submitted(String jobId, long runningSinceMs) {}

    /** Throws with the job's exceptions if it has stopped (failed, finished or was cancelled). */
    void checkAlive(String job) throws IOException {
        String state = stack.rest().state(job);
        if (FlinkRestClient.TERMINAL.contains(state)
                || state.equals("RESTARTING")
                || state.equals("FAILING")) {
            StringBuilder sb = new StringBuilder("job " + job + " is " + state);
            for (FlinkRestClient.JobException e : stack.rest().exceptions(job)) {
                sb.append("\n  ").append(e.summary());
            }
            throw new IllegalStateException(sb + "\n(logs: " + stack.dir().resolve("logs") + ")");
        }
    }

    void cancel(String job) throws IOException {
        stack.rest().cancel(job, Duration.ofSeconds(90));
    }

    /**
     * The CPU time of the stack's processes by role ({@code broker}, {@code taskmanagers}, {@code
     * jobmanager}), plus {@code extra} roles (e.g. the Python peer's processes).
     */
    CpuTimes cpu(Map<String, List<Long>> extra) throws IOException {
        Map<String, List<Long>> roles = new LinkedHashMap<>();
        roles.put("broker", List.of(stack.brokerPid()));
        List<Long> tms = new ArrayList<>();
        for (String id : stack.liveTaskManagers()) {
            tms.add(stack.taskManagerPid(id));
        }
        roles.put("taskmanagers", tms);
        roles.put("jobmanager", List.of(stack.jobManagerPid()));
        roles.putAll(extra);
        return new CpuTimes(roles, CpuTimes.clockTicksPerSecond());
    }

    long brokerPid() {
        return stack.brokerPid();
    }

    /** The -Xmx of the first TaskManager's JVM (its command line), e.g. {@code -Xmx1073741824}. */
    String taskManagerXmx() throws IOException {
        String id = stack.liveTaskManagers().get(0);
        return OsProcesses.argv(stack.taskManagerPid(id)).orElse(List.of()).stream()
                .filter(a -> a.startsWith("-Xmx"))
                .findFirst()
                .orElse("?");
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(10));
        stack.close();
        // The broker's data is gigabytes of maps; the logs stay for inspection.
        stack.deleteData();
    }
}
