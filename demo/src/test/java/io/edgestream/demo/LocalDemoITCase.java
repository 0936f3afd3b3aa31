package io.edgestream.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgestream.clients.consume.NpyReader;
import io.edgestream.clients.consume.SafeNames;
import io.edgestream.clients.convolve.ConvolveFile;
import io.edgestream.clients.produce.ProduceImages;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.Filters;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.testing.registry.ApicurioRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end, as {@code scripts/demo.sh} runs it: the real producer tool pushes the sample
 * directory into the in-process broker, the job runs on a local Flink cluster, the real consumer
 * tool writes the maps, and every {@code .npy} map equals the imaging core's whole-image result bit
 * for bit.
 */
class LocalDemoITCase {

    private static final Path SAMPLES = Path.of("..", "samples");
    private static final String FILTERS = "vertical,horizontal,sobel";

    @Test
    @Timeout(300)
    void demoProcessesTheSampleDirectoryIntoMapsEqualToTheCore(@TempDir Path tmp) throws Exception {
        demo(tmp);
    }

    /**
     * {@code scripts/demo.sh --registry}: the same maps, with producer, job and consumer in the
     * schema-registry framing against a real Apicurio Registry process that the demo starts and
     * stops by its PID. Skips without a Java 21+ for the registry (fails under CI).
     */
    @Test
    @Timeout(360)
    void demoWithRegistryProcessesTheSampleDirectoryIntoTheSameMapsAndStopsTheRegistry(
            @TempDir Path tmp) throws Exception {
        Optional<String> why = ApicurioRegistry.unavailableReason();
        if (why.isPresent() && System.getenv("CI") != null) {
            throw new IllegalStateException(
                    "no registry possible although CI is set: " + why.get());
        }
        assumeTrue(why.isEmpty(), () -> "no Apicurio Registry possible here: " + why.get());
        String log = demo(tmp, "--registry");
        Matcher m =
                Pattern.compile(
                                "registry at (http://127\\.0\\.0\\.1:\\d+/apis/ccompat/v7) \\(PID (\\d+)\\)")
                        .matcher(log);
        assertThat(m.find()).as(log).isTrue();
        assertThat(log).contains("wire.format").contains("registry.url");
        assertThat(ProcessHandle.of(Long.parseLong(m.group(2))).map(ProcessHandle::isAlive))
                .as("the registry process after the demo")
                .isNotEqualTo(Optional.of(true));
    }

    /** Runs the demo on the samples with {@code extra} arguments and checks every map. */
    private static String demo(Path tmp, String... extra) throws Exception {
        Path out = tmp.resolve("out");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int rc;
        List<String> args =
                new ArrayList<>(
                        List.of(
                                SAMPLES.toString(),
                                "--out",
                                out.toString(),
                                "--web-port",
                                String.valueOf(freePort()),
                                "--filters",
                                FILTERS));
        args.addAll(List.of(extra));
        try (PrintStream ps = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            rc = LocalDemo.run(args.toArray(String[]::new), ps);
        }
        String log = printed.toString(StandardCharsets.UTF_8);
        assertThat(rc).as("demo exit code; it printed:%n%s", log).isZero();
        assertThat(log).contains("dashboard: http://localhost:").contains("edge% sobel");
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
            Path dir = out.resolve(SafeNames.of(imageId));
            ImageF32 input = ConvolveFile.read(file);
            for (Filter f : filters) {
                ImageF32 expected = ConvolveFile.compute(input, f, ConvParams.DEFAULT);
                ImageF32 got = NpyReader.read(dir.resolve(f.name() + ".npy"));
                assertThat(got.contentEquals(expected))
                        .as("%s of %s (%s) equals the core's map bit for bit", f.name(), file, dir)
                        .isTrue();
            }
        }
        return log;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
