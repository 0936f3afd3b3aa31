package io.edgestream.clients;

import io.edgestream.clients.cli.ExitCodes;
import io.edgestream.clients.consume.ConsumeEdges;
import io.edgestream.clients.convolve.ConvolveFile;
import io.edgestream.clients.produce.ProduceImages;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * Entry point of {@code edgestream-clients.jar}: {@code java -jar edgestream-clients.jar TOOL
 * [options]} with TOOL one of {@code produce-images}, {@code consume-edges}, {@code convolve}. The
 * scripts in {@code scripts/} call it; {@code TOOL --help} lists every option.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // The tools' own logging configuration, unless the user chose one.
        if (System.getProperty("log4j2.configurationFile") == null
                && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "edgestream-clients-log4j2.properties");
        }
        System.exit(run(args, System.out, System.err));
    }

    /** Dispatches to a tool and returns its exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            usage(args.length == 0 ? err : out);
            return args.length == 0 ? ExitCodes.USAGE : ExitCodes.OK;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case ProduceImages.TOOL:
                return ProduceImages.main(rest, out, err);
            case ConsumeEdges.TOOL:
                return ConsumeEdges.main(rest, out, err);
            case ConvolveFile.TOOL:
                return ConvolveFile.main(rest, out, err);
            default:
                err.println("unknown tool '" + args[0] + "'");
                usage(err);
                return ExitCodes.USAGE;
        }
    }

    private static void usage(PrintStream s) {
        s.println("Usage: java -jar edgestream-clients.jar TOOL [options]");
        s.println("Tools:");
        s.println(
                "  "
                        + ProduceImages.TOOL
                        + "   push images (files, directories, stdin, synthetic) to Kafka");
        s.println(
                "  "
                        + ConsumeEdges.TOOL
                        + "    read edge maps and stats into .npy/.png/stats.jsonl/index.html");
        s.println(
                "  " + ConvolveFile.TOOL + "         convolve one file offline with the same core");
        s.println("Run 'TOOL --help' for the options of a tool.");
    }
}
