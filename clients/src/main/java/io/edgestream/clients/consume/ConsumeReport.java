package io.edgestream.clients.consume;

import io.edgestream.clients.cli.KafkaReport;
import io.edgestream.imaging.image.ImageF32;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Everything {@code consume-edges} prints, apart from the progress display: the settings and each
 * map written ({@code --verbose}), dead letters, skipped records (the first {@value
 * #SKIPPED_SHOWN}), and the summary at the end.
 */
final class ConsumeReport extends KafkaReport {

    /** Skipped records printed as they happen; the summary counts them all. */
    static final int SKIPPED_SHOWN = 10;

    /** Incomplete maps listed in the summary. */
    static final int INCOMPLETE_SHOWN = 10;

    private int skipped;

    ConsumeReport(PrintStream out, boolean verbose) {
        super(out, verbose, "consumer");
    }

    void skipped(String what) {
        if (++skipped <= SKIPPED_SHOWN) {
            out.println(ConsumeEdges.TOOL + ": skipped " + what);
        }
    }

    void deadLetter(ConsumeEdges.DeadLetterSeen d) {
        out.println(
                "dead letter "
                        + (d.imageId() == null ? "(no image id)" : d.imageId())
                        + " from "
                        + d.source()
                        + ": "
                        + d.reason()
                        + ": "
                        + d.message());
    }

    void resumed(String group, int maps, int completeImages, long offsetSum) {
        out.println(
                ConsumeEdges.TOOL
                        + ": group '"
                        + group
                        + "': "
                        + (offsetSum < 0
                                ? "no committed offsets yet, reading from --from"
                                : "continuing from its committed offsets")
                        + "; "
                        + maps
                        + " maps ("
                        + completeImages
                        + " complete images) already in the output directory");
    }

    void wrote(Path npy, ImageF32 map) {
        if (verbose) {
            out.println(
                    "wrote "
                            + npy
                            + " ("
                            + map.width
                            + "x"
                            + map.height
                            + "x"
                            + map.channels
                            + ")");
        }
    }

    void noThumbnail(String imageId, String where, String why) {
        if (verbose) {
            out.println("no thumbnail for " + imageId + " (" + where + "): " + why);
        }
    }

    void summary(ConsumeEdges.Summary s, ConsumeEdges.Options o, long duplicates) {
        out.printf(
                Locale.ROOT,
                "%s: %d images complete, %d maps written to %s (%d tiles, %d stats records%s) in %.1f s%n",
                ConsumeEdges.TOOL,
                s.completeImages(),
                s.mapCount(),
                o.out.toAbsolutePath(),
                s.tiles(),
                s.stats(),
                duplicates > 0 ? ", " + duplicates + " duplicates ignored" : "",
                s.seconds());
        if (o.images > 0 && !s.targetReached()) {
            out.println(
                    "  target of "
                            + o.images
                            + " images not reached before the timeout ("
                            + o.timeout
                            + ")");
        }
        if (o.dlq) {
            out.println("  " + s.deadLetters().size() + " dead letters");
        }
        if (!s.incompleteMaps().isEmpty()) {
            out.println("  " + s.incompleteMaps().size() + " maps incomplete at the end:");
            s.incompleteMaps().stream()
                    .limit(INCOMPLETE_SHOWN)
                    .forEach(m -> out.println("    " + m));
        }
        if (!s.unreadable().isEmpty()) {
            out.println("  " + s.unreadable().size() + " records skipped as unreadable");
        }
        out.println("  gallery: " + o.out.resolve(OutputDir.GALLERY_FILE).toAbsolutePath());
    }
}
