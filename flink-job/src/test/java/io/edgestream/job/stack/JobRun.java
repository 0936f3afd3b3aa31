package io.edgestream.job.stack;

import io.edgestream.job.EdgeJobOptions;
import io.edgestream.job.testing.PipelineHarness.Topics;
import io.edgestream.testing.stack.FlinkRestClient;
import io.edgestream.testing.stack.LocalStack;
import io.edgestream.testing.stack.Waits;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One run of the edge job on a {@link LocalStack}: submitted over REST from the uploaded shaded jar
 * with program arguments, then observed (states seen, restarts, exception history) and ended
 * (cancel or stop with savepoint).
 */
final class JobRun {
    private final LocalStack stack;
    private final String jobId;
    private final Set<String> statesSeen = new LinkedHashSet<>();

    private JobRun(LocalStack stack, String jobId) {
        this.stack = stack;
        this.jobId = jobId;
    }

    /** Job options that give a test its own topics, consumer group, job name and transactions. */
    static Map<String, String> isolated(String bootstrap, Topics t) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(EdgeJobOptions.BOOTSTRAP_SERVERS.key(), bootstrap);
        m.put(EdgeJobOptions.TOPIC_IMAGES.key(), t.images());
        m.put(EdgeJobOptions.TOPIC_MAPS.key(), t.maps());
        m.put(EdgeJobOptions.TOPIC_STATS.key(), t.stats());
        m.put(EdgeJobOptions.TOPIC_DLQ.key(), t.dlq());
        m.put(EdgeJobOptions.GROUP_ID.key(), t.id());
        m.put(EdgeJobOptions.JOB_NAME.key(), t.id());
        return m;
    }

    /** {@code --name value} program arguments. */
    static List<String> args(Map<String, String> options) {
        List<String> a = new ArrayList<>();
        options.forEach(
                (k, v) -> {
                    a.add("--" + k);
                    a.add(v);
                });
        return a;
    }

    /**
     * Runs the uploaded job jar with {@code request} and waits until the job and all its tasks are
     * RUNNING.
     *
     * @throws AssertionError if the job's main() rejects the run, or the job does not come up
     */
    static JobRun submit(
            LocalStack stack, String jarId, FlinkRestClient.RunRequest request, Duration timeout) {
        String jobId;
        try {
            jobId = stack.rest().run(jarId, request);
        } catch (IOException e) {
            throw new AssertionError(
                    "the cluster did not start the job with "
                            + request.programArgs()
                            + (request.savepointPath() == null
                                    ? ""
                                    : " from " + request.savepointPath())
                            + ": "
                            + e.getMessage(),
                    e);
        }
        stack.event("submitted job " + jobId + " " + request);
        JobRun run = new JobRun(stack, jobId);
        Waits.until(
                "job " + jobId + " and all its tasks to run",
                timeout,
                () -> {
                    run.observe();
                    if (run.terminal()) {
                        throw new AssertionError("job " + jobId + " ended: " + run.diagnostics());
                    }
                    return stack.rest().allTasksRunning(jobId);
                },
                run::diagnostics);
        return run;
    }

    String id() {
        return jobId;
    }

    FlinkRestClient rest() {
        return stack.rest();
    }

    /** Samples the job's state into {@link #statesSeen()}; returns it. */
    String observe() throws IOException {
        String s = stack.rest().state(jobId);
        statesSeen.add(s);
        return s;
    }

    Set<String> statesSeen() {
        return statesSeen;
    }

    boolean terminal() throws IOException {
        return FlinkRestClient.TERMINAL.contains(stack.rest().state(jobId));
    }

    long restarts() throws IOException {
        return stack.rest().restarts(jobId);
    }

    List<FlinkRestClient.JobException> exceptions() throws IOException {
        return stack.rest().exceptions(jobId);
    }

    /**
     * Healthy as the hostile-input test demands: RUNNING, never restarted, nothing in the exception
     * history.
     */
    boolean healthy() throws IOException {
        return "RUNNING".equals(observe()) && restarts() == 0 && exceptions().isEmpty();
    }

    /** State, restarts and the exception history (what failed, and why), for failure messages. */
    String diagnostics() {
        StringBuilder sb = new StringBuilder("job " + jobId + ": ");
        try {
            sb.append("state ").append(stack.rest().state(jobId));
            sb.append(", states seen ").append(statesSeen);
            sb.append(", restarts ").append(restarts());
            List<FlinkRestClient.JobException> ex = exceptions();
            sb.append(", ").append(ex.size()).append(" exception(s) in the history");
            for (int i = 0; i < Math.min(3, ex.size()); i++) {
                sb.append("\n  ").append(ex.get(i).summary());
            }
        } catch (IOException | RuntimeException e) {
            sb.append("(REST API: ").append(e.getMessage()).append(")");
        }
        return sb.toString();
    }

    void cancel() throws IOException {
        stack.event("cancel job " + jobId);
        stack.rest().cancel(jobId, Duration.ofSeconds(120));
    }

    String stopWithSavepoint() throws IOException {
        stack.event("stop job " + jobId + " with a savepoint");
        return stack.rest().stopWithSavepoint(jobId, Duration.ofSeconds(180));
    }

    /** Stops the job with a savepoint if it runs, else cancels it if it is not over. */
    void end() throws IOException {
        String s = stack.rest().state(jobId);
        if ("RUNNING".equals(s)) {
            try {
                stopWithSavepoint();
                return;
            } catch (IOException | AssertionError e) {
                stack.event("stop-with-savepoint failed (" + e.getMessage() + "); cancelling");
            }
        }
        if (!FlinkRestClient.TERMINAL.contains(stack.rest().state(jobId))) {
            cancel();
        }
    }
}
