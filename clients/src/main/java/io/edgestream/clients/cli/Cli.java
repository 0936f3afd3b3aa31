package io.edgestream.clients.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.ParameterException;

/**
 * The command-line conventions every tool shares, in one place so that every tool reports errors in
 * the same words: a bad command line prints {@code TOOL: message} and a pointer to {@code --help}
 * on the error stream and exits {@link ExitCodes#USAGE}; a {@link ToolException} prints {@code
 * TOOL: message} and exits with its code; help is plain text (no colours) on the output stream.
 * Arguments starting with {@code @} are file names, not picocli argument files.
 */
public final class Cli {
    /** The width of every tool's {@code --help}, so that it looks the same on every terminal. */
    public static final int HELP_WIDTH = 100;

    /** Options with their value up to this long share a line with their description. */
    static final int LONG_OPTIONS_WIDTH = 30;

    private Cli() {}

    /**
     * Sets up {@code cl} (with its subcommands already added, if any) with the tools' conventions;
     * returns it.
     */
    public static CommandLine configure(CommandLine cl, PrintStream out, PrintStream err) {
        cl.setOut(writer(out));
        cl.setErr(writer(err));
        cl.setColorScheme(Help.defaultColorScheme(Help.Ansi.OFF));
        cl.setUsageHelpWidth(HELP_WIDTH);
        cl.setUsageHelpLongOptionsMaxWidth(LONG_OPTIONS_WIDTH);
        cl.setExpandAtFiles(false);
        cl.setParameterExceptionHandler(
                (e, args) -> {
                    CommandLine failed = e.getCommandLine();
                    String tool = failed.getCommandName();
                    failed.getErr().println(tool + ": " + message(e));
                    failed.getErr().println("Try '" + tool + " --help'.");
                    failed.getErr().flush();
                    return ExitCodes.USAGE;
                });
        cl.setExecutionExceptionHandler(
                (e, failed, parseResult) -> {
                    if (e instanceof ToolException t) {
                        failed.getErr().println(failed.getCommandName() + ": " + t.getMessage());
                        failed.getErr().flush();
                        return t.exitCode();
                    }
                    throw e;
                });
        return cl;
    }

    /** A usage error of {@code cl}'s command: exit {@link ExitCodes#USAGE} with this message. */
    public static ParameterException usage(CommandLine cl, String message) {
        return new ParameterException(cl, message);
    }

    /** picocli's message, with a suggestion for a misspelt option. */
    static String message(ParameterException e) {
        String m = e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException u
                && !u.getSuggestions().isEmpty()) {
            m += " (did you mean " + u.getSuggestions().get(0) + "?)";
        }
        return m;
    }

    private static PrintWriter writer(PrintStream s) {
        return new PrintWriter(s, true);
    }
}
