package io.edgestream.bench.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The options of {@code scripts/bench-pipeline.sh} (its {@code --help} is {@link #HELP}). Defaults
 * follow issue 13: 1280x960 frames, the job's default filters, 2 TaskManagers x 2 slots.
 */
final class BenchOptions {
    static final String HELP =
            """
            Usage: scripts/bench-pipeline.sh [--quick] [--latency | --scaling | --all] [options]

            One run of the edge job on the real local stack (its own broker and Flink session
            cluster, started and stopped by the run), side by side with what it is compared with,
            for each input format and map encoding:
              edge     the edge job (io.edgestream.job.EdgeJob), exactly once
              copy     the byte-matched copy job: per input, the same number and sizes of records
                       as the edge job wrote, exactly once, no image work (CopyJob)
              ceiling  Kafka alone: as many concurrent transactional producers as the job has sink
                       subtasks write the same records, committing at the checkpoint interval
                       (KafkaCeiling)
              ceiling-per-map
                       the same for the Python service's records: the edge job's map bytes as
                       one record per map (the whole map as one tile) plus the statistics; the
                       report gives the highest edge/python Kafka alone allows (this / python)
              python   a plain Python service (confluent-kafka + NumPy + OpenCV) computing the
                       same maps and statistics, at least once (benchmarks/python/edge_service.py)
            Results: <out>/results.jsonl (one JSON object per measurement) and <out>/report.md.

            Modes:
              (default)            throughput: committed images/s, MB/s in and out, CPU ms per
                                   megapixel by process, ratios edge/copy, edge/python,
                                   edge/ceiling, python/ceiling-per-map
              --latency            frames sent at fixed rates with their capture time; send-to-
                                   visible latency for a read_committed reader, per checkpoint
                                   interval and rate
              --scaling            cost per pixel 256x256..4000x4000 and one 8192x8192 JPEG in a
                                   1 GiB TaskManager heap, parallelism 1 vs 2 on 4000x4000, on
                                   its own stack of TaskManagers with one slot each
              --all                the three modes in turn, one results file and report (the
                                   full run)
              --quick              small counts (a smoke run of a few minutes)

            Throughput options:
              --formats LIST       gray8,rgb8,jpeg (default all three)
              --size WxH           frame size (default 1280x960)
              --images N           measured images per format, after the warm-up (default 400;
                                   --quick 24): enough for a window of many commits also for
                                   the fast copy job and ceiling
              --warmup N           images before the steady-state window (default 100; --quick 8)
              --no-stack-warmup    measure from the stack's first job on (default: one
                                   unrecorded pass of the edge job over the first format's
                                   backlog first, since a fresh broker and Flink runtime run the
                                   first job slower, whichever it is)
              --map-encodings LIST the edge job's map.encoding values to run (default FLOAT32;
                                   e.g. FLOAT32,INT16,sobel=FLOAT16: a filter=ENC token
                                   belongs to the encoding before it; an encoding the job
                                   rejects is skipped with its error in the report)
              --runs LIST          edge,copy,ceiling,ceiling-per-map,python (default all;
                                   the others need edge, whose output they are matched to)
              --filters F          the edge job's filters (default: the job's default)
              --checkpoint-ms MS   checkpoint interval of the jobs and commit interval of the
                                   ceiling and the Python service (default 1000)
              --python-processes N processes of the Python service (default: the number of cores)
              --baseline-jar JAR   also run an earlier edge job jar (the flink-job jar built at
                                   an earlier commit) with FLOAT32 maps, as run "baseline": the
                                   report gives today's edge job / baseline per encoding
              --job-args "ARGS"    extra options for the edge and copy jobs (and the ceiling's
                                   kafka.* producer settings), split on spaces
            Latency options (--latency):
              --latency-rates LIST      frames per second (default 2,8,10; --quick 4)
              --latency-intervals LIST  checkpoint intervals in ms (default 200,500,1000,5000;
                                        --quick 500)
              --latency-seconds S       sending time per rate (default 30; --quick 8)
              --latency-format F        rgb8 or gray8 (default rgb8)
            Scaling options (--scaling):
              --scaling-mp N       megapixels per size in the cost sweep (default 24; --quick 4)
              --scaling-tm-memory SIZE  TaskManager process size (default 1805m: a 1 GiB heap)
            Stack options:
              --taskmanagers N --slots N  cluster shape (default 2 x 2; --scaling: slots 1)
              --parallelism N      job parallelism (default: TaskManagers x slots)
              --partitions N       partitions of every topic (default: the parallelism)
              --cameras N          camera ids (record keys) the frames are spread over, one per
                                   partition as far as they go (default: the partitions)
              --tm-memory SIZE     TaskManager process size (default: stack/stack.env's)
              --java-home DIR      JDK of the stack's processes (default: BENCH_JAVA_HOME, else
                                   /usr/lib/jvm/temurin-25-jdk-amd64 if present, else java on
                                   PATH; the Vector API is much faster on JDK 25 than on 17)
              --python PATH        the Python of the Python service (default /usr/bin/python3,
                                   Debian's, with python3-confluent-kafka python3-opencv
                                   python3-numpy python3-avro)
              --out DIR            results directory (default target/bench-pipeline)
            Environment: BENCH_JAVA_OPTS adds JVM options to every process of the stack (e.g. a
            flight recording: -XX:StartFlightRecording=filename=/tmp/jfr/,settings=profile).
            """;

    enum Mode {
        THROUGHPUT,
        LATENCY,
        SCALING,
        /** The three in turn, into one results file and report: the full run. */
        ALL
    }

    Mode mode = Mode.THROUGHPUT;
    boolean quick;

    /** One unrecorded edge-job pass on a fresh stack before the first measured run. */
    boolean stackWarmup = true;

    List<Frames.Format> formats =
            List.of(Frames.Format.GRAY8, Frames.Format.RGB8, Frames.Format.JPEG);
    int width = 1280;
    int height = 960;
    Integer images;
    Integer warmup;
    List<String> encodings = List.of("FLOAT32");

    /** Every run of the throughput mode, in the order they run. */
    static final List<String> RUNS =
            List.of(
                    "edge",
                    "copy",
                    ThroughputBench.CEILING,
                    ThroughputBench.CEILING_PER_MAP,
                    "python");

    List<String> runs = RUNS;
    String filters;
    long checkpointMs = 1000;
    Integer pythonProcesses;
    List<String> jobArgs = List.of();
    List<Double> latencyRates;
    List<Long> latencyIntervals;
    Integer latencySeconds;
    Frames.Format latencyFormat = Frames.Format.RGB8;
    Integer scalingMp;
    String scalingTmMemory = "1805m";
    Integer taskManagers;
    Integer slots;
    Integer parallelism;
    Integer partitions;
    Integer cameras;
    String tmMemory;
    Path javaHome;
    Path python = Path.of("/usr/bin/python3");

    /** An earlier edge job jar, run with FLOAT32 maps beside today's (null: none). */
    Path baselineJar;

    Path out = Path.of("target", "bench-pipeline");

    static BenchOptions parse(String[] args) {
        BenchOptions o = new BenchOptions();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> o.quick = true;
                case "--no-stack-warmup" -> o.stackWarmup = false;
                case "--latency" -> o.mode = Mode.LATENCY;
                case "--scaling" -> o.mode = Mode.SCALING;
                case "--all" -> o.mode = Mode.ALL;
                case "-h", "--help" -> throw new HelpRequested();
                default -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(
                                "unknown option '" + a + "', or it needs a value (see --help)");
                    }
                    o.set(a, args[++i]);
                }
            }
        }
        o.fillDefaults();
        return o;
    }

    /** --help was asked for. */
    static final class HelpRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    private void set(String name, String v) {
        switch (name) {
            case "--formats" -> formats = list(v).stream().map(Frames.Format::parse).toList();
            case "--size" -> {
                if (!v.matches("[1-9][0-9]*x[1-9][0-9]*")) {
                    throw new IllegalArgumentException(
                            "--size must be WxH, e.g. 1280x960, got '" + v + "'");
                }
                width = Integer.parseInt(v.substring(0, v.indexOf('x')));
                height = Integer.parseInt(v.substring(v.indexOf('x') + 1));
            }
            case "--images" -> images = positive(name, v);
            case "--warmup" -> warmup = Integer.parseInt(v);
            case "--map-encodings", "--map-encoding" -> encodings = encodings(v);
            case "--runs" -> {
                runs = list(v);
                for (String r : runs) {
                    if (!RUNS.contains(r)) {
                        throw new IllegalArgumentException(
                                "--runs takes " + String.join(", ", RUNS) + "; got '" + r + "'");
                    }
                }
                if (!runs.contains("edge")) {
                    throw new IllegalArgumentException(
                            "--runs must include edge: the other runs are matched to its output");
                }
            }
            case "--filters" -> filters = v;
            case "--checkpoint-ms" -> checkpointMs = positive(name, v);
            case "--python-processes" -> pythonProcesses = positive(name, v);
            case "--job-args" ->
                    jobArgs = v.isBlank() ? List.of() : Arrays.asList(v.trim().split("\\s+"));
            case "--latency-rates", "--latency-rate" ->
                    latencyRates = list(v).stream().map(Double::parseDouble).toList();
            case "--latency-intervals" ->
                    latencyIntervals = list(v).stream().map(Long::parseLong).toList();
            case "--latency-seconds" -> latencySeconds = positive(name, v);
            case "--latency-format" -> latencyFormat = Frames.Format.parse(v);
            case "--scaling-mp" -> scalingMp = positive(name, v);
            case "--scaling-tm-memory" -> scalingTmMemory = v;
            case "--taskmanagers" -> taskManagers = positive(name, v);
            case "--slots" -> slots = positive(name, v);
            case "--parallelism" -> parallelism = positive(name, v);
            case "--partitions" -> partitions = positive(name, v);
            case "--cameras" -> cameras = positive(name, v);
            case "--tm-memory" -> tmMemory = v;
            case "--java-home" -> javaHome = Path.of(v);
            case "--python" -> python = Path.of(v);
            case "--baseline-jar" -> {
                baselineJar = Path.of(v).toAbsolutePath();
                if (!java.nio.file.Files.isRegularFile(baselineJar)) {
                    throw new IllegalArgumentException(
                            "--baseline-jar: no file "
                                    + baselineJar
                                    + "; build the job jar of"
                                    + " the commit to compare with first");
                }
            }
            case "--out" -> out = Path.of(v);
            default ->
                    throw new IllegalArgumentException(
                            "unknown option '" + name + "' (see --help)");
        }
    }

    private void fillDefaults() {
        if (images == null) {
            images = quick ? 24 : 400;
        }
        if (warmup == null) {
            warmup = quick ? 8 : 100;
        }
        if (latencyRates == null) {
            latencyRates = quick ? List.of(4.0) : List.of(2.0, 8.0, 10.0);
        }
        if (latencyIntervals == null) {
            latencyIntervals = quick ? List.of(500L) : List.of(200L, 500L, 1000L, 5000L);
        }
        if (latencySeconds == null) {
            latencySeconds = quick ? 8 : 30;
        }
        if (scalingMp == null) {
            scalingMp = quick ? 4 : 24;
        }
        if (taskManagers == null) {
            taskManagers = 2;
        }
        if (slots == null) {
            slots = 2;
        }
        if (parallelism == null) {
            parallelism = taskManagers * slots;
        }
        if (partitions == null) {
            partitions = parallelism;
        }
        if (cameras == null) {
            cameras = partitions;
        }
        if (pythonProcesses == null) {
            pythonProcesses = Runtime.getRuntime().availableProcessors();
        }
        if (javaHome == null) {
            String env = System.getenv("BENCH_JAVA_HOME");
            Path temurin = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
            if (env != null && !env.isBlank()) {
                javaHome = Path.of(env);
            } else if (Files.isExecutable(temurin.resolve("bin/java"))) {
                javaHome = temurin;
            }
        }
        if (javaHome != null && !Files.isExecutable(javaHome.resolve("bin/java"))) {
            throw new IllegalArgumentException("--java-home " + javaHome + " has no bin/java");
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must be 0 or more");
        }
    }

    /** Every image of a format that is sent: the warm-up and the measured ones. */
    int totalImages() {
        return warmup + images;
    }

    private static int positive(String name, String v) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                name + " must be a whole number of at least 1, got '" + v + "'");
    }

    /**
     * The {@code --map-encodings} runs: comma-separated {@code map.encoding} values, where a {@code
     * filter=ENC} token belongs to the value before it ({@code FLOAT32,INT16,sobel=FLOAT16} is two
     * runs: {@code FLOAT32} and {@code INT16,sobel=FLOAT16}).
     */
    static List<String> encodings(String v) {
        List<String> out = new ArrayList<>();
        for (String token : list(v)) {
            if (token.contains("=")) {
                if (out.isEmpty()) {
                    throw new IllegalArgumentException(
                            "--map-encodings: '"
                                    + token
                                    + "' overrides a filter of no encoding; start with one, e.g."
                                    + " INT16,"
                                    + token);
                }
                String[] kv = token.split("=", 2);
                out.set(
                        out.size() - 1,
                        out.get(out.size() - 1)
                                + ","
                                + kv[0].trim()
                                + "="
                                + kv[1].trim().toUpperCase(Locale.ROOT));
            } else {
                out.add(token.toUpperCase(Locale.ROOT));
            }
        }
        return out;
    }

    private static List<String> list(String v) {
        List<String> out = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("empty list '" + v + "'");
        }
        return out;
    }
}
