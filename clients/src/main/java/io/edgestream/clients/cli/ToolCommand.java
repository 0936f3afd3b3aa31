package io.edgestream.clients.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What the command line of every tool has: {@code -h/--help} (first in the option list), the stream
 * the tool prints to, the check of a number against its minimum, and parsing a command line into
 * the tool's options exactly as the jar does.
 *
 * @param <O> the tool's options for its Java API
 */
public abstract class ToolCommand<O> implements Callable<Integer> {

    /** Where the tool prints its progress, result and summary. */
    protected final PrintStream out;

    @Spec protected CommandSpec spec;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "print this help and exit")
    boolean help;

    protected ToolCommand(PrintStream out) {
        this.out = out;
    }

    /**
     * The options this command line asks for.
     *
     * @throws CommandLine.ParameterException if they do not go together or a value is wrong
     */
    protected abstract O options();

    /**
     * {@code value} if it is at least {@code min}.
     *
     * @throws CommandLine.ParameterException naming {@code option} otherwise
     */
    protected final long atLeast(String option, long value, long min) {
        if (value < min) {
            throw Cli.usage(
                    spec.commandLine(), option + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    /**
     * Parses {@code args} with {@code command}, set up as {@link Cli} says, into its options.
     *
     * @throws CommandLine.ParameterException for a bad command line
     */
    protected static <O> O parse(ToolCommand<O> command, String... args) {
        Cli.configure(new CommandLine(command), System.out, System.err).parseArgs(args);
        return command.options();
    }
}
