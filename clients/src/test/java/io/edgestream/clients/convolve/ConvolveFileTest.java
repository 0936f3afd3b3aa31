package io.edgestream.clients.convolve;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.clients.Main;
import io.edgestream.clients.cli.ExitCodes;
import io.edgestream.clients.consume.NpyReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worked examples of docs/convolution.md, through the command-line tool. */
class ConvolveFileTest {

    private static final String EXAMPLE_1 =
            "3 0 1 2 7 4\n1 5 8 9 3 1\n2 7 2 5 1 3\n0 1 3 1 7 8\n4 2 1 6 2 8\n2 4 5 2 3 9\n";
    private static final String HALVES = "10 10 10 0 0 0\n".repeat(6);

    /** The tool as run from the command line. */
    private static int convolve(String[] args, PrintStream out, PrintStream err) {
        String[] all = new String[args.length + 1];
        all[0] = ConvolveFile.TOOL;
        System.arraycopy(args, 0, all, 1, args.length);
        return Main.run(all, out, err);
    }

    private static float[] run(Path dir, String input, String... flags) throws Exception {
        Path in = dir.resolve("in.txt");
        Files.writeString(in, input);
        Path out = dir.resolve("out.npy");
        String[] args = new String[flags.length + 2];
        System.arraycopy(flags, 0, args, 0, flags.length);
        args[flags.length] = in.toString();
        args[flags.length + 1] = out.toString();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int rc =
                convolve(
                        args,
                        new PrintStream(o, true, StandardCharsets.UTF_8),
                        new PrintStream(e, true, StandardCharsets.UTF_8));
        assertThat(rc).as(e.toString(StandardCharsets.UTF_8)).isEqualTo(ExitCodes.OK);
        return NpyReader.read(out).toArray();
    }

    @Test
    void example1VerticalEdgeFilter(@TempDir Path dir) throws Exception {
        assertThat(run(dir, EXAMPLE_1, "--filter", "vertical"))
                .containsExactly(-5, -4, 0, 8, -10, -2, 2, 3, 0, -2, -4, -7, -3, -2, -3, -16);
    }

    @Test
    void example2BrightLeftHalfGivesThirtyInTheMiddleAndMirroredGivesMinusThirty(@TempDir Path dir)
            throws Exception {
        float[] row = {0, 30, 30, 0};
        float[] expected = new float[16];
        for (int i = 0; i < 4; i++) {
            System.arraycopy(row, 0, expected, i * 4, 4);
        }
        assertThat(run(dir, HALVES, "--kernel", "1,0,-1;1,0,-1;1,0,-1")).containsExactly(expected);
        float[] mirrored = run(dir, "0 0 0 10 10 10\n".repeat(6), "--filter", "vertical");
        assertThat(mirrored[1]).isEqualTo(-30f);
        assertThat(mirrored[2]).isEqualTo(-30f);
    }

    @Test
    void example3HorizontalFilterSeesNoEdgeInVerticalHalvesButOneInTheTranspose(@TempDir Path dir)
            throws Exception {
        assertThat(run(dir, HALVES, "--filter", "horizontal")).containsOnly(0f);
        String transposed = "10 10 10 10 10 10\n".repeat(3) + "0 0 0 0 0 0\n".repeat(3);
        float[] t = run(dir, transposed, "--filter", "horizontal");
        assertThat(t).containsExactly(0, 0, 0, 0, 30, 30, 30, 30, 30, 30, 30, 30, 0, 0, 0, 0);
    }

    @Test
    void samePaddingKeepsTheSizeAndStrideShrinksIt(@TempDir Path dir) throws Exception {
        assertThat(
                        run(
                                dir,
                                EXAMPLE_1,
                                "--filter",
                                "laplacian",
                                "--padding",
                                "same",
                                "--border",
                                "reflect-101"))
                .hasSize(36);
        assertThat(run(dir, EXAMPLE_1, "--filter", "vertical", "--stride", "2"))
                .containsExactly(-5, 0, 0, -4);
    }

    @Test
    void readsImagesAndWritesPngViews(@TempDir Path dir) throws Exception {
        BufferedImage img = new BufferedImage(8, 6, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 4; x++) {
                img.getRaster().setSample(x, y, 0, 200);
            }
        }
        Path in = dir.resolve("halves.png");
        ImageIO.write(img, "png", in.toFile());
        Path out = dir.resolve("v.png");
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int rc =
                convolve(
                        new String[] {"--filter", "vertical", in.toString(), out.toString()},
                        new PrintStream(o, true, StandardCharsets.UTF_8),
                        System.err);
        assertThat(rc).isZero();
        assertThat(o.toString(StandardCharsets.UTF_8)).contains("6x4").contains("values 0 .. 600");
        BufferedImage view = ImageIO.read(out.toFile());
        assertThat(view.getWidth()).isEqualTo(6);
        assertThat(view.getRaster().getSample(2, 0, 0)).isEqualTo(255);
        assertThat(view.getRaster().getSample(0, 0, 0)).isEqualTo(0);
    }

    @Test
    void anImageSmallerThanTheFilterIsAUsageErrorNotACrash(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("tiny.txt");
        Files.writeString(in, "1 2\n3 4\n");
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int rc =
                convolve(
                        new String[] {
                            "--filter", "sobel", in.toString(), dir.resolve("o.npy").toString()
                        },
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(e, true, StandardCharsets.UTF_8));
        assertThat(rc).isEqualTo(ExitCodes.USAGE);
        assertThat(e.toString(StandardCharsets.UTF_8))
                .contains("smaller than the 3x3 filter")
                .contains("--padding same");
    }

    @Test
    void gradientFiltersAreTheMagnitudeOfBothDerivatives(@TempDir Path dir) throws Exception {
        float[] m = run(dir, EXAMPLE_1, "--filter", "sobel");
        float[] gx = run(dir, EXAMPLE_1, "--filter", "sobel_x");
        float[] gy = run(dir, EXAMPLE_1, "--filter", "sobel_y");
        for (int i = 0; i < m.length; i++) {
            assertThat(m[i]).isEqualTo(io.edgestream.imaging.conv.Gradient.magnitude(gx[i], gy[i]));
        }
    }

    @Test
    void theCommandLinesDefaultsAreTheJavaApisDefaults() {
        ConvolveFile.Options d = new ConvolveFile.Options();
        ConvolveFile.Options o = ConvolveCommand.parse("in.txt", "out.npy");
        assertThat(o.in).isEqualTo(Path.of("in.txt"));
        assertThat(o.out).isEqualTo(Path.of("out.npy"));
        assertThat(o.filter.name()).isEqualTo(d.filter.name()).isEqualTo("sobel");
        assertThat(o.params.toString()).isEqualTo(d.params.toString());
        assertThat(o.params.greyWeights())
                .containsExactly(io.edgestream.imaging.conv.ConvParams.BT601);
        assertThat(o.print).isEqualTo(d.print).isFalse();
    }

    @Test
    void parsesParametersWithDashedEnumNames() {
        ConvolveFile.Options o =
                ConvolveCommand.parse(
                        "--kernel",
                        "1,0,-1;1,0,-1;1,0,-1",
                        "--padding",
                        "same",
                        "--border=reflect-101",
                        "--border-value",
                        "-2.5",
                        "--stride",
                        "2",
                        "--color",
                        "per-channel",
                        "--grey-weights",
                        "0.5,0.25,0.25",
                        "--print",
                        "a.png",
                        "b.png");
        assertThat(o.filter.name()).isEqualTo("kernel");
        assertThat(o.params.padding()).isEqualTo(io.edgestream.imaging.conv.Padding.SAME);
        assertThat(o.params.border()).isEqualTo(io.edgestream.imaging.conv.BorderMode.REFLECT_101);
        assertThat(o.params.borderConstant()).isEqualTo(-2.5f);
        assertThat(o.params.stride()).isEqualTo(2);
        assertThat(o.params.colorMode())
                .isEqualTo(io.edgestream.imaging.conv.ColorMode.PER_CHANNEL);
        assertThat(o.params.greyWeights()).containsExactly(0.5f, 0.25f, 0.25f);
        assertThat(o.print).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () ->
                                ConvolveCommand.parse(
                                        "--filter", "sobel", "--kernel", "1", "a", "b.npy"))
                .hasMessage("give either --filter or --kernel, not both");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> ConvolveCommand.parse("a", "b.txt"))
                .hasMessage("OUT must end in .npy (exact float32) or .png (8-bit view), got b.txt");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () ->
                                ConvolveCommand.parse(
                                        "--stride", "0", "--border-value", "NaN", "a", "b.npy"))
                .hasMessage("--stride must be at least 1, got 0");
    }

    @Test
    void theHelpNamesEveryBuiltInFilter() {
        String help =
                io.edgestream.clients.Main.commandLine(System.out, System.err)
                        .getSubcommands()
                        .get(ConvolveFile.TOOL)
                        .getUsageMessage()
                        .replaceAll("\\s+", " ");
        for (String f : io.edgestream.imaging.filter.Filters.names()) {
            assertThat(help).containsPattern(" " + java.util.regex.Pattern.quote(f) + "[,;]");
        }
    }
}
