package io.edgestream.clients.consume;

import io.edgestream.clients.cli.BootstrapOption;
import io.edgestream.clients.cli.Cli;
import io.edgestream.clients.cli.Converters;
import io.edgestream.clients.cli.KafkaOptions;
import io.edgestream.clients.cli.RegistryOptions;
import io.edgestream.clients.cli.ToolCommand;
import io.edgestream.clients.cli.UsageException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command line of {@code consume-edges}: its options, their defaults and help, and the checks
 * that make a command line a valid {@link ConsumeEdges.Options}. Running it runs {@link
 * ConsumeEdges#run} until its end condition or Ctrl-C, and exits with the summary's code.
 */
@Command(
        name = ConsumeEdges.TOOL,
        synopsisHeading = "Usage: ",
        customSynopsis = "consume-edges [options]",
        descriptionHeading = "%n",
        description = {
            "Reads edge maps and stats into .npy/.png/stats.jsonl/index.html.",
            "",
            "Tiles and statistics are read with read_committed, and a map is written once its"
                    + " statistics and all its tiles are there: OUT/<image>/<filter>.npy (float32;"
                    + " exact unless the job sent the map as FLOAT16 or UINT8),"
                    + " OUT/<image>/<filter>.png (8-bit view), a line in OUT/stats.jsonl,"
                    + " and the gallery, OUT/index.html. <image> is the input's file name (the"
                    + " job's EdgeStats.sourceName) with '~' and 10 hex digits of the image id's"
                    + " SHA-256 appended, so that images of the same name get their own folders;"
                    + " without a name, the image id. Characters other than letters, digits and"
                    + " . _ - become '_'."
        },
        optionListHeading = "%nOptions:%n",
        sortOptions = false,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            " 0:done",
            " 1:failure (broker unreachable, topic missing, output not writable)",
            " 2:the --images target was not reached before the timeout, or some records were"
                    + " unreadable",
            "64:bad command line"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  consume-edges --bootstrap localhost:9092 --out out --images 10",
            "  consume-edges --follow --with-originals --dlq --from latest",
            "  consume-edges --group gallery --images 10    # again: continues where it stopped",
            "  consume-edges --registry http://127.0.0.1:8085/apis/ccompat/v7 --images 10",
            "  python3 -c \"import numpy; print(numpy.load('out/board.jpg~0a1b2c3d4e/sobel.npy').shape)\""
        })
public final class ConsumeEdgesCommand extends ToolCommand<ConsumeEdges.Options> {

    /** Not an option: caught to say where the output directory goes. */
    @Parameters(hidden = true, arity = "0..*")
    List<String> unexpected = new ArrayList<>();

    @Mixin BootstrapOption bootstrap;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "out",
            description = "output directory (default: ${DEFAULT-VALUE})")
    Path outDir;

    @Option(
            names = "--maps-topic",
            paramLabel = "NAME",
            defaultValue = "edge-maps",
            description = "feature-map tile topic (default: ${DEFAULT-VALUE})")
    String mapsTopic;

    @Option(
            names = "--stats-topic",
            paramLabel = "NAME",
            defaultValue = "edge-stats",
            description = "edge statistics topic (default: ${DEFAULT-VALUE})")
    String statsTopic;

    @Option(
            names = "--with-originals",
            description = "also read the images topic and save original.png thumbnails")
    boolean withOriginals;

    @Option(
            names = "--images-topic",
            paramLabel = "NAME",
            defaultValue = "images",
            description = "input topic, for --with-originals (default: ${DEFAULT-VALUE})")
    String imagesTopic;

    @Option(
            names = "--thumbnail-size",
            paramLabel = "PIXELS",
            defaultValue = "256",
            description =
                    "longer side of original thumbnails, at least 16 (default: ${DEFAULT-VALUE})")
    int thumbnailSize;

    @Option(
            names = "--dlq",
            description = "also read the dead-letter topic, print and count dead letters")
    boolean dlq;

    @Option(
            names = "--dlq-topic",
            paramLabel = "NAME",
            defaultValue = "images-dlq",
            description = "dead-letter topic, for --dlq (default: ${DEFAULT-VALUE})")
    String dlqTopic;

    @Option(
            names = "--images",
            paramLabel = "N",
            defaultValue = "0",
            description = "stop after N complete images (default: 0, no limit)")
    long images;

    @Option(
            names = "--expect-filters",
            paramLabel = "N",
            defaultValue = "0",
            description =
                    "maps per image that make it complete (default: 0, an image is complete"
                            + " once no map of it is waiting for records)")
    int expectFilters;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = Converters.DurationConverter.class,
            description = "stop after this long, not with --follow (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--follow", description = "keep reading until interrupted (Ctrl-C)")
    boolean follow;

    @Option(
            names = "--from",
            paramLabel = "earliest|latest",
            defaultValue = "earliest",
            converter = FromConverter.class,
            description =
                    "read the topics from the beginning or only new records (default:"
                            + " ${DEFAULT-VALUE})")
    ConsumeEdges.From from;

    @Option(
            names = "--group",
            paramLabel = "NAME",
            description =
                    "Kafka consumer group keeping the offsets: start where the group's last run"
                            + " stopped (--from only where it has none), commit only past maps"
                            + " whose files are written; use the same --out every time (default:"
                            + " none, nothing committed, every run reads from --from)")
    String group;

    @Option(
            names = "--allow-uncommitted",
            description =
                    "permit --kafka isolation.level=read_uncommitted (may show output of aborted"
                            + " transactions)")
    boolean allowUncommitted;

    @Mixin KafkaOptions kafka;

    @Mixin RegistryOptions registry;

    @Option(
            names = "--verbose",
            description = "print each map written and the Kafka settings (secrets masked)")
    boolean verbose;

    /**
     * @param out where the tool prints its progress and summary
     */
    public ConsumeEdgesCommand(PrintStream out) {
        super(out);
    }

    @Override
    public Integer call() {
        return runUntilInterrupted(options(), out);
    }

    @Override
    protected ConsumeEdges.Options options() {
        CommandLine cl = spec.commandLine();
        if (!unexpected.isEmpty()) {
            throw Cli.usage(
                    cl,
                    "unexpected arguments " + unexpected + "; the output directory is --out DIR");
        }
        boolean given = cl.getParseResult().hasMatchedOption("--images");
        boolean timed = cl.getParseResult().hasMatchedOption("--timeout");
        if (follow && (given || timed)) {
            throw Cli.usage(
                    cl,
                    "--follow runs until interrupted; do not combine it with --images or"
                            + " --timeout");
        }
        ConsumeEdges.Options o = new ConsumeEdges.Options();
        o.bootstrap(bootstrap.value());
        o.out = outDir;
        o.mapsTopic = mapsTopic;
        o.statsTopic = statsTopic;
        o.imagesTopic = imagesTopic;
        o.dlqTopic = dlqTopic;
        o.withOriginals = withOriginals;
        o.dlq = dlq;
        o.thumbnailSize = (int) atLeast("--thumbnail-size", thumbnailSize, 16);
        o.images = given ? atLeast("--images", images, 1) : 0;
        o.expectFilters =
                cl.getParseResult().hasMatchedOption("--expect-filters")
                        ? (int) atLeast("--expect-filters", expectFilters, 1)
                        : 0;
        o.timeout = timeout;
        o.follow = follow;
        o.from = from;
        o.allowUncommitted = allowUncommitted;
        if (group != null && group.isBlank()) {
            throw Cli.usage(cl, "--group needs a name, e.g. --group gallery-1");
        }
        o.group = group;
        o.verbose(verbose);
        try {
            kafka.applyTo(o);
            registry.applyTo(o);
            ConsumeEdges.checkIsolation(o);
        } catch (UsageException e) {
            throw Cli.usage(cl, e.getMessage());
        }
        return o;
    }

    /** {@link ConsumeEdges#run} that a Ctrl-C ends cleanly, returning the exit code. */
    private static int runUntilInterrupted(ConsumeEdges.Options o, PrintStream out) {
        // Ctrl-C: finish the current poll, write the gallery, print the summary.
        CountDownLatch done = new CountDownLatch(1);
        Thread hook =
                new Thread(
                        () -> {
                            o.stop();
                            try {
                                done.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "consume-edges-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return ConsumeEdges.run(o, out).exitCode();
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down (Ctrl-C): the hook is running and will return.
            }
        }
    }

    /**
     * Parses a command line into options, as the tool does.
     *
     * @throws CommandLine.ParameterException for a bad command line
     */
    public static ConsumeEdges.Options parse(String... args) {
        return parse(new ConsumeEdgesCommand(System.out), args);
    }

    /** {@code earliest} or {@code latest}. */
    static final class FromConverter extends Converters.EnumConverter<ConsumeEdges.From> {
        FromConverter() {
            super(ConsumeEdges.From.class);
        }
    }
}
