package io.edgestream.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchReportTest {

    private static String report() throws IOException {
        try (InputStream in = BenchReportTest.class.getResourceAsStream("results-fixture.jsonl")) {
            return BenchReport.markdown(
                    List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
        }
    }

    @Test
    void shouldTabulateEveryRunOfAFormatWithItsCpuByProcess() throws IOException {
        String md = report();
        assertThat(md).contains("### RAW RGB8 1280x960");
        assertThat(md)
                .contains(
                        "| edge job | FLOAT32 | 25.0 | 8.0 (9) | 18.6 | 92.2 | 367.3 | 63 | 10.0 | 40.0 | 1.5 | - | 51.5 |");
        assertThat(md).contains("| byte-matched copy job | FLOAT32 | 40.0 |");
        assertThat(md).contains("| Kafka ceiling (4 transactional producers) | FLOAT32 | 50.0 |");
        assertThat(md)
                .contains(
                        "| Kafka ceiling, one record per map (the Python service's records; 4 transactional producers)"
                                + " | FLOAT32 | 16.5 | 12.1 (40) | 16.3 | 60.8 | 242.5 | 6 | 12.0 | - | - | 4.0 | 16.0 |");
        assertThat(md)
                .contains(
                        "| Python service (2 processes, at least once) | FLOAT32 | 10.0 | 20.0 (20) | 9.3 | 36.9 | 146.9 | 6 | 11.0 | 0.5 | 0.2 | 140.0 | 151.7 |");
    }

    @Test
    void shouldGiveTheRatiosAgainstTheirTargets() throws IOException {
        String md = report();
        assertThat(md).contains("| edge / copy | FLOAT32 | 0.63 | >= 0.8: **not met** |");
        assertThat(md).contains("| edge / Python | FLOAT32 | 2.50x | >= 2x: met |");
        assertThat(md).contains("| edge / Kafka ceiling | FLOAT32 | 0.50 | - |");
        assertThat(md)
                .contains("| Python / Kafka ceiling (one record per map) | FLOAT32 | 0.61 | - |");
        assertThat(md)
                .contains(
                        "| highest edge / Python that Kafka alone allows (ceiling per map / Python) | FLOAT32 | 1.65x | - |");
        assertThat(md)
                .contains(
                        "| edge / baseline jar (FLOAT32 maps) | FLOAT32 | 1.25x | >= 1.3x: **not met** |");
        assertThat(md)
                .contains(
                        "- Skipped maps INT16: the edge job refused --map.encoding INT16: unknown value");
    }

    @Test
    void shouldReportLatencyAndTheSustainedRatePerInterval() throws IOException {
        String md = report();
        assertThat(md).contains("| 500 | 2 | 60 | 400 | 750 | 800 | 1.9 | yes |");
        assertThat(md).contains("| 500 | 8 | 240 | 8300 | 16000 | 16500 | 5.2 | **no** |");
        assertThat(md)
                .contains(
                        "- checkpoints every 500 ms: sustained 2 frames/s (the highest rate tried that keeps up)");
    }

    @Test
    void shouldReportScaling() throws IOException {
        String md = report();
        assertThat(md).contains("| 256x256 RAW GRAY8 | 367 | 2.79 | 8.6 | 116 |");
        assertThat(md)
                .contains(
                        "| 8192x8192 JPEG RGB, one image, decode included | 1 | 6.50 | 10.3 | 97 |");
        assertThat(md).contains("RAW GRAY8 cost per pixel, largest / smallest across sizes: 1.74");
        assertThat(md)
                .contains("Speed-up of the processing latency from parallelism 1 to 2: 1.35x");
        assertThat(md)
                .contains("| parallelism 2, tiles spread (--tiles.spread.min 1) | 650 | 700 | 4 |")
                .contains(
                        "Speed-up of the processing latency from parallelism 1 to 2, tiles spread"
                                + " (--tiles.spread.min 1): 2.02x");
        assertThat(md)
                .contains(
                        "8192x8192 RGB JPEG (2631834 bytes), TaskManager heap -Xmx1073741824: completed, statistics 6.5 s and output visible 7.2 s after the job ran");
    }

    @Test
    void shouldSayWhatWasRunAndOnWhat() throws IOException {
        String md = report();
        assertThat(md).contains("- Machine: Test CPU (avx2), 2 cores, 23 GiB;");
        assertThat(md).contains("Flink with 2 TaskManagers x 2 slots");
        assertThat(md)
                .contains(
                        "- Per format: 60 warm-up images, then 200 measured; Python service: 2 processes.");
    }

    @Test
    void shouldQuoteOnlyTheJobsOwnMessageWhenItRefusesAnEncoding() {
        String rest =
                "POST /jars/x/run answered HTTP 400: org.apache.flink.runtime.rest.handler.RestHandlerException:"
                        + " Could not execute application. | Caused by: org.apache.flink.client.program.ProgramInvocationException:"
                        + " The main method caused an error: option 'map.encoding' must be one of [FLOAT32, FLOAT16], got 'INT16'"
                        + " | Caused by: java.lang.IllegalArgumentException: option 'map.encoding' must be one of [FLOAT32, FLOAT16], got 'INT16'";
        assertThat(ThroughputBench.rootCause(rest))
                .isEqualTo("option 'map.encoding' must be one of [FLOAT32, FLOAT16], got 'INT16'");
    }

    @Test
    void shouldSkipThePythonRunWhereItWouldNotDoTheJobsWork() {
        assertThat(
                        ThroughputBench.pythonCannot(
                                java.util.List.of("--kafka.linger.ms", "5"),
                                java.util.Map.of("sobel", "INT16_LE")))
                .isNull();
        assertThat(
                        ThroughputBench.pythonCannot(
                                java.util.List.of("--padding", "SAME"), java.util.Map.of()))
                .contains("not --padding");
        assertThat(
                        ThroughputBench.pythonCannot(
                                java.util.List.of(), java.util.Map.of("sobel", "UINT8_SCALED")))
                .contains("not UINT8_SCALED (filter sobel)");
    }
}
