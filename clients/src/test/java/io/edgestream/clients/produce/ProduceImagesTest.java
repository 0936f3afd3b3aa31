package io.edgestream.clients.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.clients.Main;
import io.edgestream.clients.cli.ExitCodes;
import io.edgestream.clients.cli.ToolException;
import io.edgestream.schemas.ImageEncoding;
import io.edgestream.schemas.PixelFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ProduceImagesTest {

    @Test
    void contentIdsAreStableAndDependOnlyOnTheBytes() {
        byte[] a = "same bytes".getBytes(StandardCharsets.UTF_8);
        assertThat(ProduceImages.contentId(a)).isEqualTo(ProduceImages.contentId(a.clone()));
        assertThat(ProduceImages.contentId(a)).hasSize(16).matches("[0-9a-f]{16}");
        // SHA-256("abc") starts with ba7816bf8f01cfea.
        assertThat(ProduceImages.contentId("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea");
        assertThat(ProduceImages.contentId("abd".getBytes(StandardCharsets.US_ASCII)))
                .isNotEqualTo("ba7816bf8f01cfea");
    }

    @Test
    void onlyAVerboseReportPrintsTheProducerSettingsWithSecretsMasked() {
        Properties p = new Properties();
        p.put("acks", "all");
        p.put("ssl.key.password", "k");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        new ProduceReport(out, false).settings(p);
        new ProduceReport(out, true).settings(p);
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo("Kafka producer settings:\n  acks = all\n  ssl.key.password = ******\n");
    }

    @Test
    void recognisesImageFilesByTheirMagicBytes() {
        assertThat(
                        ImageFiles.sniff(
                                new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}))
                .isEqualTo(ImageEncoding.PNG);
        assertThat(
                        ImageFiles.sniff(
                                new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0}))
                .isEqualTo(ImageEncoding.JPEG);
        assertThat(ImageFiles.sniff(new byte[] {'B', 'M', 0, 0})).isEqualTo(ImageEncoding.BMP);
        assertThat(ImageFiles.sniff(new byte[] {'I', 'I', 42, 0})).isEqualTo(ImageEncoding.TIFF);
        assertThat(ImageFiles.sniff(new byte[] {'M', 'M', 0, 42})).isEqualTo(ImageEncoding.TIFF);
        assertThat(ImageFiles.sniff("hello".getBytes(StandardCharsets.US_ASCII))).isNull();
        assertThat(ImageFiles.sniff(new byte[0])).isNull();
    }

    @Test
    void parsesFileAndSyntheticCommandLines() throws Exception {
        ProduceImages.Options o =
                ProduceImagesCommand.parse(
                        "--bootstrap",
                        "k:9",
                        "--glob",
                        "*.jpg",
                        "--raw",
                        "--attr",
                        "lens=50mm",
                        "dir",
                        "-");
        assertThat(o.bootstrap()).isEqualTo("k:9");
        assertThat(o.glob).isEqualTo("*.jpg");
        assertThat(o.raw).isTrue();
        assertThat(o.inputs).containsExactly("dir", "-");
        assertThat(o.attributes).containsEntry("lens", "50mm");
        assertThat(o.sourceId()).isEqualTo("files");
        assertThat(o.mode).isEqualTo(ProduceImages.Mode.FILES);

        ProduceImages.Options s =
                ProduceImagesCommand.parse(
                        "--synthetic",
                        "--fps",
                        "5",
                        "--count",
                        "3",
                        "--size",
                        "64x48",
                        "--format",
                        "rgb8");
        assertThat(s.mode).isEqualTo(ProduceImages.Mode.SYNTHETIC);
        assertThat(s.fps).isEqualTo(5.0);
        assertThat(s.count).isEqualTo(3);
        assertThat(s.width).isEqualTo(64);
        assertThat(s.height).isEqualTo(48);
        assertThat(s.syntheticFormat).isEqualTo(PixelFormat.RGB8);
        assertThat(s.sourceId()).isEqualTo("cam-1");

        assertThatThrownBy(() -> ProduceImagesCommand.parse())
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("no input");
        assertThatThrownBy(() -> ProduceImagesCommand.parse("--fps", "3", "x"))
                .hasMessageContaining("only applies with --synthetic");
        assertThatThrownBy(() -> ProduceImagesCommand.parse("--synthetic", "--size", "big"))
                .hasMessageContaining("WIDTHxHEIGHT");
        assertThatThrownBy(() -> ProduceImagesCommand.parse("--synthetic", "--format", "rgba8"))
                .hasMessageContaining("gray8 or rgb8");
    }

    @Test
    void producerIsIdempotentDurableCompressedAndAcceptsLargeRecordsWithUserSettingsLast() {
        ProduceImages.Options o =
                new ProduceImages.Options().kafka(java.util.Map.of("linger.ms", "99"));
        Properties p = ProduceImages.producerProperties(o);
        assertThat(p.getProperty("enable.idempotence")).isEqualTo("true");
        assertThat(p.getProperty("acks")).isEqualTo("all");
        assertThat(p.getProperty("compression.type")).isEqualTo("zstd");
        assertThat(p.getProperty("max.request.size")).isEqualTo(String.valueOf(32 << 20));
        assertThat(Long.parseLong(p.getProperty("buffer.memory")))
                .isGreaterThanOrEqualTo(32L << 20);
        assertThat(p.getProperty("linger.ms")).isEqualTo("99");
    }

    @Test
    void syntheticFramesAreDeterministicMoveAndHaveEdges() {
        SyntheticCamera grey = new SyntheticCamera(64, 48, PixelFormat.GRAY8);
        byte[] f0 = grey.frame(0);
        assertThat(f0).hasSize(64 * 48);
        assertThat(grey.frame(0)).isEqualTo(f0);
        assertThat(grey.frame(5)).isNotEqualTo(f0);
        int distinct =
                (int)
                        java.util.stream.IntStream.range(0, f0.length)
                                .map(i -> f0[i] & 0xFF)
                                .distinct()
                                .count();
        assertThat(distinct).isGreaterThan(10);
        assertThat(new SyntheticCamera(64, 48, PixelFormat.RGB8).frame(3)).hasSize(64 * 48 * 3);
        assertThatThrownBy(() -> new SyntheticCamera(64, 48, PixelFormat.GRAY16))
                .hasMessageContaining("GRAY8 or RGB8");
    }

    @Test
    void anUnreachableBrokerFailsFastWithExitCode1AndAClearMessage() {
        ProduceImages.Options o =
                new ProduceImages.Options()
                        .bootstrap("127.0.0.1:1")
                        .connectTimeout(Duration.ofSeconds(1))
                        .synthetic(1, 0, 16, 16, PixelFormat.GRAY8)
                        .progress(io.edgestream.clients.cli.Progress.Mode.NONE);
        long start = System.nanoTime();
        assertThatThrownBy(
                        () ->
                                ProduceImages.run(
                                        o,
                                        new PrintStream(
                                                new ByteArrayOutputStream(),
                                                true,
                                                StandardCharsets.UTF_8)))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("cannot reach Kafka at 127.0.0.1:1")
                .satisfies(
                        e ->
                                assertThat(((ToolException) e).exitCode())
                                        .isEqualTo(ExitCodes.FAILED));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc =
                Main.run(
                        new String[] {
                            ProduceImages.TOOL,
                            "--bootstrap",
                            "127.0.0.1:1",
                            "--connect-timeout",
                            "1s",
                            "--synthetic",
                            "--count",
                            "1"
                        },
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("produce-images: cannot reach Kafka");
    }

    @Test
    void theCommandLinesDefaultsAreTheJavaApisDefaults() {
        ProduceImages.Options d = new ProduceImages.Options();
        ProduceImages.Options files = ProduceImagesCommand.parse("photos");
        ProduceImages.Options syn = ProduceImagesCommand.parse("--synthetic");
        for (ProduceImages.Options o : java.util.List.of(files, syn)) {
            assertThat(o.bootstrap()).isEqualTo(d.bootstrap()).isEqualTo("localhost:9092");
            assertThat(o.topic).isEqualTo(d.topic).isEqualTo("images");
            assertThat(o.glob).isEqualTo(d.glob).isNull();
            assertThat(o.raw).isEqualTo(d.raw).isFalse();
            assertThat(o.source).isEqualTo(d.source).isNull();
            assertThat(o.batchId).isEqualTo(d.batchId).isNull();
            assertThat(o.attributes).isEqualTo(d.attributes).isEmpty();
            assertThat(o.startSequence).isEqualTo(d.startSequence).isZero();
            assertThat(o.compression).isEqualTo(d.compression).isEqualTo("zstd");
            assertThat(o.maxRequestSize).isEqualTo(d.maxRequestSize).isEqualTo(32L << 20);
            assertThat(o.lingerMs).isEqualTo(d.lingerMs).isEqualTo(20);
            assertThat(o.limits).isEqualTo(d.limits);
            assertThat(o.connectTimeout())
                    .isEqualTo(d.connectTimeout())
                    .isEqualTo(Duration.ofSeconds(10));
            assertThat(o.kafka()).isEqualTo(d.kafka()).isEmpty();
            assertThat(o.progress()).isEqualTo(d.progress());
            assertThat(o.verbose()).isEqualTo(d.verbose()).isFalse();
        }
        assertThat(files.mode).isEqualTo(ProduceImages.Mode.FILES);
        assertThat(syn.count).isEqualTo(d.count).isEqualTo(10);
        assertThat(syn.fps).isEqualTo(d.fps).isEqualTo(10.0);
        assertThat(syn.width).isEqualTo(d.width).isEqualTo(640);
        assertThat(syn.height).isEqualTo(d.height).isEqualTo(480);
        assertThat(syn.syntheticFormat).isEqualTo(d.syntheticFormat);
    }

    @Test
    void acceptsBothValueFormsRepeatsAStdinDashAndEndOfOptions() {
        ProduceImages.Options o =
                ProduceImagesCommand.parse(
                        "--topic=t1",
                        "--max-request-size",
                        "512k",
                        "--attr",
                        "a=1=2",
                        "--attr=b=",
                        "--kafka",
                        "acks=1",
                        "--kafka=linger.ms=5",
                        "-",
                        "@list",
                        "--",
                        "--not-an-option");
        assertThat(o.topic).isEqualTo("t1");
        assertThat(o.maxRequestSize).isEqualTo(512L << 10);
        assertThat(o.attributes)
                .containsExactly(java.util.Map.entry("a", "1=2"), java.util.Map.entry("b", ""));
        assertThat(o.kafka())
                .containsExactly(
                        java.util.Map.entry("acks", "1"), java.util.Map.entry("linger.ms", "5"));
        assertThat(o.inputs).containsExactly("-", "@list", "--not-an-option");
        assertThatThrownBy(() -> ProduceImagesCommand.parse("--synthetic", "--count", "0"))
                .hasMessage("--count must be at least 1, got 0");
        assertThatThrownBy(() -> ProduceImagesCommand.parse("--synthetic", "--size", "4x100"))
                .hasMessage("--size must be at least 8x8, got 4x100");
        assertThatThrownBy(() -> ProduceImagesCommand.parse("--synthetic", "x"))
                .hasMessage("--synthetic takes no PATH arguments, got [x]");
        assertThatThrownBy(() -> ProduceImagesCommand.parse("--synthetic", "--raw"))
                .hasMessage("--raw is for files; synthetic frames are always RAW");
        assertThatThrownBy(() -> ProduceImagesCommand.parse("--attr", "novalue", "x"))
                .hasMessage("--attr needs KEY=VALUE, got 'novalue'");
        assertThatThrownBy(() -> ProduceImagesCommand.parse("--compression", "brotli", "x"))
                .hasMessage(
                        "--compression must be one of none, gzip, snappy, lz4, zstd, got 'brotli'");
    }
}
