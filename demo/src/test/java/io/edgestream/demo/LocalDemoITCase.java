package io.edgestream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.clients.consume.NpyReader;
import io.edgestream.clients.consume.OutputDir;
import io.edgestream.clients.convolve.ConvolveFile;
import io.edgestream.clients.produce.ProduceImages;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.Filters;
import io.edgestream.imaging.image.ImageF32;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        Path out = tmp.resolve("out");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            rc =
                    LocalDemo.run(
                            new String[] {
                                SAMPLES.toString(),
                                "--out",
                                out.toString(),
                                "--web-port",
                                String.valueOf(freePort()),
                                "--filters",
                                FILTERS
                            },
                            ps);
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
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
