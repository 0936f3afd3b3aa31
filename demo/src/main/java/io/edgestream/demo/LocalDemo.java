package io.edgestream.demo;

import io.edgestream.clients.consume.ConsumeEdges;
import io.edgestream.clients.produce.ProduceImages;
import io.edgestream.job.EdgeJob;
import io.edgestream.job.EdgeJobOptions;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.registry.RegistryConfig;
import io.edgestream.testing.kafka.EmbeddedKafka;
import io.edgestream.testing.registry.ApicurioRegistry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.SecurityOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The one-command local run behind {@code scripts/demo.sh}: a real in-process KRaft broker ({@link
 * EmbeddedKafka}), a local Flink cluster (MiniCluster with 2 TaskManagers x 2 slots and the web
 * UI), the edge job on it, the sample images (or a directory) pushed with the producer tool, the
 * results read with the consumer tool into {@code ./out} (maps, stats, index.html), a summary
 * table, and a clean shutdown.
 *
 * <pre>
 * LocalDemo [IMAGES_DIR] [--out DIR] [--web-port PORT] [--timeout SECONDS] [--verbose]
 *           [--registry] [job options...]
 * </pre>
 *
 * With {@code --registry} it also starts a real schema registry (an Apicurio Registry process,
 * {@link ApicurioRegistry}, Java 21+ needed) and runs everything in the registry framing: the
 * producer registers {@code ImageFrame} under {@code images-value}, the job runs with {@code
 * wire.format=registry} and {@code registry.url} (its outputs registered under {@code
 * edge-maps-value}, {@code edge-stats-value}, {@code images-dlq-value}), and the consumer reads
 * them through the registry. The registry is stopped by its PID at the end.
 *
 * <p>Job options are the job's own flags ({@code --filters sobel|laplacian --tile.size 128 ...});
 * the demo sets bootstrap servers, a 1 s checkpoint interval and parallelism 4 unless given. The
 * demo prints its progress and summary; {@code --verbose} adds the job's whole configuration. What
 * Flink and Kafka log goes wherever log4j is configured to send it: {@code scripts/demo.sh} sends
 * it to the file named by the system property {@value #LOG_FILE_PROPERTY}, which the demo prints
 * once.
 */
public final class LocalDemo {

    private static final String DEFAULT_FILTERS = "vertical,horizontal,sobel";

    /** The system property naming the log file of Flink and Kafka (set by scripts/demo.sh). */
    static final String LOG_FILE_PROPERTY = "edgestream.demo.log";

    private static final String IMAGE_FILES =
            "*.{jpg,jpeg,JPG,JPEG,png,PNG,bmp,BMP,tif,tiff,TIF,TIFF}";

    private LocalDemo() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) throws Exception {
        Path images = null;
        Path outDir = Path.of("out");
        int webPort = 8081;
        Duration timeout = Duration.ofSeconds(180);
        boolean verbose = false;
        Map<String, String> jobFlags = new LinkedHashMap<>();
        boolean withRegistry = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--registry" -> withRegistry = true;
                case "--out" -> outDir = Path.of(value(args, ++i, a));
                case "--web-port" -> webPort = Integer.parseInt(value(args, ++i, a));
                case "--timeout" ->
                        timeout = Duration.ofSeconds(Long.parseLong(value(args, ++i, a)));
                case "--verbose" -> verbose = true;
                case "-h", "--help" -> {
                    out.println(
                            "usage: scripts/demo.sh [IMAGES_DIR] [--out DIR] [--web-port PORT]"
                                    + " [--timeout SECONDS] [--verbose] [--registry] [job options,"
                                    + " e.g. --filters 'sobel|laplacian' --tile.size 128]");
                    return 0;
                }
                default -> {
                    if (a.startsWith("--")) {
                        jobFlags.put(a.substring(2), value(args, ++i, a));
                    } else if (images == null) {
                        images = Path.of(a);
                    } else {
                        throw new IllegalArgumentException("unexpected argument " + a);
                    }
                }
            }
        }
        if (images == null) {
            images = Path.of("samples");
        }
        if (!Files.isDirectory(images)) {
            throw new IllegalArgumentException(
                    "no image directory "
                            + images.toAbsolutePath()
                            + ": pass one as the first argument (scripts/demo.sh DIR)");
        }

        String logFile = System.getProperty(LOG_FILE_PROPERTY);
        if (logFile != null) {
            out.println(
                    "   Flink and Kafka log to "
                            + logFile
                            + (verbose ? "" : " (--verbose also shows their warnings here)"));
        }
        if (withRegistry && ApicurioRegistry.unavailableReason().isPresent()) {
            throw new IllegalStateException(
                    "--registry: " + ApicurioRegistry.unavailableReason().get());
        }
        ApicurioRegistry registry = null;
        if (withRegistry) {
            out.println("== starting a schema registry (Apicurio Registry, Java 21+)");
            registry = ApicurioRegistry.start(ApicurioRegistry.settings().name("demo"));
            // Ctrl-C must not leave the registry process behind (close() is idempotent).
            Runtime.getRuntime().addShutdownHook(new Thread(registry::close, "stop registry"));
            out.println(
                    "   registry at " + registry.ccompatUrl() + " (PID " + registry.pid() + ")");
            jobFlags.putIfAbsent(EdgeJobOptions.WIRE_FORMAT.key(), "registry");
            jobFlags.putIfAbsent(EdgeJobOptions.REGISTRY_URL.key(), registry.ccompatUrl());
        }
        try (ApicurioRegistry stopRegistry = registry) {
            return run(images, outDir, webPort, timeout, verbose, jobFlags, registry, out);
        }
    }

    private static int run(
            Path images,
            Path outDir,
            int webPort,
            Duration timeout,
            boolean verbose,
            Map<String, String> jobFlags,
            ApicurioRegistry registry,
            PrintStream out)
            throws Exception {
        RegistryConfig registryConfig =
                registry == null ? null : RegistryConfig.of(registry.ccompatUrl());
        out.println("== starting an in-process Kafka broker (KRaft)");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Map<String, String> topicConfig =
                    Map.of(
                            "max.message.bytes",
                            String.valueOf(EmbeddedKafka.DEFAULT_MAX_MESSAGE_BYTES));
            kafka.createTopics(2, topicConfig, "images", "edge-maps", "edge-stats", "images-dlq");
            out.println("   Kafka at " + kafka.bootstrapServers());

            jobFlags.putIfAbsent(EdgeJobOptions.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
            jobFlags.putIfAbsent(EdgeJobOptions.CHECKPOINT_INTERVAL_MS.key(), "1000");
            jobFlags.putIfAbsent(EdgeJobOptions.PARALLELISM.key(), "4");
            jobFlags.putIfAbsent(EdgeJobOptions.FILTERS.key(), DEFAULT_FILTERS);
            jobFlags.putIfAbsent(EdgeJobOptions.STARTING_OFFSETS.key(), "earliest");
            EdgeJobOptions options = EdgeJobOptions.of(jobFlags);
            if (verbose) {
                out.println(options.describe());
            } else {
                out.println(
                        "   job: filters "
                                + jobFlags.get(EdgeJobOptions.FILTERS.key())
                                + ", parallelism "
                                + jobFlags.get(EdgeJobOptions.PARALLELISM.key())
                                + ", checkpoint every "
                                + jobFlags.get(EdgeJobOptions.CHECKPOINT_INTERVAL_MS.key())
                                + " ms"
                                + (jobFlags.containsKey(EdgeJobOptions.WIRE_FORMAT.key())
                                        ? ", wire.format "
                                                + jobFlags.get(EdgeJobOptions.WIRE_FORMAT.key())
                                        : "")
                                + " (--verbose prints every option)");
            }

            Configuration flink = EdgeJob.flinkConfiguration(options);
            // No Kerberos or Hadoop here: without this the token manager warns that it has none.
            flink.set(SecurityOptions.DELEGATION_TOKENS_ENABLED, false);
            flink.set(RestOptions.PORT, webPort);
            flink.set(TaskManagerOptions.NUM_TASK_SLOTS, 2);
            flink.set(TaskManagerOptions.MINI_CLUSTER_NUM_TASK_MANAGERS, 2);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
            env.setParallelism(options.parallelism() > 0 ? options.parallelism() : 4);
            EdgeJob.withKafka(options).build(env);
            out.println("== starting Flink (MiniCluster, 2 TaskManagers x 2 slots)");
            JobClient job = env.executeAsync(options.jobName());
            out.println("   dashboard: http://localhost:" + webPort + "/#/job/running");
            out.println("   job id:    " + job.getJobID());
            try {
                out.println("== pushing images from " + images);
                ProduceImages.Summary sent =
                        ProduceImages.run(
                                new ProduceImages.Options()
                                        .bootstrap(kafka.bootstrapServers())
                                        .registry(registryConfig)
                                        .inputs(List.of(images.toString()))
                                        // image files only: a directory may hold notes too
                                        .glob(IMAGE_FILES),
                                out);
                int expected = sent.sent().size();
                out.println("== reading edge maps and stats into " + outDir);
                ConsumeEdges.Summary got =
                        ConsumeEdges.run(
                                new ConsumeEdges.Options()
                                        .bootstrap(kafka.bootstrapServers())
                                        .registry(registryConfig)
                                        .out(outDir)
                                        .withOriginals(true)
                                        .dlq(true)
                                        .images(expected)
                                        .expectFilters(options.processing().filterCount())
                                        .timeout(timeout),
                                out);
                Map<String, String> origins = new LinkedHashMap<>();
                for (ProduceImages.SentImage image : sent.sent()) {
                    origins.put(image.imageId(), Path.of(image.origin()).getFileName().toString());
                }
                printTable(got, origins, out);
                out.println(
                        "   open "
                                + outDir.resolve("index.html").toAbsolutePath()
                                + " in a browser");
                boolean complete = got.completeImages() >= expected;
                if (!complete) {
                    out.println(
                            "!! only "
                                    + got.completeImages()
                                    + " of "
                                    + expected
                                    + " images completed within "
                                    + timeout.toSeconds()
                                    + " s (dead letters: "
                                    + got.deadLetters().size()
                                    + ")");
                }
                return complete && sent.exitCode() == 0 ? 0 : 1;
            } finally {
                out.println("== stopping the job, Flink and Kafka");
                job.cancel().get();
            }
        }
    }

    private static void printTable(
            ConsumeEdges.Summary got, Map<String, String> origins, PrintStream out) {
        List<String> filters = new ArrayList<>();
        for (ConsumeEdges.ImageResult image : got.images()) {
            for (ConsumeEdges.MapResult m : image.maps()) {
                if (!filters.contains(m.filter())) {
                    filters.add(m.filter());
                }
            }
        }
        StringBuilder header = new StringBuilder();
        header.append(
                String.format(Locale.ROOT, "%-34s %11s %6s", "image (file)", "size", "tiles"));
        for (String f : filters) {
            header.append(String.format(Locale.ROOT, " %12s", "edge% " + f));
        }
        header.append(String.format(Locale.ROOT, " %12s", "latency ms"));
        out.println(header);
        for (ConsumeEdges.ImageResult image : got.images()) {
            EdgeStats first = image.maps().isEmpty() ? null : image.maps().get(0).stats();
            if (first == null) {
                continue;
            }
            StringBuilder row = new StringBuilder();
            String id = origins.getOrDefault(image.imageId(), image.imageId());
            row.append(
                    String.format(
                            Locale.ROOT,
                            "%-34s %11s %6d",
                            id.length() > 34 ? id.substring(0, 31) + "..." : id,
                            first.getInputWidth() + "x" + first.getInputHeight(),
                            first.getTileCount()));
            long latency = 0;
            for (String f : filters) {
                EdgeStats s = null;
                for (ConsumeEdges.MapResult m : image.maps()) {
                    if (m.filter().equals(f)) {
                        s = m.stats();
                    }
                }
                row.append(
                        s == null
                                ? String.format(Locale.ROOT, " %12s", "-")
                                : String.format(
                                        Locale.ROOT, " %11.2f%%", 100 * s.getEdgeFraction()));
                if (s != null) {
                    latency = Math.max(latency, s.getCompletedTimeMs() - s.getIngestTimeMs());
                }
            }
            row.append(String.format(Locale.ROOT, " %12d", latency));
            out.println(row);
        }
        out.println(
                "   latency = ingest by the job to stats emitted; includes waiting for the"
                        + " checkpoint that commits the outputs");
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }
}
