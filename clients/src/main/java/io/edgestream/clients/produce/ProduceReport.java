package io.edgestream.clients.produce;

import io.edgestream.clients.cli.KafkaReport;
import io.edgestream.schemas.ImageFrame;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Everything {@code produce-images} prints, apart from the progress display: the settings and each
 * image sent ({@code --verbose}), and the summary with the inputs left out (the first {@value
 * #LISTED} of each kind).
 */
final class ProduceReport extends KafkaReport {

    /** Inputs listed per kind of problem in the summary. */
    static final int LISTED = 20;

    ProduceReport(PrintStream out, boolean verbose) {
        super(out, verbose, "producer");
    }

    /** One image handed to the producer ({@code --verbose}). */
    void sent(ImageFrame f, int bytes, String display) {
        if (verbose) {
            out.println(
                    "sent "
                            + f.getImageId()
                            + " ("
                            + f.getWidth()
                            + "x"
                            + f.getHeight()
                            + ", "
                            + bytes
                            + " bytes) from "
                            + display);
        }
    }

    void summary(ProduceImages.Summary s, ProduceImages.Options o) {
        out.printf(
                Locale.ROOT,
                "%s: sent %d images (%.2f MB) to topic '%s' in %.1f s (%.1f images/s)%n",
                ProduceImages.TOOL,
                s.sent().size(),
                s.bytes() / 1e6,
                o.topic,
                s.seconds(),
                s.sent().size() / Math.max(1e-3, s.seconds()));
        list("skipped (unreadable or not a supported image)", s.skipped());
        list(
                "over the size limit ("
                        + o.maxRequestSize
                        + " bytes; raise --max-request-size and the topic's max.message.bytes)",
                s.oversize());
        list("failed to send", s.failed());
    }

    private void list(String what, List<ProduceImages.Skipped> inputs) {
        if (inputs.isEmpty()) {
            return;
        }
        out.println("  " + inputs.size() + " " + what + ":");
        int shown = 0;
        for (ProduceImages.Skipped s : inputs) {
            if (shown++ == LISTED) {
                out.println("    ... and " + (inputs.size() - LISTED) + " more");
                break;
            }
            out.println("    " + s.input() + ": " + s.reason());
        }
    }
}
