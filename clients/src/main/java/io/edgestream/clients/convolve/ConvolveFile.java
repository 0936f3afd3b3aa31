package io.edgestream.clients.convolve;

import io.edgestream.clients.cli.ExitCodes;
import io.edgestream.clients.cli.Flags;
import io.edgestream.clients.cli.ToolException;
import io.edgestream.clients.cli.ToolMain;
import io.edgestream.clients.cli.UsageException;
import io.edgestream.clients.consume.NpyWriter;
import io.edgestream.clients.consume.PngViews;
import io.edgestream.imaging.conv.BorderMode;
import io.edgestream.imaging.conv.ColorMode;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.conv.Convolution;
import io.edgestream.imaging.conv.Gradient;
import io.edgestream.imaging.conv.Padding;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.Filters;
import io.edgestream.imaging.filter.GradientFilter;
import io.edgestream.imaging.filter.LinearFilter;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.kernel.Kernels;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code convolve}: one filter over one file with the pipeline's core, no Kafka or Flink — for
 * trying filters before deploying them, and for checking the pipeline's results. The input is an
 * image file (JPEG, PNG, BMP, TIFF, by magic bytes; depth kept, values 0..255 or 0..65535), a NumPy
 * {@code .npy} array ((h, w) or (h, w, c)), or a text matrix (one row per line, numbers separated
 * by spaces or commas; e.g. the worked examples of the convolution spec). The output is an exact
 * float32 {@code .npy} or an 8-bit {@code .png} view (scaling as in {@link PngViews}), chosen by
 * its extension. Small results (at most 16x16) are also printed.
 *
 * <p>A linear filter's map is {@link Convolution#convolve}; a gradient filter's ({@code sobel},
 * {@code scharr}, {@code prewitt}) is {@link Gradient#magnitude} of its x and y responses — the
 * same arithmetic the job's tiles use, so the job's reassembled maps equal this tool's output bit
 * for bit for the same parameters.
 */
public final class ConvolveFile {

    /** The tool's name as given to {@code io.edgestream.clients.Main}. */
    public static final String TOOL = "convolve";

    /** Maps at most this wide and high are printed whatever {@code --print} says. */
    static final int PRINTED_SIDE = 16;

    /** What to run: input, output, filter, parameters. */
    public static final class Options {
        Path in;
        Path out;
        Filter filter = Filters.parse("sobel");
        ConvParams params = ConvParams.DEFAULT;
        boolean print = false;

        public Options in(Path v) {
            in = v;
            return this;
        }

        public Options out(Path v) {
            out = v;
            return this;
        }

        public Options filter(Filter v) {
            filter = v;
            return this;
        }

        public Options params(ConvParams v) {
            params = v;
            return this;
        }

        /** Print the output values whatever the size. */
        public Options print(boolean v) {
            print = v;
            return this;
        }
    }

    /** The result: the map and where it went. */
    public record Result(ImageF32 map, Path out, float min, float max) {}

    private ConvolveFile() {}

    /** The command line, with every option and its default. */
    public static Flags flags() {
        return new Flags(
                        "convolve (--filter NAME | --kernel MATRIX) [options] IN OUT.npy|OUT.png",
                        "Convolves one file with one filter using the pipeline's core (no Kafka, no"
                                + " Flink) and writes the feature map. IN is an image (JPEG, PNG, BMP,"
                                + " TIFF), a .npy array, or a text matrix (rows on lines, numbers"
                                + " separated by spaces or commas). Convolution here is"
                                + " cross-correlation: the kernel is not flipped.")
                .value(
                        "filter",
                        "NAME",
                        "sobel",
                        "built-in filter: "
                                + String.join(", ", Filters.names())
                                + "; or name=MATRIX")
                .value(
                        "kernel",
                        "MATRIX",
                        "none",
                        "custom kernel, rows separated by ';', e.g. '1,0,-1;1,0,-1;1,0,-1'")
                .value(
                        "padding",
                        "valid|same",
                        "valid",
                        "VALID (no invented pixels) or SAME (output size = input size / stride)")
                .value(
                        "border",
                        "MODE",
                        "zero",
                        "pixels outside the image under SAME: zero, constant, replicate, reflect, reflect-101, wrap")
                .value("border-value", "V", "0", "the constant for --border constant")
                .value("stride", "S", "1", "step between output pixels")
                .value(
                        "color",
                        "volume|per-channel|grey",
                        "volume",
                        "how a colour image meets a 2-D filter")
                .value("grey-weights", "bt601|bt709|R,G,B", "bt601", "weights for --color grey")
                .flag("print", "print the output values (done anyway for maps up to 16x16)")
                .footer(
                        "Examples:\n"
                                + "  convolve --filter vertical example1.txt out.npy\n"
                                + "  convolve --filter sobel --padding same --border reflect-101 photo.jpg sobel.png\n"
                                + "  convolve --kernel '0,1,0;1,-4,1;0,1,0' --color per-channel photo.png lap.npy")
                .footer(
                        "Exit codes: 0 done; 1 input unreadable or output not writable; 64 bad command line.");
    }

    /** Parses a command line into options. */
    public static Options parse(String... args) throws UsageException {
        Flags.Parsed p = flags().parse(args);
        if (p.positional().size() != 2) {
            throw new UsageException(
                    "need exactly two arguments, IN and OUT.npy|OUT.png; got " + p.positional());
        }
        Options o = new Options();
        o.in = Path.of(p.positional().get(0));
        o.out = Path.of(p.positional().get(1));
        String ext = extension(o.out);
        if (!ext.equals("npy") && !ext.equals("png")) {
            throw new UsageException(
                    "OUT must end in .npy (exact float32) or .png (8-bit view), got " + o.out);
        }
        if (p.has("filter") && p.has("kernel")) {
            throw new UsageException("give either --filter or --kernel, not both");
        }
        try {
            o.filter =
                    p.has("kernel")
                            ? new LinearFilter("kernel", Kernels.parse("kernel", p.get("kernel")))
                            : Filters.parse(p.get("filter"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        float[] weights;
        String gw = p.get("grey-weights").trim().toLowerCase(Locale.ROOT);
        if (gw.equals("bt601")) {
            weights = ConvParams.BT601;
        } else if (gw.equals("bt709")) {
            weights = ConvParams.BT709;
        } else {
            String[] parts = gw.split(",");
            weights = new float[parts.length];
            try {
                for (int i = 0; i < parts.length; i++) {
                    weights[i] = Float.parseFloat(parts[i].trim());
                }
            } catch (NumberFormatException e) {
                throw new UsageException(
                        "--grey-weights must be bt601, bt709 or numbers like 0.3,0.6,0.1");
            }
        }
        o.params =
                new ConvParams(
                        p.getEnum("padding", Padding.class),
                        p.getEnum("border", BorderMode.class),
                        (float) p.getDouble("border-value"),
                        p.getInt("stride", 1),
                        p.getEnum("color", ColorMode.class),
                        weights);
        o.print = p.has("print");
        return o;
    }

    /** The command-line entry: parses, runs, prints, returns the exit code. */
    public static int main(String[] args, PrintStream out, PrintStream err) {
        return ToolMain.main(
                TOOL,
                ConvolveFile::flags,
                ConvolveFile::parse,
                o -> {
                    run(o, out);
                    return ExitCodes.OK;
                },
                args,
                out,
                err);
    }

    /** The feature map of {@code filter} on {@code image}: the core's whole-image result. */
    public static ImageF32 compute(ImageF32 image, Filter filter, ConvParams params) {
        if (filter instanceof GradientFilter g) {
            return Gradient.magnitude(
                    Convolution.convolve(image, g.x(), params),
                    Convolution.convolve(image, g.y(), params));
        }
        return Convolution.convolve(image, ((LinearFilter) filter).kernel(), params);
    }

    /** Reads the input, convolves, writes the output, prints size and value range. */
    public static Result run(Options o, PrintStream out) {
        ImageF32 image = read(o.in);
        ImageF32 map;
        try {
            map = compute(image, o.filter, o.params);
        } catch (IllegalArgumentException e) {
            throw new ToolException(
                    "cannot apply " + o.filter.name() + " to " + o.in + ": " + e.getMessage(),
                    ExitCodes.USAGE,
                    e);
        }
        if (map.width == 0 || map.height == 0) {
            throw new ToolException(
                    "the "
                            + image.width
                            + "x"
                            + image.height
                            + " input is smaller than the "
                            + o.filter.rows()
                            + "x"
                            + o.filter.cols()
                            + " filter: VALID padding gives no output; use --padding same",
                    ExitCodes.USAGE);
        }
        try {
            if (extension(o.out).equals("png")) {
                PngViews.write(map, o.out);
            } else {
                NpyWriter.write(map, o.out);
            }
        } catch (IOException e) {
            throw new ToolException(
                    "cannot write " + o.out.toAbsolutePath() + ": " + e, ExitCodes.FAILED, e);
        }
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : map.toArray()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        ConvolveReport.summary(o, image, map, min, max, out);
        if (o.print || (map.width <= PRINTED_SIDE && map.height <= PRINTED_SIDE)) {
            ConvolveReport.matrix(map, out);
        }
        return new Result(map, o.out, min, max);
    }

    private static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * Reads an image file, a .npy array or a text matrix as floats, as the tool reads its input
     * (see {@link InputArrays}).
     *
     * @throws ToolException ({@link ExitCodes#FAILED}) if the file cannot be read or understood
     */
    public static ImageF32 read(Path in) {
        return InputArrays.read(in);
    }
}
