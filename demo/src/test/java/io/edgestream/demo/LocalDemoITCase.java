package io.edgestream.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgestream.clients.consume.NpyReader;
import io.edgestream.clients.consume.OutputDir;
import io.edgestream.clients.convolve.ConvolveFile;
import io.edgestream.clients.produce.ProduceImages;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.Filters;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.testing.registry.ApicurioRegistry;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end, run as a user runs it: {@code scripts/demo.sh} in its own process. The real
 * producer tool pushes the sample directory into the in-process broker, the job runs on a local
 * Flink cluster, the real consumer tool writes the maps, and every {@code .npy} map equals the
 * imaging core's whole-image result bit for bit. The console carries the demo's own progress and
 * summary only: no warning of Flink, Kafka or the JDK (the incubator-module notice); what Flink and
 * Kafka log is in the log file whose path the demo prints once.
 */
class LocalDemoITCase {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path SAMPLES = REPO.resolve("samples");
    private static final String FILTERS = "vertical,horizontal,sobel";

    /** What demo.sh prints on stderr when it has to build first; nothing else may appear there. */
    private static final String BUILD_NOTICE = "== building (first run downloads dependencies) ...";

    @Test
    @Timeout(400)
    void demoProcessesTheSampleDirectoryIntoMapsEqualToTheCoreAndPrintsNoWarnings(@TempDir Path tmp)
            throws Exception {
        demo(tmp);
    }

    /**
     * {@code scripts/demo.sh --registry}: the same maps, with producer, job and consumer in the
     * schema-registry framing against a real Apicurio Registry process that the demo starts and
     * stops by its PID, and the same quiet console. Skips without a Java 21+ for the registry
     * (fails under CI).
     */
    @Test
    @Timeout(400)
    void demoWithRegistryProcessesTheSampleDirectoryIntoTheSameMapsAndStopsTheRegistry(
            @TempDir Path tmp) throws Exception {
        Optional<String> why = ApicurioRegistry.unavailableReason();
        if (why.isPresent() && System.getenv("CI") != null) {
            throw new IllegalStateException(
                    "no registry possible although CI is set: " + why.get());
        }
        assumeTrue(why.isEmpty(), () -> "no Apicurio Registry possible here: " + why.get());
        String printed = demo(tmp, "--registry");
        Matcher m =
                Pattern.compile(
                                "registry at (http://127\\.0\\.0\\.1:\\d+/apis/ccompat/v7) \\(PID (\\d+)\\)")
                        .matcher(printed);
        assertThat(m.find()).as(printed).isTrue();
        assertThat(printed).contains("wire.format registry");
        assertThat(ProcessHandle.of(Long.parseLong(m.group(2))).map(ProcessHandle::isAlive))
                .as("the registry process after the demo")
                .isNotEqualTo(Optional.of(true));
    }

    /**
     * Runs scripts/demo.sh on the samples with {@code extra} arguments, checks its console and log
     * file and every map; returns what it printed.
     */
    private static String demo(Path tmp, String... extra) throws Exception {
        Path out = tmp.resolve("out");
        Path local = tmp.resolve("local");
        Path stdout = tmp.resolve("stdout.txt");
        Path stderr = tmp.resolve("stderr.txt");
        List<String> command =
                new ArrayList<>(
                        List.of(
                                "bash",
                                REPO.resolve("scripts/demo.sh").toString(),
                                SAMPLES.toString(),
                                "--out",
                                out.toString(),
                                "--web-port",
                                String.valueOf(freePort()),
                                "--filters",
                                FILTERS));
        command.addAll(List.of(extra));
        ProcessBuilder pb =
                new ProcessBuilder(command)
                        .directory(REPO.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile());
        pb.environment().put("EDGESTREAM_LOCAL_DIR", local.toString());
        Process demo = pb.start();
        boolean exited;
        try {
            exited = demo.waitFor(360, TimeUnit.SECONDS);
        } finally {
            // demo.sh passes SIGTERM on to the demo's JVM, which stops Flink and Kafka.
            demo.destroy();
        }
        String printed = Files.readString(stdout);
        String errors = Files.readString(stderr);
        assertThat(exited)
                .as("demo.sh exited within 360 s; it printed:%n%s%n%s", printed, errors)
                .isTrue();
        assertThat(demo.exitValue())
                .as("demo.sh exit code; it printed:%n%s%n%s", printed, errors)
                .isZero();
        assertThat(printed).contains("dashboard: http://localhost:").contains("edge% sobel");

        Path log = local.resolve("logs/demo.log");
        assertThat(printed.lines().filter(l -> l.contains(log.toString())))
                .as("the log file's path, printed once")
                .hasSize(1);
        assertThat(errors.lines().filter(l -> !l.equals(BUILD_NOTICE)))
                .as("stderr of demo.sh: nothing but the build notice")
                .isEmpty();
        assertThat((printed + errors).lines().filter(l -> l.matches(".*\\b(WARN|WARNING)\\b.*")))
                .as("warning lines on the console")
                .isEmpty();
        assertThat(log).exists();
        assertThat(Files.readString(log))
                .as("what Flink logged goes to the log file")
                .contains("Starting Flink Mini Cluster");
        // Only the two collisions of Flink 2.2.1 and its Kafka connector that docs/operations.md
        // explains (pendingCommittables of every sink committer, currentSendTime of every
        // exactly-once writer); none of the job's own metrics may collide.
        assertThat(Files.readAllLines(log).stream().filter(l -> l.contains("Name collision")))
                .as("metric-name collisions in %s", log)
                .allSatisfy(
                        l ->
                                assertThat(l)
                                        .containsAnyOf(
                                                "name 'pendingCommittables'",
                                                "name 'currentSendTime'"));

        assertThat(out.resolve("index.html")).exists();
        assertThat(Files.readAllLines(out.resolve("stats.jsonl"))).hasSize(6 * 3);

        List<Filter> filters = Filters.parseList(FILTERS);
        List<Path> images;
        try (Stream<Path> files = Files.list(SAMPLES)) {
            images = files.filter(p -> !p.toString().endsWith(".md")).sorted().toList();
        }
        assertThat(images).hasSize(6);
        for (Path file : images) {
            String imageId = "files/" + ProduceImages.contentId(Files.readAllBytes(file));
            // Named after the file (EdgeStats.sourceName), made unique by the id's hash.
            Path dir = out.resolve(OutputDir.dirName(imageId, file.getFileName().toString()));
            ImageF32 input = ConvolveFile.read(file);
            for (Filter f : filters) {
                ImageF32 expected = ConvolveFile.compute(input, f, ConvParams.DEFAULT);
                ImageF32 got = NpyReader.read(dir.resolve(f.name() + ".npy"));
                assertThat(got.contentEquals(expected))
                        .as("%s of %s (%s) equals the core's map bit for bit", f.name(), file, dir)
                        .isTrue();
            }
        }
        return printed;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
