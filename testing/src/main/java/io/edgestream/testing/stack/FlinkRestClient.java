package io.edgestream.testing.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The Flink REST API of a session cluster, as the stack tests use it: upload a jar and run it with
 * program arguments (optionally from a savepoint or retained checkpoint), read a job's status,
 * exception history, restarts, checkpoints and placement, cancel it or stop it with a savepoint.
 * The same calls as {@code scripts/submit-job.sh}, from Java.
 */
public final class FlinkRestClient {
    /** Job states from which a job never leaves. */
    public static final Set<String> TERMINAL = Set.of("FINISHED", "CANCELED", "FAILED");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient http;

    FlinkRestClient(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
    }

    public String base() {
        return base;
    }

    /** An error answer of the REST API: status code and the {@code errors} it listed. */
    public static final class RestException extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        RestException(String request, int status, String body) {
            super(request + " answered HTTP " + status + ": " + summarize(body));
            this.status = status;
        }

        /** The errors list of Flink's error body, with stack frames dropped. */
        private static String summarize(String body) {
            try {
                JsonNode errors = JSON.readTree(body).path("errors");
                StringBuilder sb = new StringBuilder();
                for (JsonNode e : errors) {
                    for (String line : e.asText().split("\n")) {
                        String t = line.strip();
                        if (t.startsWith("at ") || t.startsWith("...") || t.isEmpty()) {
                            continue;
                        }
                        sb.append(sb.length() == 0 ? "" : " | ").append(t);
                    }
                }
                return sb.length() > 0 ? abbreviate(sb.toString(), 4000) : abbreviate(body, 2000);
            } catch (IOException | RuntimeException e) {
                return abbreviate(body, 2000);
            }
        }
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + " ...";
    }

    // ---------------------------------------------------------------- plumbing

    public JsonNode get(String path) throws IOException {
        return send("GET " + path, request(path).GET(), Duration.ofSeconds(30));
    }

    private JsonNode postJson(String path, JsonNode body) throws IOException {
        return send(
                "POST " + path,
                request(path)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))),
                Duration.ofSeconds(180));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path));
    }

    private JsonNode send(String what, HttpRequest.Builder req, Duration timeout)
            throws IOException {
        HttpResponse<String> resp;
        try {
            resp = http.send(req.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + what, e);
        }
        if (resp.statusCode() / 100 != 2) {
            throw new RestException(what, resp.statusCode(), resp.body());
        }
        String body = resp.body();
        return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    }

    // ---------------------------------------------------------------- jars and submission

    /** Uploads a jar ({@code POST /jars/upload}) and returns its id on the cluster. */
    public String uploadJar(Path jar) throws IOException {
        String boundary = "----edgestream-" + UUID.randomUUID();
        byte[] head =
                ("--"
                                + boundary
                                + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                                + jar.getFileName()
                                + "\"\r\nContent-Type: application/java-archive\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        JsonNode r =
                send(
                        "POST /jars/upload",
                        request("/jars/upload")
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(
                                        HttpRequest.BodyPublishers.ofByteArrays(
                                                List.of(head, Files.readAllBytes(jar), tail))),
                        Duration.ofSeconds(180));
        if (!"success".equals(r.path("status").asText())) {
            throw new IOException("uploading " + jar + " failed: " + r);
        }
        String filename = r.path("filename").asText();
        return filename.substring(filename.lastIndexOf('/') + 1);
    }

    public void deleteJar(String jarId) throws IOException {
        send("DELETE /jars/" + jarId, request("/jars/" + jarId).DELETE(), Duration.ofSeconds(30));
    }

    /**
     * What {@code POST /jars/:id/run} is asked to do; {@code entryClass} null means the jar
     * manifest's Main-Class.
     */
    public record RunRequest(
            List<String> programArgs,
            Integer parallelism,
            String savepointPath,
            Map<String, String> flinkConfiguration,
            String entryClass) {
        public static RunRequest of(List<String> args) {
            return new RunRequest(args, null, null, Map.of(), null);
        }

        public RunRequest withParallelism(int p) {
            return new RunRequest(programArgs, p, savepointPath, flinkConfiguration, entryClass);
        }

        /** Restores from a savepoint or a retained checkpoint (its external path). */
        public RunRequest fromSavepoint(String path) {
            return new RunRequest(programArgs, parallelism, path, flinkConfiguration, entryClass);
        }

        public RunRequest withFlinkConfiguration(Map<String, String> conf) {
            return new RunRequest(programArgs, parallelism, savepointPath, conf, entryClass);
        }

        /** Runs {@code className}'s main() instead of the manifest's Main-Class. */
        public RunRequest withEntryClass(String className) {
            return new RunRequest(
                    programArgs, parallelism, savepointPath, flinkConfiguration, className);
        }
    }

    /**
     * Runs an uploaded jar's main() in the JobManager ({@code POST /jars/:id/run}) and returns the
     * job id. A main() that throws (e.g. rejected options) comes back as a {@link RestException}
     * whose message carries the job's own error text.
     */
    public String run(String jarId, RunRequest r) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode args = body.putArray("programArgsList");
        r.programArgs().forEach(args::add);
        if (r.parallelism() != null) {
            body.put("parallelism", r.parallelism());
        }
        if (r.entryClass() != null) {
            body.put("entryClass", r.entryClass());
        }
        if (r.savepointPath() != null) {
            body.put("savepointPath", r.savepointPath());
            body.put("allowNonRestoredState", false);
        }
        if (!r.flinkConfiguration().isEmpty()) {
            ObjectNode conf = body.putObject("flinkConfiguration");
            r.flinkConfiguration().forEach(conf::put);
        }
        return postJson("/jars/" + jarId + "/run", body).path("jobid").asText();
    }

    // ---------------------------------------------------------------- jobs

    public JsonNode job(String jobId) throws IOException {
        return get("/jobs/" + jobId);
    }

    public String state(String jobId) throws IOException {
        return job(jobId).path("state").asText();
    }

    /** Job ids and states of every job the cluster knows ({@code GET /jobs/overview}). */
    public Map<String, String> jobs() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode j : get("/jobs/overview").path("jobs")) {
            out.put(j.path("jid").asText(), j.path("state").asText());
        }
        return out;
    }

    /** True if the job is RUNNING and so is every one of its tasks. */
    public boolean allTasksRunning(String jobId) throws IOException {
        JsonNode j = job(jobId);
        if (!"RUNNING".equals(j.path("state").asText())) {
            return false;
        }
        for (JsonNode v : j.path("vertices")) {
            if (!"RUNNING".equals(v.path("status").asText())) {
                return false;
            }
        }
        return true;
    }

    /** When the job last entered {@code state} (ms since the epoch), 0 if never. */
    public long stateTimestamp(String jobId, String state) throws IOException {
        return job(jobId).path("timestamps").path(state).asLong(0);
    }

    /** One entry of the exception history. */
    public record JobException(
            String name, String task, String location, long timestamp, String trace) {
        /** The first line of the trace and every "Caused by" line: what failed and why. */
        public String summary() {
            StringBuilder sb = new StringBuilder();
            for (String line : trace.split("\n")) {
                String t = line.strip();
                if (sb.length() == 0 || t.startsWith("Caused by:")) {
                    sb.append(sb.length() == 0 ? "" : "\n    ").append(t);
                }
            }
            return (task == null || task.isEmpty() ? "" : "[" + task + " @ " + location + "] ")
                    + sb;
        }
    }

    /** The job's exception history ({@code GET /jobs/:id/exceptions}), newest first. */
    public List<JobException> exceptions(String jobId) throws IOException {
        JsonNode r = get("/jobs/" + jobId + "/exceptions?maxExceptions=20");
        List<JobException> out = new ArrayList<>();
        for (JsonNode e : r.path("exceptionHistory").path("entries")) {
            out.add(
                    new JobException(
                            e.path("exceptionName").asText(),
                            e.path("taskName").asText(null),
                            e.path("endpoint").asText(e.path("location").asText("")),
                            e.path("timestamp").asLong(),
                            e.path("stacktrace").asText("")));
        }
        return out;
    }

    /**
     * How often the job restarted: the JobManager's {@code numRestarts} metric (refreshed by the
     * REST API every few seconds), at least 1 once the job has been RESTARTING.
     */
    public long restarts(String jobId) throws IOException {
        long metric = 0;
        for (JsonNode m : get("/jobs/" + jobId + "/metrics?get=numRestarts")) {
            metric = Math.max(metric, (long) Double.parseDouble(m.path("value").asText("0")));
        }
        return Math.max(metric, stateTimestamp(jobId, "RESTARTING") > 0 ? 1 : 0);
    }

    /** Cancels the job ({@code PATCH /jobs/:id?mode=cancel}) and waits until it is CANCELED. */
    public void cancel(String jobId, Duration timeout) throws IOException {
        String s = state(jobId);
        if (!TERMINAL.contains(s)) {
            send(
                    "PATCH /jobs/" + jobId + "?mode=cancel",
                    request("/jobs/" + jobId + "?mode=cancel")
                            .method("PATCH", HttpRequest.BodyPublishers.noBody()),
                    Duration.ofSeconds(30));
        }
        Waits.until(
                "job " + jobId + " to be canceled",
                timeout,
                () -> TERMINAL.contains(state(jobId)),
                () -> "state " + safeState(jobId));
    }

    /**
     * Stops the job with a savepoint ({@code POST /jobs/:id/stop}), waits until the savepoint is
     * complete and the job FINISHED, and returns the savepoint's path.
     */
    public String stopWithSavepoint(String jobId, Duration timeout) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("drain", false);
        body.put("formatType", "CANONICAL");
        String trigger = postJson("/jobs/" + jobId + "/stop", body).path("request-id").asText();
        JsonNode[] result = {null};
        Waits.until(
                "the stop-with-savepoint of job " + jobId,
                timeout,
                () -> {
                    JsonNode r = get("/jobs/" + jobId + "/savepoints/" + trigger);
                    result[0] = r;
                    return "COMPLETED".equals(r.path("status").path("id").asText());
                },
                () -> "last answer " + result[0] + ", job state " + safeState(jobId));
        JsonNode op = result[0].path("operation");
        if (op.has("failure-cause")) {
            throw new IOException(
                    "stop-with-savepoint of job "
                            + jobId
                            + " failed: "
                            + abbreviate(
                                    op.path("failure-cause").path("stack-trace").asText(), 3000));
        }
        Waits.until(
                "job " + jobId + " to finish after its savepoint",
                timeout,
                () -> TERMINAL.contains(state(jobId)),
                () -> "state " + safeState(jobId));
        return op.path("location").asText();
    }

    public String safeState(String jobId) {
        try {
            return state(jobId);
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    // ---------------------------------------------------------------- checkpoints

    /** What {@code GET /jobs/:id/checkpoints} says. */
    public record Checkpoints(
            long completed,
            long failed,
            long inProgress,
            long latestCompletedId,
            String latestCompletedPath,
            long restoredId,
            String restoredPath,
            boolean restoredFromSavepoint) {
        public boolean restored() {
            return restoredPath != null;
        }
    }

    public Checkpoints checkpoints(String jobId) throws IOException {
        JsonNode r = get("/jobs/" + jobId + "/checkpoints");
        JsonNode counts = r.path("counts");
        JsonNode completed = r.path("latest").path("completed");
        JsonNode restored = r.path("latest").path("restored");
        boolean hasCompleted = completed.isObject();
        boolean hasRestored = restored.isObject();
        return new Checkpoints(
                counts.path("completed").asLong(),
                counts.path("failed").asLong(),
                counts.path("in_progress").asLong(),
                hasCompleted ? completed.path("id").asLong() : -1,
                hasCompleted ? completed.path("external_path").asText(null) : null,
                hasRestored ? restored.path("id").asLong() : -1,
                hasRestored ? restored.path("external_path").asText(null) : null,
                hasRestored && restored.path("is_savepoint").asBoolean());
    }

    // ---------------------------------------------------------------- task managers

    /** Ids of the registered TaskManagers (their resource ids, e.g. taskmanager-1). */
    public List<String> taskManagers() throws IOException {
        List<String> ids = new ArrayList<>();
        for (JsonNode t : get("/taskmanagers").path("taskmanagers")) {
            ids.add(t.path("id").asText());
        }
        return ids;
    }

    /** Free slots over all registered TaskManagers. */
    public int freeSlots() throws IOException {
        return get("/overview").path("slots-available").asInt();
    }

    /** The TaskManager's memory configuration ({@code GET /taskmanagers/:id}), in bytes. */
    public Map<String, Long> taskManagerMemory(String id) throws IOException {
        Map<String, Long> out = new LinkedHashMap<>();
        JsonNode t = get("/taskmanagers/" + id);
        t.path("memoryConfiguration")
                .fields()
                .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
        out.put("slots", t.path("slotsNumber").asLong());
        return out;
    }

    /** How many of the job's subtasks each TaskManager runs, over all operators. */
    public Map<String, Integer> subtasksPerTaskManager(String jobId) throws IOException {
        Map<String, Integer> count = new LinkedHashMap<>();
        for (JsonNode v : job(jobId).path("vertices")) {
            JsonNode tms =
                    get("/jobs/" + jobId + "/vertices/" + v.path("id").asText() + "/taskmanagers");
            for (JsonNode t : tms.path("taskmanagers")) {
                int n = 0;
                for (JsonNode c : t.path("status-counts")) {
                    n += c.asInt();
                }
                count.merge(t.path("taskmanager-id").asText(), n, Integer::sum);
            }
        }
        return count;
    }

    /**
     * A metric of one operator summed over its subtasks, e.g. {@code
     * decode_and_tile.edgestream.imagesIn} (the REST API serves values up to a few seconds old).
     */
    public Optional<Double> operatorMetricSum(String jobId, String metricSuffix)
            throws IOException {
        for (JsonNode v : job(jobId).path("vertices")) {
            String vid = v.path("id").asText();
            for (JsonNode m : get("/jobs/" + jobId + "/vertices/" + vid + "/subtasks/metrics")) {
                String id = m.path("id").asText();
                if (id.endsWith(metricSuffix)) {
                    JsonNode r =
                            get(
                                    "/jobs/"
                                            + jobId
                                            + "/vertices/"
                                            + vid
                                            + "/subtasks/metrics?agg=sum&get="
                                            + URLEncoder.encode(id, StandardCharsets.UTF_8));
                    for (JsonNode x : r) {
                        return Optional.of(x.path("sum").asDouble());
                    }
                }
            }
        }
        return Optional.empty();
    }
}
