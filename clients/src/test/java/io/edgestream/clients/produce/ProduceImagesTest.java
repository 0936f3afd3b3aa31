package io.edgestream.clients.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.clients.cli.ExitCodes;
import io.edgestream.clients.cli.ToolException;
import io.edgestream.clients.cli.UsageException;
import io.edgestream.schemas.ImageEncoding;
import io.edgestream.schemas.PixelFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

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
                ProduceImages.parse(
                        "--bootstrap",
                        "k:9",
                        "--glob",
                        "*.jpg",
                        "--raw",
                        "--attr",
                        "lens=50mm",
                        "dir",
                        "-");
        assertThat(o.bootstrap).isEqualTo("k:9");
        assertThat(o.glob).isEqualTo("*.jpg");
        assertThat(o.raw).isTrue();
        assertThat(o.inputs).containsExactly("dir", "-");
        assertThat(o.attributes).containsEntry("lens", "50mm");
        assertThat(o.sourceId()).isEqualTo("files");
        assertThat(o.mode).isEqualTo(ProduceImages.Mode.FILES);

        ProduceImages.Options s =
                ProduceImages.parse(
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

        assertThatThrownBy(() -> ProduceImages.parse())
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("no input");
        assertThatThrownBy(() -> ProduceImages.parse("--fps", "3", "x"))
                .hasMessageContaining("only applies with --synthetic");
        assertThatThrownBy(() -> ProduceImages.parse("--synthetic", "--size", "big"))
                .hasMessageContaining("WIDTHxHEIGHT");
        assertThatThrownBy(() -> ProduceImages.parse("--synthetic", "--format", "rgba8"))
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
                ProduceImages.main(
                        new String[] {
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
    void usageErrorsExitWith64() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc =
                ProduceImages.main(
                        new String[] {"--no-such-flag"},
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("unknown option --no-such-flag")
                .contains("--help");
    }
}
