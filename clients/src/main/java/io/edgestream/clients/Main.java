package io.edgestream.clients;

import io.edgestream.clients.cli.Cli;
import io.edgestream.clients.cli.ExitCodes;
import io.edgestream.clients.consume.ConsumeEdgesCommand;
import io.edgestream.clients.convolve.ConvolveCommand;
import io.edgestream.clients.produce.ProduceImagesCommand;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Entry point of {@code edgestream-clients.jar}: {@code java -jar edgestream-clients.jar TOOL
 * [options]} with TOOL one of {@code produce-images}, {@code consume-edges}, {@code convolve}. The
 * scripts in {@code scripts/} call it; {@code TOOL --help} lists every option.
 */
@Command(
        name = "edgestream-clients",
        synopsisHeading = "Usage: ",
        customSynopsis = "java -jar edgestream-clients.jar TOOL [options]",
        commandListHeading = "Tools:%n",
        footer = "Run 'TOOL --help' for the options of a tool.")
public final class Main implements Callable<Integer> {

    private final PrintStream err;

    @Spec CommandSpec spec;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            hidden = true,
            description = "print this help and exit")
    boolean help;

    private Main(PrintStream err) {
        this.err = err;
    }

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
        return commandLine(out, err).execute(args);
    }

    /** The command line of the jar: every tool as a subcommand, set up as {@link Cli} says. */
    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        Main main = new Main(err);
        CommandLine cl =
                new CommandLine(main)
                        .addSubcommand(new ProduceImagesCommand(out))
                        .addSubcommand(new ConsumeEdgesCommand(out))
                        .addSubcommand(new ConvolveCommand(out));
        Cli.configure(cl, out, err);
        CommandLine.IParameterExceptionHandler tools = cl.getParameterExceptionHandler();
        cl.setParameterExceptionHandler(
                (e, a) -> {
                    if (e.getCommandLine() == cl
                            && e instanceof CommandLine.UnmatchedArgumentException u
                            && !u.getUnmatched().isEmpty()) {
                        err.println("unknown tool '" + u.getUnmatched().get(0) + "'");
                        cl.usage(err);
                        return ExitCodes.USAGE;
                    }
                    return tools.handleParseException(e, a);
                });
        return cl;
    }

    /** No tool given: the list of tools, as an error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(err);
        return ExitCodes.USAGE;
    }
}
