package io.edgestream.bench.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgestream.schemas.kafka.RecordLimits;
import io.edgestream.testing.stack.FlinkRestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The default mode: for each input format, the input topic is pre-loaded once with warm-up plus
 * measured images; then, for each map encoding, the edge job, the byte-matched copy job, the Kafka
 * ceiling (for the edge job's records, then for the same bytes as the Python service writes them:
 * one record per map) and the Python service each process that backlog in turn, and each writes one
 * {@code throughput} record: images/s and MB/s in the steady-state window ({@link SteadyState}),
 * the whole run ("cold", from the job running), and the CPU milliseconds per megapixel of every
 * process in the window.
 */
final class ThroughputBench {
    static final String EDGE_JOB = "io.edgestream.job.EdgeJob";

    /** The maps of the baseline run: the one encoding every earlier job has. */
    static final String BASELINE_ENCODING = "FLOAT32";

    static final String COPY_JOB = "io.edgestream.bench.pipeline.CopyJob";

    /** The run of the Kafka ceiling for the edge job's records. */
    static final String CEILING = "ceiling";

    /**
     * The run of the Kafka ceiling for the Python service's records: the same bytes, one record per
     * map ({@link OutputProfile#perMap}).
     */
    static final String CEILING_PER_MAP = "ceiling-per-map";

    /** The unrecorded first pass of the edge job that warms a fresh stack. */
    static final String STACK_WARMUP = "stack-warmup";

    private final Bench b;
    private final BenchOptions o;
    private final List<String> filters;

    ThroughputBench(Bench b) {
        this.b = b;
        this.o = b.o;
        this.filters = JobDefaults.filterNames(o.filters);
    }

    void run() throws Exception {
        try (BenchStack st = b.startStack("throughput", o.taskManagers, o.slots, o.tmMemory)) {
            List<String> cameras = Frames.cameraIds(o.partitions, o.cameras);
            for (Frames.Format fmt : o.formats) {
                Frames frames = new Frames(fmt, o.width, o.height, b.jpegCache);
                String in = "in-" + fmt.id();
                Bench.step(
                        fmt.label()
                                + ": pre-loading "
                                + o.totalImages()
                                + " images of "
                                + o.width
                                + "x"
                                + o.height
                                + " ("
                                + o.warmup
                                + " warm-up) over "
                                + cameras.size()
                                + " cameras");
                st.createTopics(o.partitions, in);
                long inBytes;
                try (KafkaProducer<byte[], byte[]> p = Frames.producer(st.bootstrap())) {
                    inBytes = frames.preload(p, in, cameras, 0, o.totalImages());
                }
                Input input = new Input(fmt, in, inBytes / o.totalImages(), frames.pixels());
                if (fmt == o.formats.get(0) && o.stackWarmup) {
                    // A fresh broker and Flink runtime run the first job measurably slower (broker
                    // CPU per megapixel up to twice the later runs'), which would penalise
                    // whichever run comes first: one unrecorded pass warms them.
                    edge(st, input, o.encodings.get(0), b.jobJar, STACK_WARMUP);
                }
                if (o.baselineJar != null) {
                    edge(st, input, BASELINE_ENCODING, o.baselineJar, "baseline");
                }
                for (String enc : o.encodings) {
                    OutputProfile profile = edge(st, input, enc, b.jobJar, "edge");
                    if (profile == null) {
                        continue;
                    }
                    if (o.runs.contains("copy")) {
                        copy(st, input, enc, profile);
                    }
                    if (o.runs.contains(CEILING)) {
                        ceiling(st, input, enc, CEILING, profile);
                    }
                    if (o.runs.contains(CEILING_PER_MAP)) {
                        ceiling(st, input, enc, CEILING_PER_MAP, profile.perMap());
                    }
                    if (o.runs.contains("python")) {
                        python(st, input, enc, profile);
                    }
                }
                st.deleteTopics(in);
            }
        }
    }

    /** The pre-loaded input of one format. */
    record Input(Frames.Format format, String topic, long bytesPerImage, long pixels) {}

    private String name(String run, Input in, String enc) {
        // Topic and job names: a per-filter encoding's ',' and '=' are not allowed in them.
        return run
                + "-"
                + in.format().id()
                + "-"
                + enc.toLowerCase(Locale.ROOT).replace(',', '-').replace('=', '_');
    }

    private Duration timeout() {
        return Duration.ofSeconds(180 + 3L * o.totalImages());
    }

    /**
     * The edge job on the backlog; its measured output profile, or null if it refused {@code enc}.
     */
    private OutputProfile edge(BenchStack st, Input in, String enc, Path jar, String run)
            throws Exception {
        String name = name(run, in, enc);
        Bench.step(in.format().label() + ", maps " + enc + ": " + run + " edge job (" + jar + ")");
        st.createTopics(o.partitions, name + "-maps", name + "-stats", name + "-dlq");
        Collector.Result r;
        long running;
        try (Collector c =
                new Collector(
                        st.bootstrap(),
                        name + "-stats",
                        Collector.Mode.STATS,
                        filters.size(),
                        o.totalImages(),
                        st.cpu(Map.of()))) {
            c.start();
            boolean refused = false;
            BenchStack.Submitted s;
            try {
                s =
                        st.submit(
                                jar,
                                EDGE_JOB,
                                b.edgeArgs(st.bootstrap(), in.topic(), name, enc, o.checkpointMs),
                                o.parallelism);
            } catch (FlinkRestClient.RestException e) {
                if (!e.getMessage().contains("map.encoding") && !e.getMessage().contains(enc)) {
                    throw e;
                }
                ObjectNode n = Bench.record("skipped");
                n.put("format", in.format().id());
                n.put("encoding", enc);
                n.put(
                        "reason",
                        "the edge job refused --map.encoding "
                                + enc
                                + ": "
                                + rootCause(e.getMessage()));
                b.write(n);
                refused = true;
                s = null;
            }
            if (refused) {
                c.close();
                st.deleteTopics(name + "-maps", name + "-stats", name + "-dlq");
                return null;
            }
            running = s.runningSinceMs();
            String job = s.jobId();
            r = c.await(timeout(), () -> st.checkAlive(job));
            st.cancel(job);
        }
        OutputProfile profile =
                OutputProfile.measure(
                        st.bootstrap(), name + "-maps", name + "-stats", Duration.ofSeconds(120));
        st.deleteTopics(name + "-maps", name + "-stats", name + "-dlq");
        ObjectNode n =
                throughput(run, in, enc, r, running, profile.valueBytes(), profile.records());
        n.put("profile", profile.spec());
        ObjectNode types = n.putObject("map_types");
        profile.mapTypes().forEach(types::put);
        if (!run.equals(STACK_WARMUP)) {
            b.write(n);
        }
        return profile;
    }

    private void copy(BenchStack st, Input in, String enc, OutputProfile profile) throws Exception {
        String name = name("copy", in, enc);
        Bench.step(in.format().label() + ", maps " + enc + ": byte-matched copy job");
        st.createTopics(o.partitions, name + "-maps", name + "-stats");
        Collector.Result r;
        long running;
        try (Collector c =
                new Collector(
                        st.bootstrap(),
                        name + "-stats",
                        Collector.Mode.COUNT,
                        profile.records(OutputProfile.STATS),
                        o.totalImages(),
                        st.cpu(Map.of()))) {
            c.start();
            List<String> args =
                    new ArrayList<>(
                            b.edgeArgs(st.bootstrap(), in.topic(), name, enc, o.checkpointMs));
            args.addAll(List.of(CopyJob.PROFILE_FLAG, profile.spec()));
            BenchStack.Submitted s = st.submit(b.jobJar, COPY_JOB, args, o.parallelism);
            running = s.runningSinceMs();
            r = c.await(timeout(), () -> st.checkAlive(s.jobId()));
            st.cancel(s.jobId());
        }
        st.deleteTopics(name + "-maps", name + "-stats");
        b.write(throughput("copy", in, enc, r, running, profile.valueBytes(), profile.records()));
    }

    /**
     * The Kafka ceiling ({@link KafkaCeiling}) for {@code profile}'s records, recorded as run
     * {@code run}: {@link #CEILING} with the edge job's profile, {@link #CEILING_PER_MAP} with its
     * {@link OutputProfile#perMap}.
     */
    private void ceiling(BenchStack st, Input in, String enc, String run, OutputProfile profile)
            throws Exception {
        String name = name(run, in, enc);
        Bench.step(
                in.format().label()
                        + ", maps "
                        + enc
                        + ": Kafka ceiling, "
                        + (run.equals(CEILING_PER_MAP)
                                ? "one record per map (the Python service's records), "
                                : "")
                        + o.parallelism
                        + " transactional producers ("
                        + profile.spec()
                        + ")");
        String tooLarge = tooLargeForTopic(profile);
        if (tooLarge != null) {
            ObjectNode n = Bench.record("skipped");
            n.put("format", in.format().id());
            n.put("encoding", enc);
            n.put("run", run);
            n.put("reason", tooLarge);
            b.write(n);
            return;
        }
        st.createTopics(o.partitions, name + "-maps", name + "-stats");
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                ProcessHandle.current().info().command().orElse("java"),
                                "-Xmx1g",
                                "-cp",
                                b.driverJar.toString(),
                                KafkaCeiling.class.getName(),
                                "--bootstrap",
                                st.bootstrap(),
                                "--maps-topic",
                                name + "-maps",
                                "--stats-topic",
                                name + "-stats",
                                "--profile",
                                profile.spec(),
                                "--images",
                                String.valueOf(o.totalImages()),
                                "--warmup",
                                String.valueOf(o.warmup),
                                "--producers",
                                String.valueOf(o.parallelism),
                                "--commit-ms",
                                String.valueOf(o.checkpointMs),
                                "--broker-pid",
                                String.valueOf(st.brokerPid())));
        for (int i = 0; i + 1 < o.jobArgs.size(); i++) {
            if (o.jobArgs.get(i).startsWith("--kafka.")) {
                cmd.addAll(
                        List.of(
                                "--kafka",
                                o.jobArgs.get(i).substring("--kafka.".length())
                                        + "="
                                        + o.jobArgs.get(i + 1)));
            }
        }
        Process p =
                new ProcessBuilder(cmd)
                        .redirectError(b.out.resolve(name + ".err").toFile())
                        .start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(
                    "the Kafka ceiling failed (exit "
                            + p.exitValue()
                            + "); see "
                            + b.out.resolve(name + ".err"));
        }
        JsonNode j = Bench.JSON.readTree(stdout.lines().reduce((x, y) -> y).orElseThrow());
        st.deleteTopics(name + "-maps", name + "-stats");
        ObjectNode n = base(run, in, enc, profile.valueBytes(), profile.records());
        n.put("profile", profile.spec());
        n.put("producers", o.parallelism);
        n.put("images", o.totalImages());
        n.put("warmup", o.warmup);
        n.put("window_images", j.path("window_images").asLong());
        n.put("window_s", j.path("window_s").asDouble());
        n.put("window_commits", j.path("window_commits").asInt());
        double ips = j.path("images_per_s").asDouble();
        n.put("images_per_s", ips);
        n.put("cold_s", j.path("cold_s").asDouble());
        n.put("cold_images_per_s", o.totalImages() / j.path("cold_s").asDouble());
        rates(n, in, ips, profile.valueBytes());
        cpu(
                n,
                in,
                j.path("window_images").asLong(),
                Bench.JSON.convertValue(j.path("cpu_ms"), Map.class));
        b.write(n);
    }

    private void python(BenchStack st, Input in, String enc, OutputProfile profile)
            throws Exception {
        String name = name("python", in, enc);
        Bench.step(
                in.format().label()
                        + ", maps "
                        + enc
                        + ": Python service, "
                        + o.pythonProcesses
                        + " processes");
        String unsupported = pythonCannot(o.jobArgs, profile.mapTypes());
        if (unsupported != null) {
            ObjectNode n = Bench.record("skipped");
            n.put("format", in.format().id());
            n.put("encoding", enc);
            n.put("run", "python");
            n.put("reason", "the Python service " + unsupported);
            b.write(n);
            return;
        }
        st.createTopics(o.partitions, name + "-maps", name + "-stats");
        Collector.Result r;
        // Cold time includes the processes' start, as the job's includes its deployment.
        long started = System.currentTimeMillis();
        List<JsonNode> summaries;
        try (PythonPeer peer =
                        PythonPeer.start(
                                b,
                                st.bootstrap(),
                                in.topic(),
                                name,
                                filters,
                                profile.mapTypes(),
                                JobDefaults.tileSize(o.jobArgs),
                                o.pythonProcesses);
                Collector c =
                        new Collector(
                                st.bootstrap(),
                                name + "-stats",
                                Collector.Mode.STATS,
                                profile.records(OutputProfile.STATS),
                                o.totalImages(),
                                st.cpu(Map.of("peer", peer.pids())))) {
            c.start();
            r = c.await(timeout(), peer::checkAlive);
            summaries = peer.stop();
        }
        st.deleteTopics(name + "-maps", name + "-stats");
        long processed = 0;
        long bytes = 0;
        long recs = 0;
        for (JsonNode s : summaries) {
            processed += s.path("images").asLong();
            bytes += s.path("value_bytes").asLong();
            recs += s.path("records").asLong();
        }
        ObjectNode n =
                throughput(
                        "python",
                        in,
                        enc,
                        r,
                        started,
                        processed == 0 ? 0 : bytes / processed,
                        processed == 0 ? 0 : (int) (recs / processed));
        n.put("processes", o.pythonProcesses);
        n.put("images_processed", processed);
        n.put("duplicate_stats_records", r.duplicates());
        n.put("delivery", "at least once");
        b.write(n);
    }

    /**
     * The innermost cause in a REST error's chain ({@code ... | Caused by: x.y.SomeException:
     * what}), without the exception's class: the job's own message.
     */
    static String rootCause(String restMessage) {
        String[] parts = restMessage.split(" \\| ");
        return parts[parts.length - 1]
                .replaceFirst("^Caused by: ", "")
                .replaceFirst("^[\\w.$]+(Exception|Error): ", "");
    }

    /** Job options whose effect the Python service does not reproduce (it has the defaults). */
    static final List<String> PYTHON_FIXED_OPTIONS =
            List.of(
                    "--padding",
                    "--border",
                    "--border.constant",
                    "--stride",
                    "--color.mode",
                    "--grey.weights",
                    "--histogram.bins",
                    "--edge.threshold");

    /** Map sample types the Python service writes. */
    static final List<String> PYTHON_MAP_TYPES =
            List.of("FLOAT32_LE", "FLOAT16_LE", "INT16_LE", "NONE");

    /**
     * Why the Python service cannot do what the edge job did with these options and map types (null
     * if it can).
     */
    static String pythonCannot(List<String> jobArgs, Map<String, String> mapTypes) {
        for (String a : jobArgs) {
            if (PYTHON_FIXED_OPTIONS.contains(a)) {
                return "computes the job's defaults only (VALID padding, stride 1, VOLUME colour, 64 histogram bins, automatic edge threshold), not "
                        + a;
            }
        }
        for (var e : mapTypes.entrySet()) {
            if (!PYTHON_MAP_TYPES.contains(e.getValue())) {
                return "writes maps as "
                        + PYTHON_MAP_TYPES
                        + ", not "
                        + e.getValue()
                        + " (filter "
                        + e.getKey()
                        + ")";
            }
        }
        return null;
    }

    /**
     * Why the topics cannot take {@code profile}'s largest record (their {@code max.message.bytes},
     * less room for the batch around it), or null if they can.
     */
    static String tooLargeForTopic(OutputProfile profile) {
        long largest =
                profile.entries().stream()
                        .mapToLong(e -> (long) e.keyBytes() + e.valueBytes())
                        .max()
                        .orElse(0);
        long limit = RecordLimits.TOPIC_MAX_MESSAGE_BYTES - RecordLimits.RECORD_OVERHEAD_BYTES;
        return largest <= limit
                ? null
                : "its largest record ("
                        + largest
                        + " bytes) is more than the topics take ("
                        + limit
                        + " bytes: max.message.bytes "
                        + RecordLimits.TOPIC_MAX_MESSAGE_BYTES
                        + " less room for the batch); use a smaller --size";
    }

    /** The fields every throughput record has. */
    private ObjectNode base(
            String run, Input in, String enc, long outBytesPerImage, int outRecordsPerImage) {
        ObjectNode n = Bench.record("throughput");
        n.put("run", run);
        n.put("format", in.format().id());
        n.put("encoding", enc);
        n.put("width", o.width);
        n.put("height", o.height);
        n.put("in_bytes_per_image", in.bytesPerImage());
        n.put("out_bytes_per_image", outBytesPerImage);
        n.put("out_records_per_image", outRecordsPerImage);
        return n;
    }

    private ObjectNode throughput(
            String run,
            Input in,
            String enc,
            Collector.Result r,
            long startedMs,
            long outBytesPerImage,
            int outRecordsPerImage) {
        ObjectNode n = base(run, in, enc, outBytesPerImage, outRecordsPerImage);
        SteadyState.Window w = SteadyState.window(r.progress(), o.warmup);
        n.put("images", r.images().size());
        n.put("warmup", o.warmup);
        n.put("window_images", w.images());
        n.put("window_s", w.seconds());
        n.put("window_commits", w.commits());
        n.put("images_per_s", w.imagesPerSecond());
        double cold = (r.lastVisibleMs() - startedMs) / 1000.0;
        n.put("cold_s", cold);
        n.put("cold_images_per_s", r.images().size() / cold);
        rates(n, in, w.imagesPerSecond(), outBytesPerImage);
        cpu(n, in, w.images(), w.cpuMs());
        return n;
    }

    private static void rates(
            ObjectNode n, Input in, double imagesPerSecond, long outBytesPerImage) {
        n.put("mb_in_per_s", imagesPerSecond * in.bytesPerImage() / 1e6);
        n.put("mb_out_per_s", imagesPerSecond * outBytesPerImage / 1e6);
        n.put("mp_per_s", imagesPerSecond * in.pixels() / 1e6);
    }

    /** CPU milliseconds per input megapixel, by role, and their total. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void cpu(ObjectNode n, Input in, long images, Map cpuMs) {
        double mp = images * in.pixels() / 1e6;
        ObjectNode c = n.putObject("cpu_ms_per_mp");
        double total = 0;
        for (Object e : cpuMs.entrySet()) {
            Map.Entry<String, Number> en = (Map.Entry<String, Number>) e;
            double v = en.getValue().doubleValue() / mp;
            c.put(en.getKey(), v);
            total += v;
        }
        n.put("cpu_ms_per_mp_total", total);
    }
}
