package io.edgestream.bench.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgestream.testing.stack.LocalStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every part of a run shares: the options, the repository's files it uses (private copies of
 * the jars, so a build in the working tree during the run changes nothing), the results file and
 * the progress log on stderr.
 */
final class Bench {
    static final ObjectMapper JSON = new ObjectMapper();

    final BenchOptions o;
    final Path repo;
    final Path out;
    final Path results;
    final Path jobJar;
    final Path driverJar;
    final Path jpegCache;

    Bench(BenchOptions o) throws IOException {
        this.o = o;
        this.repo = LocalStack.repoRoot();
        this.out = o.out.toAbsolutePath();
        Files.createDirectories(out.resolve("jars"));
        this.results = out.resolve("results.jsonl");
        Files.writeString(results, "");
        Path built = repo.resolve("benchmarks/target");
        this.jobJar = copy(built.resolve("bench-pipeline-job.jar"));
        this.driverJar = copy(built.resolve("bench-pipeline.jar"));
        this.jpegCache = repo.resolve(".local/bench-images");
    }

    private Path copy(Path jar) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar
                            + " is missing: build it with 'mvn -pl benchmarks -am package -DskipTests'");
        }
        Path to = out.resolve("jars").resolve(jar.getFileName());
        Files.copy(jar, to, StandardCopyOption.REPLACE_EXISTING);
        return to;
    }

    /** A new JSON object for the results file. */
    static ObjectNode record(String phase) {
        ObjectNode n = JSON.createObjectNode();
        n.put("phase", phase);
        return n;
    }

    /** Appends one measurement to the results file. */
    void write(ObjectNode n) {
        try {
            Files.writeString(
                    results,
                    JSON.writeValueAsString(n) + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + results, e);
        }
        log("  -> " + n);
    }

    static void log(String line) {
        System.err.println(
                LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + " " + line);
    }

    static void step(String line) {
        System.err.println();
        log("=== " + line);
    }

    /** The environment the stack's scripts get: the JDK first on PATH, sizes, extra JVM options. */
    Map<String, String> stackEnvironment(String tmMemory) {
        Map<String, String> env = new LinkedHashMap<>();
        if (o.javaHome != null) {
            env.put(
                    "PATH",
                    o.javaHome.resolve("bin") + ":" + System.getenv().getOrDefault("PATH", ""));
            env.put("JAVA_HOME", o.javaHome.toString());
        }
        if (tmMemory != null) {
            env.put("FLINK_TM_MEMORY", tmMemory);
        }
        String extra = System.getenv("BENCH_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            env.put("JDK_JAVA_OPTIONS", extra);
        }
        return env;
    }

    /** Starts the stack of this run. */
    BenchStack startStack(String name, int taskManagers, int slots, String tmMemory)
            throws IOException {
        step(
                "starting the stack: Kafka broker and Flink ("
                        + taskManagers
                        + " TaskManagers x "
                        + slots
                        + " slots"
                        + (tmMemory != null ? ", " + tmMemory + " each" : "")
                        + ")");
        return BenchStack.start(
                out.resolve("stacks"), name, taskManagers, slots, stackEnvironment(tmMemory));
    }

    /** The input and the three output topics of a run named {@code name}. */
    static String[] topics(String name) {
        return new String[] {name + "-in", name + "-maps", name + "-stats", name + "-dlq"};
    }

    /** The edge job's arguments for one run (input, outputs, checkpointing, encoding, filters). */
    List<String> edgeArgs(
            String bootstrap, String in, String outPrefix, String encoding, long checkpointMs) {
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "--bootstrap.servers",
                                bootstrap,
                                "--topic.images",
                                in,
                                "--topic.maps",
                                outPrefix + "-maps",
                                "--topic.stats",
                                outPrefix + "-stats",
                                "--topic.dlq",
                                outPrefix + "-dlq",
                                "--checkpoint.interval.ms",
                                String.valueOf(checkpointMs),
                                "--checkpoint.retention",
                                "DELETE_ON_CANCELLATION",
                                "--starting.offsets",
                                "earliest",
                                "--group.id",
                                outPrefix,
                                "--job.name",
                                outPrefix,
                                // A failure ends the run (with the job's exception) instead of
                                // restarting; fixed-delay, as the exponential strategy needs
                                // at least one attempt.
                                "--restart.strategy",
                                "fixed-delay",
                                "--restart.attempts",
                                "0"));
        if (encoding != null) {
            a.addAll(List.of("--map.encoding", encoding));
        }
        if (o.filters != null) {
            a.addAll(List.of("--filters", o.filters));
        }
        a.addAll(o.jobArgs);
        return a;
    }

    /** The first line of {@code java -version} of the stack's JDK. */
    String stackJavaVersion() {
        Path java = o.javaHome == null ? Path.of("java") : o.javaHome.resolve("bin/java");
        try {
            Process p =
                    new ProcessBuilder(java.toString(), "-version")
                            .redirectErrorStream(true)
                            .start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return s.lines().findFirst().orElse("?");
        } catch (IOException e) {
            return "? (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    /** CPU model, vector extensions and cores, from /proc/cpuinfo. */
    static String machine() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            String model =
                    lines.stream()
                            .filter(l -> l.startsWith("model name"))
                            .map(l -> l.substring(l.indexOf(':') + 1).trim())
                            .findFirst()
                            .orElse("?");
            String flags = lines.stream().filter(l -> l.startsWith("flags")).findFirst().orElse("");
            List<String> simd = new ArrayList<>();
            for (String f : List.of("avx2", "avx512f")) {
                if ((" " + flags + " ").contains(" " + f + " ")) {
                    simd.add(f);
                }
            }
            long memGb =
                    Files.readAllLines(Path.of("/proc/meminfo")).stream()
                            .filter(l -> l.startsWith("MemTotal"))
                            .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 / 1024)
                            .findFirst()
                            .orElse(0L);
            return model
                    + " ("
                    + String.join(",", simd)
                    + "), "
                    + Runtime.getRuntime().availableProcessors()
                    + " cores, "
                    + memGb
                    + " GiB";
        } catch (IOException | RuntimeException e) {
            return "? (" + e + ")";
        }
    }
}
