package io.edgestream.clients.convolve;

import io.edgestream.clients.cli.Cli;
import io.edgestream.clients.cli.Converters;
import io.edgestream.clients.cli.ExitCodes;
import io.edgestream.clients.cli.ToolCommand;
import io.edgestream.imaging.conv.BorderMode;
import io.edgestream.imaging.conv.ColorMode;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.conv.Convolution;
import io.edgestream.imaging.conv.Padding;
import io.edgestream.imaging.filter.Filters;
import io.edgestream.imaging.filter.LinearFilter;
import io.edgestream.imaging.kernel.Kernels;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command line of {@code convolve}: its options, their defaults and help, and the checks that
 * make a command line a valid {@link ConvolveFile.Options}. Running it runs {@link
 * ConvolveFile#run}.
 */
@Command(
        name = ConvolveFile.TOOL,
        synopsisHeading = "Usage: ",
        customSynopsis = "convolve (--filter NAME | --kernel MATRIX) [options] IN OUT.npy|OUT.png",
        descriptionHeading = "%n",
        description = {
            "Convolves one file offline with the same core as the job.",
            "",
            "One filter over one file with the pipeline's core, no Kafka and no Flink: for"
                    + " trying filters before deploying them and for checking the pipeline's"
                    + " results. Convolution here is cross-correlation: the kernel is not flipped."
        },
        parameterListHeading = "%nArguments:%n",
        optionListHeading = "%nOptions:%n",
        sortOptions = false,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            " 0:done",
            " 1:input unreadable or output not writable",
            "64:bad command line (also: the filter does not fit the input)"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  convolve --filter vertical example1.txt out.npy",
            "  convolve --filter sobel --padding same --border reflect-101 photo.jpg sobel.png",
            "  convolve --kernel '0,1,0;1,-4,1;0,1,0' --color per-channel photo.png lap.npy"
        })
public final class ConvolveCommand extends ToolCommand<ConvolveFile.Options> {

    @Parameters(
            index = "0",
            paramLabel = "IN",
            description =
                    "an image (JPEG, PNG, BMP, TIFF; depth kept), a .npy array, or a text matrix"
                            + " (rows on lines, numbers separated by spaces or commas)")
    Path in;

    @Parameters(
            index = "1",
            paramLabel = "OUT.npy|OUT.png",
            description = "the map: exact float32 .npy, or an 8-bit .png view")
    Path outFile;

    @Option(
            names = "--filter",
            paramLabel = "NAME",
            defaultValue = "sobel",
            description =
                    "built-in filter: vertical, horizontal, sobel_x, sobel_y, scharr_x, scharr_y,"
                            + " prewitt_x, prewitt_y, laplacian, or the gradient magnitudes sobel,"
                            + " scharr, prewitt; or name=MATRIX (default: ${DEFAULT-VALUE})")
    String filter;

    @Option(
            names = "--kernel",
            paramLabel = "MATRIX",
            description =
                    "custom kernel, rows separated by ';', e.g. '1,0,-1;1,0,-1;1,0,-1'"
                            + " (default: none)")
    String kernel;

    @Option(
            names = "--padding",
            paramLabel = "valid|same",
            defaultValue = "valid",
            converter = PaddingConverter.class,
            description =
                    "VALID (no invented pixels) or SAME (output size = input size / stride)"
                            + " (default: ${DEFAULT-VALUE})")
    Padding padding;

    @Option(
            names = "--border",
            paramLabel = "MODE",
            defaultValue = "zero",
            converter = BorderConverter.class,
            description =
                    "pixels outside the image under SAME: zero, constant, replicate, reflect,"
                            + " reflect-101, wrap (default: ${DEFAULT-VALUE})")
    BorderMode border;

    @Option(
            names = "--border-value",
            paramLabel = "V",
            defaultValue = "0",
            description = "the constant for --border constant (default: ${DEFAULT-VALUE})")
    double borderValue;

    @Option(
            names = "--stride",
            paramLabel = "S",
            defaultValue = "1",
            description = "step between output pixels (default: ${DEFAULT-VALUE})")
    int stride;

    @Option(
            names = "--color",
            paramLabel = "volume|per-channel|grey",
            defaultValue = "volume",
            converter = ColorConverter.class,
            description = "how a colour image meets a 2-D filter (default: ${DEFAULT-VALUE})")
    ColorMode color;

    @Option(
            names = "--grey-weights",
            paramLabel = "bt601|bt709|R,G,B",
            defaultValue = "bt601",
            description = "weights for --color grey (default: ${DEFAULT-VALUE})")
    String greyWeights;

    @Option(
            names = "--print",
            description = "print the output values (done anyway for maps up to 16x16)")
    boolean print;

    @Option(
            names = "--verbose",
            description =
                    "also print which convolution path runs (vector or scalar) and why, and the"
                            + " time taken")
    boolean verbose;

    /**
     * @param out where the tool prints its result
     */
    public ConvolveCommand(PrintStream out) {
        super(out);
    }

    @Override
    public Integer call() {
        ConvolveFile.Options o = options();
        if (verbose) {
            out.println(
                    "convolve: path "
                            + Convolution.implementation()
                            + " ("
                            + Convolution.implementationReason()
                            + ")");
        }
        long t0 = System.nanoTime();
        ConvolveFile.run(o, out);
        if (verbose) {
            out.printf(
                    Locale.ROOT,
                    "convolve: read, convolved and wrote in %.1f ms%n",
                    (System.nanoTime() - t0) / 1e6);
        }
        return ExitCodes.OK;
    }

    @Override
    protected ConvolveFile.Options options() {
        CommandLine cl = spec.commandLine();
        ConvolveFile.Options o = new ConvolveFile.Options();
        o.in = in;
        o.out = outFile;
        String ext = ConvolveFile.extension(o.out);
        if (!ext.equals("npy") && !ext.equals("png")) {
            throw Cli.usage(
                    cl, "OUT must end in .npy (exact float32) or .png (8-bit view), got " + o.out);
        }
        if (cl.getParseResult().hasMatchedOption("--filter") && kernel != null) {
            throw Cli.usage(cl, "give either --filter or --kernel, not both");
        }
        try {
            o.filter =
                    kernel != null
                            ? new LinearFilter("kernel", Kernels.parse("kernel", kernel))
                            : Filters.parse(filter);
        } catch (IllegalArgumentException e) {
            throw Cli.usage(cl, e.getMessage());
        }
        int step = (int) atLeast("--stride", stride, 1);
        if (!Double.isFinite(borderValue)) {
            throw Cli.usage(cl, "--border-value needs a number, got " + borderValue);
        }
        o.params =
                new ConvParams(padding, border, (float) borderValue, step, color, greyWeights(cl));
        o.print = print;
        return o;
    }

    private float[] greyWeights(CommandLine cl) {
        String gw = greyWeights.trim().toLowerCase(Locale.ROOT);
        if (gw.equals("bt601")) {
            return ConvParams.BT601;
        }
        if (gw.equals("bt709")) {
            return ConvParams.BT709;
        }
        String[] parts = gw.split(",");
        float[] weights = new float[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                weights[i] = Float.parseFloat(parts[i].trim());
            }
        } catch (NumberFormatException e) {
            throw Cli.usage(cl, "--grey-weights must be bt601, bt709 or numbers like 0.3,0.6,0.1");
        }
        return weights;
    }

    /**
     * Parses a command line into options, as the tool does.
     *
     * @throws CommandLine.ParameterException for a bad command line
     */
    public static ConvolveFile.Options parse(String... args) {
        return parse(new ConvolveCommand(System.out), args);
    }

    static final class PaddingConverter extends Converters.EnumConverter<Padding> {
        PaddingConverter() {
            super(Padding.class);
        }
    }

    static final class BorderConverter extends Converters.EnumConverter<BorderMode> {
        BorderConverter() {
            super(BorderMode.class);
        }
    }

    static final class ColorConverter extends Converters.EnumConverter<ColorMode> {
        ColorConverter() {
            super(ColorMode.class);
        }
    }
}
