package io.edgestream.clients.produce;

import io.edgestream.clients.cli.BootstrapOption;
import io.edgestream.clients.cli.Cli;
import io.edgestream.clients.cli.Converters;
import io.edgestream.clients.cli.KafkaOptions;
import io.edgestream.clients.cli.RegistryOptions;
import io.edgestream.clients.cli.ToolCommand;
import io.edgestream.clients.cli.UsageException;
import io.edgestream.imaging.decode.DecodeLimits;
import io.edgestream.schemas.PixelFormat;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * The command line of {@code produce-images}: its options, their defaults and help, and the checks
 * that make a command line a valid {@link ProduceImages.Options}. Running it runs {@link
 * ProduceImages#run} and exits with the summary's code.
 */
@Command(
        name = ProduceImages.TOOL,
        synopsisHeading = "Usage: ",
        customSynopsis = "produce-images [options] PATH... | --synthetic [options]",
        descriptionHeading = "%n",
        description = {
            "Pushes images (files, directories, stdin, synthetic) to Kafka.",
            "",
            "Each image becomes an ImageFrame record (key = source id). JPEG, PNG, BMP and"
                    + " TIFF files, recognised by their first bytes, are sent as they are, unless"
                    + " --raw. Image ids are <source>/<first 16 hex digits of the file's SHA-256>,"
                    + " or <source>/<sequence, 6 digits> for synthetic frames."
        },
        parameterListHeading = "%nArguments:%n",
        optionListHeading = "%nOptions:%n",
        sortOptions = false,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            " 0:all sent",
            " 1:failure (broker unreachable, topic missing, a send failed)",
            " 2:done, but some files were skipped (unreadable, not an image, undecodable) or"
                    + " over the size limit",
            "64:bad command line"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  produce-images --bootstrap localhost:9092 photos/",
            "  produce-images --glob '*.jpg' --source archive-7 /data/scans",
            "  find . -name '*.png' | produce-images -",
            "  produce-images --synthetic --fps 5 --count 100 --size 1280x720 --source cam-2",
            "  produce-images --registry http://127.0.0.1:8085/apis/ccompat/v7 photos/"
        })
public final class ProduceImagesCommand extends ToolCommand<ProduceImages.Options> {

    /** The compression types of Kafka producers. */
    static final Set<String> COMPRESSION = Set.of("none", "gzip", "snappy", "lz4", "zstd");

    /** Options that only make sense with {@code --synthetic}. */
    private static final List<String> SYNTHETIC_ONLY =
            List.of("--count", "--fps", "--size", "--format");

    @Parameters(
            paramLabel = "PATH",
            arity = "0..*",
            description =
                    "a file, a directory (searched recursively, hidden files left out), or '-'"
                            + " to read paths from standard input, one per line")
    List<String> paths = new ArrayList<>();

    @Mixin BootstrapOption bootstrap;

    @Option(
            names = "--topic",
            paramLabel = "NAME",
            defaultValue = "images",
            description = "topic to send to (default: ${DEFAULT-VALUE})")
    String topic;

    @Option(
            names = "--glob",
            paramLabel = "PATTERN",
            description =
                    "only files whose name matches, e.g. '*.jpg'; with a '/', the path below the"
                            + " directory, e.g. '**/cam*/*.png' (default: all files)")
    String glob;

    @Option(
            names = "--raw",
            description = "decode at the producer and send RAW pixels (depth kept)")
    boolean raw;

    @Option(
            names = "--source",
            paramLabel = "ID",
            description =
                    "source id: record key and prefix of image ids (default: files, or cam-1"
                            + " with --synthetic)")
    String source;

    @Option(
            names = "--batch",
            paramLabel = "ID",
            description = "batchId of every frame (default: none)")
    String batch;

    @Option(
            names = "--attr",
            paramLabel = "KEY=VALUE",
            description = "attribute added to every frame (repeatable)")
    List<String> attributes = new ArrayList<>();

    @Option(
            names = "--start-sequence",
            paramLabel = "N",
            defaultValue = "0",
            description = "sequence number of the first frame (default: ${DEFAULT-VALUE})")
    long startSequence;

    @Option(
            names = "--synthetic",
            description = "send frames from a synthetic camera instead of files")
    boolean synthetic;

    @Option(
            names = "--count",
            paramLabel = "N",
            defaultValue = "10",
            description = "synthetic frames to send (default: ${DEFAULT-VALUE})")
    long count;

    @Option(
            names = "--fps",
            paramLabel = "F",
            defaultValue = "10",
            description =
                    "synthetic frames per second, 0 = as fast as possible (default:"
                            + " ${DEFAULT-VALUE})")
    double fps;

    @Option(
            names = "--size",
            paramLabel = "WxH",
            defaultValue = "640x480",
            converter = SizeConverter.class,
            description = "synthetic frame size, at least 8x8 (default: ${DEFAULT-VALUE})")
    FrameSize size;

    @Option(
            names = "--format",
            paramLabel = "gray8|rgb8",
            defaultValue = "gray8",
            converter = FormatConverter.class,
            description = "synthetic pixel format (default: ${DEFAULT-VALUE})")
    PixelFormat format;

    @Option(
            names = "--compression",
            paramLabel = "TYPE",
            defaultValue = "zstd",
            description =
                    "producer compression: none, gzip, snappy, lz4, zstd (default:"
                            + " ${DEFAULT-VALUE})")
    String compression;

    @Option(
            names = "--max-request-size",
            paramLabel = "BYTES",
            defaultValue = "32MiB",
            converter = Converters.ByteSizeConverter.class,
            description =
                    "largest record sent (producer max.request.size); larger ones are skipped"
                            + " (default: ${DEFAULT-VALUE})")
    long maxRequestSize;

    @Option(
            names = "--linger",
            paramLabel = "MS",
            defaultValue = "20",
            description = "producer linger.ms (default: ${DEFAULT-VALUE})")
    int linger;

    @Option(
            names = "--max-pixels",
            paramLabel = "N",
            defaultValue = "100000000",
            description = "skip images with more pixels than this (default: ${DEFAULT-VALUE})")
    long maxPixels;

    @Mixin KafkaOptions kafka;

    @Mixin RegistryOptions registry;

    @Option(
            names = "--verbose",
            description = "print each image sent and the Kafka settings (secrets masked)")
    boolean verbose;

    /**
     * @param out where the tool prints its progress and summary
     */
    public ProduceImagesCommand(PrintStream out) {
        super(out);
    }

    @Override
    public Integer call() {
        return ProduceImages.run(options(), out).exitCode();
    }

    @Override
    protected ProduceImages.Options options() {
        CommandLine cl = spec.commandLine();
        ProduceImages.Options o = new ProduceImages.Options();
        o.bootstrap(bootstrap.value());
        o.topic = topic;
        o.glob = glob;
        o.raw = raw;
        o.source = source;
        o.batchId = batch;
        for (String a : attributes) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw Cli.usage(cl, "--attr needs KEY=VALUE, got '" + a + "'");
            }
            o.attributes.put(a.substring(0, eq), a.substring(eq + 1));
        }
        o.startSequence = atLeast("--start-sequence", startSequence, 0);
        if (!COMPRESSION.contains(compression)) {
            throw Cli.usage(
                    cl,
                    "--compression must be one of none, gzip, snappy, lz4, zstd, got '"
                            + compression
                            + "'");
        }
        o.compression = compression;
        o.maxRequestSize = maxRequestSize;
        o.lingerMs = (int) atLeast("--linger", linger, 0);
        o.limits =
                new DecodeLimits(
                        atLeast("--max-pixels", maxPixels, 1),
                        DecodeLimits.DEFAULT.maxWidth(),
                        DecodeLimits.DEFAULT.maxHeight());
        try {
            kafka.applyTo(o);
            registry.applyTo(o);
        } catch (UsageException e) {
            throw Cli.usage(cl, e.getMessage());
        }
        o.verbose(verbose);
        if (synthetic) {
            if (!paths.isEmpty()) {
                throw Cli.usage(cl, "--synthetic takes no PATH arguments, got " + paths);
            }
            if (raw) {
                throw Cli.usage(cl, "--raw is for files; synthetic frames are always RAW");
            }
            if (fps < 0 || !Double.isFinite(fps)) {
                throw Cli.usage(cl, "--fps must be 0 (as fast as possible) or more, got " + fps);
            }
            if (size.width() < 8 || size.height() < 8) {
                throw Cli.usage(cl, "--size must be at least 8x8, got " + size);
            }
            o.synthetic(atLeast("--count", count, 1), fps, size.width(), size.height(), format);
        } else {
            for (String opt : SYNTHETIC_ONLY) {
                if (cl.getParseResult().hasMatchedOption(opt)) {
                    throw Cli.usage(cl, opt + " only applies with --synthetic");
                }
            }
            if (paths.isEmpty()) {
                throw Cli.usage(
                        cl,
                        "no input: give files or directories, '-' for a list on standard input,"
                                + " or --synthetic");
            }
            o.inputs(paths);
        }
        return o;
    }

    /**
     * Parses a command line into options, as the tool does.
     *
     * @throws CommandLine.ParameterException for a bad command line
     */
    public static ProduceImages.Options parse(String... args) {
        return parse(new ProduceImagesCommand(System.out), args);
    }

    /** A synthetic frame's size. */
    record FrameSize(int width, int height) {
        @Override
        public String toString() {
            return width + "x" + height;
        }
    }

    /** {@code WIDTHxHEIGHT}, e.g. {@code 640x480}. */
    static final class SizeConverter implements ITypeConverter<FrameSize> {
        @Override
        public FrameSize convert(String value) {
            String s = value.trim().toLowerCase(Locale.ROOT);
            int x = s.indexOf('x');
            try {
                return new FrameSize(
                        Integer.parseInt(s.substring(0, x)), Integer.parseInt(s.substring(x + 1)));
            } catch (RuntimeException e) {
                throw new TypeConversionException(
                        "needs WIDTHxHEIGHT, e.g. 640x480, got '" + value + "'");
            }
        }
    }

    /** {@code gray8} or {@code rgb8}: what the synthetic camera makes. */
    static final class FormatConverter implements ITypeConverter<PixelFormat> {
        @Override
        public PixelFormat convert(String value) {
            String v = value.trim().toUpperCase(Locale.ROOT);
            if (v.equals("GRAY8") || v.equals("RGB8")) {
                return PixelFormat.valueOf(v);
            }
            throw new TypeConversionException("must be gray8 or rgb8, got '" + value + "'");
        }
    }
}
