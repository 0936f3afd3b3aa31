package io.edgestream.testing.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real multi-process stack for one test class: a Kafka broker process ({@code
 * scripts/kafka-local.sh}, KRaft) and a Flink standalone session cluster (JobManager plus N
 * TaskManager JVMs, {@code scripts/flink-local.sh}) with the scripts' shipped memory settings, on
 * free loopback ports, with all its state, logs and PID files in its own directory under {@code
 * target/stacks/} ({@code EDGESTREAM_LOCAL_DIR}); the jars come from the shared {@code
 * <repo>/.local/lib} ({@code EDGESTREAM_LIB_DIR}, fetched once by the scripts).
 *
 * <p>The stack is driven exactly as a user drives it: the scripts are run with {@link
 * ProcessBuilder}, their output goes to {@code <dir>/harness/}. On top of that it can kill a
 * TaskManager with SIGKILL and start a replacement, stop and restart the broker, and {@link
 * #close()} stops everything by recorded PID and then checks that no process of the stack is left
 * (any that is, is killed and reported as a failure).
 *
 * <p>Not JUnit-specific: {@link LocalStackExtension} binds one to a test class.
 */
public final class LocalStack implements AutoCloseable {
    /**
     * Shape of the cluster, and the environment the scripts get on top of the stack's own (empty
     * for the tests: memory stays at stack/stack.env's sizes). The pipeline benchmark uses it to
     * size the TaskManagers ({@code FLINK_TM_MEMORY}) and to put another JDK first on {@code PATH}.
     */
    public record Settings(
            int taskManagers, int slotsPerTaskManager, Map<String, String> environment) {
        public Settings {
            environment = Map.copyOf(environment);
        }

        /** A cluster of this shape with the shipped sizes. */
        public Settings(int taskManagers, int slotsPerTaskManager) {
            this(taskManagers, slotsPerTaskManager, Map.of());
        }

        /** What {@code flink-local.sh start} starts by default: 2 TaskManagers x 2 slots. */
        public static Settings defaults() {
            return new Settings(2, 2);
        }
    }

    static final String TM_CLASS = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    static final String JM_CLASS =
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    static final String KAFKA_CLASS = "kafka.Kafka";

    /**
     * Environment the scripts read for sizes: removed so the shipped defaults (stack/stack.env)
     * apply.
     */
    private static final List<String> SIZE_VARIABLES =
            List.of(
                    "KAFKA_HEAP",
                    "FLINK_JM_MEMORY",
                    "FLINK_TM_MEMORY",
                    "FLINK_TM_MANAGED_FRACTION",
                    "FLINK_TASKMANAGERS",
                    "FLINK_SLOTS",
                    "FLINK_VECTOR_OPTS",
                    "EDGESTREAM_MAX_MESSAGE_BYTES",
                    "EDGESTREAM_SOCKET_REQUEST_MAX_BYTES",
                    "EDGESTREAM_REPLICA_FETCH_RESPONSE_MAX_BYTES",
                    "EDGESTREAM_TRANSACTION_MAX_TIMEOUT_MS",
                    "KAFKA_CONTROLLER_PORT",
                    "KAFKA_BOOTSTRAP",
                    "FLINK_PROMETHEUS_JM_PORT",
                    "FLINK_PROMETHEUS_TM_PORTS",
                    "FLINK_REST");

    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(5);

    private final Path repo;
    private final Path dir;
    private final Path lib;
    private final Settings settings;
    private final Path harness;
    private int kafkaPort;
    private int controllerPort;
    private int restPort;
    private int rpcPort;
    private int prometheusJobManagerPort;
    private List<Integer> prometheusTaskManagerPorts = List.of();
    private FlinkRestClient rest;
    private int scriptRuns;
    private boolean closed;
    private final Thread shutdownHook;

    private LocalStack(Path repo, Path dir, Settings settings) {
        this.repo = repo;
        this.dir = dir;
        this.lib = repo.resolve(".local").resolve("lib");
        this.settings = settings;
        this.harness = dir.resolve("harness");
        this.shutdownHook = new Thread(this::stopQuietly, "stop stack " + dir.getFileName());
    }

    // ---------------------------------------------------------------- what must exist

    /**
     * Why no stack can exist on this machine at all (a tool the scripts need is missing), or empty
     * if it can. A missing job jar is not such a reason: that is a build error.
     */
    public static Optional<String> unavailableReason() {
        if (!OsProcesses.available()) {
            return Optional.of("no /proc file system: the stack scripts identify processes there");
        }
        for (String tool : List.of("bash", "curl", "python3")) {
            if (!onPath(tool)) {
                return Optional.of(
                        "'"
                                + tool
                                + "' is not on PATH: the stack scripts need bash, curl and python3"
                                + " (apt-get install -y curl python3)");
            }
        }
        Path repo = repoRoot();
        Path lib = repo.resolve(".local/lib");
        boolean fetched =
                Files.isRegularFile(lib.resolve("flink/.fetched-version"))
                        && Files.isRegularFile(lib.resolve("kafka/.fetched-version"));
        if (!fetched && !onPath("mvn")) {
            return Optional.of(
                    "the Flink and Kafka jars are not in "
                            + lib
                            + " and 'mvn' (which fetches them) is not on PATH");
        }
        return Optional.empty();
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    /** The repository root: the first directory upwards that has scripts/flink-local.sh. */
    public static Path repoRoot() {
        Path p = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        for (Path d = p.toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("scripts/flink-local.sh"))) {
                return d;
            }
        }
        throw new IllegalStateException("no scripts/flink-local.sh above " + p.toAbsolutePath());
    }

    /**
     * The shaded job jar built by {@code package}
     * (flink-job/target/edgestream-flink-job-*-job.jar).
     */
    public static Path jobJar() {
        Path target = repoRoot().resolve("flink-job/target");
        List<Path> jars;
        try (Stream<Path> s = Files.list(target)) {
            jars =
                    s.filter(
                                    p -> {
                                        String n = p.getFileName().toString();
                                        return n.startsWith("edgestream-flink-job-")
                                                && n.endsWith("-job.jar");
                                    })
                            .toList();
        } catch (IOException e) {
            jars = List.of();
        }
        if (jars.size() != 1) {
            throw new IllegalStateException(
                    "want exactly one job jar at "
                            + target
                            + "/edgestream-flink-job-*-job.jar, found "
                            + jars
                            + ": build it with 'mvn -pl flink-job -am package' (failsafe runs after"
                            + " package, so 'mvn verify' does)");
        }
        return jars.get(0);
    }

    // ---------------------------------------------------------------- start

    /**
     * Starts a broker and a session cluster for {@code name} (a test class), in a fresh directory
     * under target/stacks of the module whose tests run (Maven runs them in the module's
     * directory). Stacks of earlier runs whose test JVM died are stopped first.
     */
    public static LocalStack start(String name, Settings settings) throws IOException {
        return start(Path.of("target", "stacks"), name, settings);
    }

    /**
     * Starts a broker and a session cluster for {@code name} in a fresh directory under {@code
     * stacks}; stacks there whose owning JVM died are stopped first.
     */
    public static LocalStack start(Path stacks, String name, Settings settings) throws IOException {
        Path repo = repoRoot();
        stacks = stacks.toAbsolutePath();
        Files.createDirectories(stacks);
        stopOrphans(repo, stacks);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("MMdd-HHmmss"));
        Path dir = stacks.resolve(name + "-" + stamp + "-" + ProcessHandle.current().pid());
        Files.createDirectories(dir.resolve("harness"));
        Files.writeString(dir.resolve("owner.pid"), ProcessHandle.current().pid() + "\n");
        LocalStack s = new LocalStack(repo, dir, settings);
        Runtime.getRuntime().addShutdownHook(s.shutdownHook);
        try {
            s.startAll();
        } catch (IOException | RuntimeException | Error e) {
            s.event("start failed: " + e);
            try {
                s.close();
            } catch (RuntimeException | Error cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return s;
    }

    private void startAll() throws IOException {
        // Ports are free when picked; another process may take one before the scripts bind it
        // (the scripts then refuse with "in use"): pick again, at most twice more.
        for (int attempt = 1; ; attempt++) {
            int[] ports = freePorts(4);
            kafkaPort = ports[0];
            controllerPort = ports[1];
            restPort = ports[2];
            rpcPort = ports[3];
            ScriptResult r = startKafka();
            if (r.ok()) {
                break;
            }
            if (attempt < 3 && r.output().contains("in use")) {
                event("a picked port was taken meanwhile; picking again");
                continue;
            }
            throw r.failure();
        }
        pickPrometheusPorts();
        for (int attempt = 1; ; attempt++) {
            ScriptResult r =
                    script(
                            "flink-local.sh",
                            "start",
                            "--taskmanagers",
                            settings.taskManagers(),
                            "--slots",
                            settings.slotsPerTaskManager(),
                            "--rest-port",
                            restPort);
            if (r.ok()) {
                break;
            }
            if (attempt < 3 && r.output().contains("in use")) {
                int[] ports = freePorts(2);
                restPort = ports[0];
                rpcPort = ports[1];
                pickPrometheusPorts();
                event("a picked port was taken meanwhile; picking again");
                continue;
            }
            throw r.failure();
        }
        rest = new FlinkRestClient("http://localhost:" + restPort);
        List<String> tms = rest.taskManagers();
        if (tms.size() != settings.taskManagers()) {
            throw new IllegalStateException("the cluster reports TaskManagers " + tms);
        }
        event(
                "stack up: Kafka "
                        + bootstrap()
                        + ", Flink "
                        + rest.base()
                        + ", TaskManagers "
                        + tms);
    }

    /**
     * Free ports for the Prometheus reporter: one for the JobManager, and a list for the
     * TaskManagers with two to spare for replacements ({@link #startTaskManager()}); each
     * TaskManager takes the first free port of the list.
     */
    private void pickPrometheusPorts() throws IOException {
        int[] ports = freePorts(settings.taskManagers() + 3);
        prometheusJobManagerPort = ports[0];
        List<Integer> tms = new ArrayList<>();
        for (int i = 1; i < ports.length; i++) {
            tms.add(ports[i]);
        }
        prometheusTaskManagerPorts = List.copyOf(tms);
    }

    private static int[] freePorts(int n) throws IOException {
        Set<Integer> ports = new LinkedHashSet<>();
        List<ServerSocket> held = new ArrayList<>();
        try {
            while (ports.size() < n) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                ports.add(s.getLocalPort());
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return ports.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Stops the stacks of earlier runs whose test JVM is gone (killed before its cleanup), by their
     * recorded PIDs, and frees their data; their logs stay.
     */
    private static void stopOrphans(Path repo, Path stacks) throws IOException {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(stacks)) {
            dirs = s.filter(Files::isDirectory).toList();
        }
        for (Path d : dirs) {
            Path owner = d.resolve("owner.pid");
            if (!Files.isRegularFile(owner)) {
                continue;
            }
            String pid = Files.readString(owner).trim();
            if (pid.matches("[0-9]+") && !OsProcesses.gone(Long.parseLong(pid))) {
                continue; // another test JVM (e.g. a parallel build) still owns it
            }
            LocalStack orphan = new LocalStack(repo, d, Settings.defaults());
            orphan.stopQuietly();
            if (OsProcesses.matching(d + "/").isEmpty()) {
                deleteTree(d.resolve("kafka-data"));
                deleteTree(d.resolve("flink-state"));
                Files.delete(owner);
            }
        }
    }

    // ---------------------------------------------------------------- scripts

    /** Outcome of one script run. */
    public record ScriptResult(String command, int exitCode, String output, Path log) {
        public boolean ok() {
            return exitCode == 0;
        }

        public IllegalStateException failure() {
            return new IllegalStateException(
                    command
                            + " exited with "
                            + exitCode
                            + " (output in "
                            + log
                            + "):\n"
                            + tail(output, 60));
        }
    }

    /** Runs {@code scripts/<name> args...} with this stack's environment; waits with a deadline. */
    public ScriptResult script(String name, Object... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("bash");
        cmd.add(repo.resolve("scripts").resolve(name).toString());
        for (Object a : args) {
            cmd.add(String.valueOf(a));
        }
        String label = name + " " + String.join(" ", cmd.subList(2, cmd.size()));
        Path log =
                harness.resolve(
                        String.format(
                                "%02d-%s-%s.log",
                                ++scriptRuns,
                                name.replace(".sh", ""),
                                args.length > 0 ? args[0] : ""));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        environment(pb.environment());
        event("$ " + label);
        long t0 = System.nanoTime();
        Process p = pb.start();
        boolean done;
        try {
            done = p.waitFor(SCRIPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroy();
            throw new IOException("interrupted while running " + label, e);
        }
        if (!done) {
            // Only the script itself: the processes it launched are stopped by PID in close().
            p.destroyForcibly();
            event("  timed out after " + SCRIPT_TIMEOUT.toSeconds() + " s");
            return new ScriptResult(label, -1, Files.readString(log) + "\n(timed out)", log);
        }
        String out = Files.readString(log);
        event(
                String.format(
                        "  exit %d after %.1f s", p.exitValue(), (System.nanoTime() - t0) / 1e9));
        return new ScriptResult(label, p.exitValue(), out, log);
    }

    private void environment(Map<String, String> env) {
        SIZE_VARIABLES.forEach(env::remove);
        env.putAll(settings.environment());
        env.put("EDGESTREAM_LOCAL_DIR", dir.toString());
        env.put("EDGESTREAM_LIB_DIR", lib.toString());
        if (kafkaPort > 0) {
            env.put("KAFKA_PORT", String.valueOf(kafkaPort));
            env.put("KAFKA_CONTROLLER_PORT", String.valueOf(controllerPort));
            env.put("FLINK_REST_PORT", String.valueOf(restPort));
            env.put("FLINK_RPC_PORT", String.valueOf(rpcPort));
        }
        if (prometheusJobManagerPort > 0) {
            env.put("FLINK_PROMETHEUS_JM_PORT", String.valueOf(prometheusJobManagerPort));
            env.put(
                    "FLINK_PROMETHEUS_TM_PORTS",
                    String.join(
                            ",",
                            prometheusTaskManagerPorts.stream().map(String::valueOf).toList()));
        }
    }

    /** {@code r}, if its script succeeded. */
    private static void check(ScriptResult r) {
        if (!r.ok()) {
            throw r.failure();
        }
    }

    // ---------------------------------------------------------------- accessors

    public String bootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    public FlinkRestClient rest() {
        return rest;
    }

    /**
     * The JobManager's Prometheus endpoint, {@code http://localhost:PORT/metrics}
     * (FLINK_PROMETHEUS_JM_PORT).
     */
    public String prometheusJobManagerUrl() {
        return "http://localhost:" + prometheusJobManagerPort + "/metrics";
    }

    /**
     * The ports the TaskManagers' Prometheus reporters may listen on (FLINK_PROMETHEUS_TM_PORTS):
     * each takes the first free one; a port no TaskManager took does not answer.
     */
    public List<Integer> prometheusTaskManagerPorts() {
        return prometheusTaskManagerPorts;
    }

    public Path dir() {
        return dir;
    }

    public Settings settings() {
        return settings;
    }

    /** The cluster's checkpoint directory (flink-local.sh's execution.checkpointing.dir). */
    public Path checkpointDir() {
        return dir.resolve("flink-state/checkpoints");
    }

    /** Appends a line to {@code <dir>/harness/events.log}: what the harness did, when. */
    public void event(String line) {
        try {
            Files.writeString(
                    harness.resolve("events.log"),
                    LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_TIME)
                            + " "
                            + line
                            + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- broker

    /** Stops the broker process (kafka-local.sh stop: SIGTERM by recorded PID, waits). */
    public void stopBroker() throws IOException {
        check(script("kafka-local.sh", "stop"));
    }

    /** Starts the broker again on the same port and data directory; waits until it answers. */
    public void startBroker() throws IOException {
        check(startKafka());
    }

    /** {@code kafka-local.sh start} on this stack's broker and controller ports. */
    private ScriptResult startKafka() throws IOException {
        return script(
                "kafka-local.sh",
                "start",
                "--port",
                kafkaPort,
                "--controller-port",
                controllerPort);
    }

    /** The PID of the broker process, checked by command line. */
    public long brokerPid() {
        return OsProcesses.livePid(dir.resolve("run/kafka.pid"), KAFKA_CLASS, dir.toString())
                .orElseThrow(() -> new IllegalStateException("the broker of " + dir + " is down"));
    }

    /** The PID of the JobManager process, checked by command line. */
    public long jobManagerPid() {
        return OsProcesses.livePid(
                        dir.resolve("run/flink-jobmanager.pid"),
                        JM_CLASS,
                        dir.resolve("flink-conf").toString())
                .orElseThrow(
                        () -> new IllegalStateException("the JobManager of " + dir + " is down"));
    }

    public boolean brokerRunning() {
        return OsProcesses.livePid(dir.resolve("run/kafka.pid"), KAFKA_CLASS, dir.toString())
                .isPresent();
    }

    // ---------------------------------------------------------------- task managers

    private Path tmPidFile(String resourceId) {
        return dir.resolve("run").resolve("flink-" + resourceId + ".pid");
    }

    private String[] tmMarkers(String resourceId) {
        return new String[] {
            TM_CLASS, dir.resolve("flink-conf").toString(), "taskmanager.resource-id=" + resourceId
        };
    }

    /** The PID of TaskManager {@code resourceId} (e.g. taskmanager-1), checked by command line. */
    public long taskManagerPid(String resourceId) {
        return OsProcesses.livePid(tmPidFile(resourceId), tmMarkers(resourceId))
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "no live process recorded for "
                                                + resourceId
                                                + " in "
                                                + tmPidFile(resourceId)));
    }

    /** Resource ids of the TaskManager processes that run (by PID file and command line). */
    public List<String> liveTaskManagers() throws IOException {
        List<String> ids = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir.resolve("run"))) {
            for (Path f : s.sorted().toList()) {
                String n = f.getFileName().toString();
                if (n.startsWith("flink-taskmanager-") && n.endsWith(".pid")) {
                    String id = n.substring("flink-".length(), n.length() - ".pid".length());
                    if (OsProcesses.livePid(f, tmMarkers(id)).isPresent()) {
                        ids.add(id);
                    }
                }
            }
        }
        return ids;
    }

    /** Kills TaskManager {@code resourceId} with SIGKILL (no shutdown of any kind) and waits. */
    public void killTaskManager(String resourceId) {
        long pid = taskManagerPid(resourceId);
        event("kill -9 " + resourceId + " (PID " + pid + ")");
        OsProcesses.kill9(pid, tmMarkers(resourceId));
    }

    /**
     * Starts one more TaskManager process with exactly the JVM flags and options of a running one
     * (its command line, from /proc, with a new resource id and log file), records its PID where
     * {@code flink-local.sh stop} finds it, and waits until it has registered. Returns its id.
     */
    public String startTaskManager() throws IOException {
        List<String> live = liveTaskManagers();
        if (live.isEmpty()) {
            throw new IllegalStateException("no running TaskManager to copy the command line of");
        }
        String template = live.get(0);
        List<String> argv =
                OsProcesses.argv(taskManagerPid(template))
                        .orElseThrow(() -> new IllegalStateException(template + " is gone"));
        int n = 1;
        while (Files.exists(tmPidFile("taskmanager-" + n))) {
            n++;
        }
        String id = "taskmanager-" + n;
        Path logs = dir.resolve("logs");
        List<String> cmd = new ArrayList<>();
        for (String a : argv) {
            cmd.add(
                    a.replace(
                                    "taskmanager.resource-id=" + template,
                                    "taskmanager.resource-id=" + id)
                            .replace(
                                    logs.resolve("flink-" + template + ".log").toString(),
                                    logs.resolve("flink-" + id + ".log").toString()));
        }
        if (!cmd.contains("taskmanager.resource-id=" + id)) {
            throw new IllegalStateException("cannot find the resource id in " + argv);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile());
        pb.environment().put("FLINK_CONF_DIR", dir.resolve("flink-conf").toString());
        pb.environment().put("FLINK_PLUGINS_DIR", dir.resolve("flink-state/plugins").toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(logs.resolve("flink-" + id + ".out").toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        Files.writeString(tmPidFile(id), p.pid() + "\n");
        event("started " + id + " (PID " + p.pid() + "), command line of " + template);
        Waits.until(
                id + " to register with the JobManager",
                Duration.ofSeconds(90),
                () -> {
                    if (!p.isAlive()) {
                        throw new IllegalStateException(
                                id + " exited with " + p.exitValue() + "\n" + logTail(id, 40));
                    }
                    return rest.taskManagers().contains(id);
                });
        return id;
    }

    // ---------------------------------------------------------------- logs

    /** The last {@code lines} lines of the logs of process {@code name} (e.g. taskmanager-1). */
    public String logTail(String name, int lines) {
        StringBuilder sb = new StringBuilder();
        String base = name.startsWith("kafka") ? "kafka-server" : "flink-" + name;
        for (String ext : List.of(".out", ".log")) {
            Path f = dir.resolve("logs").resolve(base + ext);
            if (Files.isRegularFile(f)) {
                sb.append(tailOf(f, lines));
            }
        }
        return sb.toString();
    }

    /**
     * The tails of every log of the stack (harness events, broker, JobManager, each TaskManager),
     * for the output of a failing test.
     */
    public String logTails(int lines) {
        StringBuilder sb = new StringBuilder();
        sb.append(tailOf(harness.resolve("events.log"), lines));
        try (Stream<Path> s = Files.list(dir.resolve("logs"))) {
            for (Path f : s.sorted(Comparator.comparing(Path::toString)).toList()) {
                String n = f.getFileName().toString();
                if (n.endsWith(".log") || (n.endsWith(".out") && size(f) > 0)) {
                    sb.append(tailOf(f, lines));
                }
            }
        } catch (IOException e) {
            sb.append("(no logs: ").append(e).append(")\n");
        }
        return sb.toString();
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String tailOf(Path f, int lines) {
        try {
            List<String> all = Files.readAllLines(f, StandardCharsets.UTF_8);
            List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
            return "----- last "
                    + tail.size()
                    + " lines of "
                    + f
                    + " -----\n"
                    + String.join("\n", tail)
                    + "\n";
        } catch (IOException e) {
            return "----- " + f + ": " + e + "\n";
        }
    }

    public static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join(
                "\n",
                java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    // ---------------------------------------------------------------- stop

    /**
     * Stops the cluster and the broker by their recorded PIDs (the scripts' stop), then checks that
     * no process of this stack is left; any that is gets SIGKILL and the check fails.
     *
     * @throws AssertionError if a stop failed or a process was left behind
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> problems = new ArrayList<>();
        try {
            ScriptResult f = script("flink-local.sh", "stop");
            if (!f.ok()) {
                problems.add(f.failure().getMessage());
            }
            ScriptResult k = script("kafka-local.sh", "stop");
            if (!k.ok()) {
                problems.add(k.failure().getMessage());
            }
        } catch (IOException e) {
            problems.add("running the stop scripts failed: " + e);
        }
        List<String> left = OsProcesses.matching(dir + "/");
        if (!left.isEmpty()) {
            problems.add("processes of the stack were left behind (now killed): " + left);
            for (String p : left) {
                long pid = Long.parseLong(p.substring(0, p.indexOf(' ')));
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running or has run
        }
        event(problems.isEmpty() ? "stack stopped, no process left" : "stop problems: " + problems);
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("\n", problems));
        }
    }

    /** Frees the broker's and the cluster's data (not the logs); for stacks whose tests passed. */
    public void deleteData() {
        deleteTree(dir.resolve("kafka-data"));
        deleteTree(dir.resolve("flink-state"));
    }

    /** Shutdown hook and orphan cleanup: the stop scripts, no checks, no exceptions. */
    private void stopQuietly() {
        for (String s : List.of("flink-local.sh", "kafka-local.sh")) {
            try {
                ProcessBuilder pb =
                        new ProcessBuilder(
                                        "bash",
                                        repo.resolve("scripts").resolve(s).toString(),
                                        "stop")
                                .directory(repo.toFile())
                                .redirectErrorStream(true)
                                .redirectOutput(
                                        ProcessBuilder.Redirect.appendTo(
                                                dir.resolve("harness/stop-quietly.log").toFile()));
                environment(pb.environment());
                Files.createDirectories(dir.resolve("harness"));
                Process p = pb.start();
                if (!p.waitFor(150, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (IOException e) {
                // best effort
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // leave what cannot be deleted; target/ is cleaned by mvn clean
        }
    }
}
