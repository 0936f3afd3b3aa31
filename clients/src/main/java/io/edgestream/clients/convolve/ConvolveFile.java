package io.edgestream.clients.convolve;

import io.edgestream.clients.cli.ExitCodes;
import io.edgestream.clients.cli.ToolException;
import io.edgestream.clients.consume.NpyWriter;
import io.edgestream.clients.consume.PngViews;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.conv.Convolution;
import io.edgestream.imaging.conv.Gradient;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.Filters;
import io.edgestream.imaging.filter.GradientFilter;
import io.edgestream.imaging.filter.LinearFilter;
import io.edgestream.imaging.image.ImageF32;
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
                            + o.filter.size()
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

    static String extension(Path p) {
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
