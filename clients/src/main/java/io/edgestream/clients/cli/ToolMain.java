package io.edgestream.clients.cli;

import java.io.PrintStream;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * The command-line wrapper every tool shares: parse the arguments, answer {@code --help}, report a
 * bad command line (exit {@link ExitCodes#USAGE}) with a pointer to {@code --help}, run the tool,
 * and turn a {@link ToolException} into its message and exit code. One place, so every tool reports
 * errors in the same words.
 */
public final class ToolMain {

    /** A tool's {@code parse(String...)}: arguments to options. */
    @FunctionalInterface
    public interface Parser<O> {
        O parse(String... args) throws UsageException;
    }

    private ToolMain() {}

    /**
     * Runs {@code tool}: prints the help of {@code flags} if asked, else parses with {@code parser}
     * and returns what {@code body} returns for the options.
     *
     * @param tool the tool's name, prefixed to every error message
     * @param flags the tool's declared options (for {@code --help})
     * @param parser the tool's options parser
     * @param body runs the tool and returns its exit code; may throw {@link ToolException}
     */
    public static <O> int main(
            String tool,
            Supplier<Flags> flags,
            Parser<O> parser,
            ToIntFunction<O> body,
            String[] args,
            PrintStream out,
            PrintStream err) {
        O o;
        try {
            Flags.Parsed p = flags.get().parse(args);
            if (p.help()) {
                out.print(flags.get().help());
                return ExitCodes.OK;
            }
            o = parser.parse(args);
        } catch (UsageException e) {
            err.println(tool + ": " + e.getMessage());
            err.println("Try '" + tool + " --help'.");
            return ExitCodes.USAGE;
        }
        try {
            return body.applyAsInt(o);
        } catch (ToolException e) {
            err.println(tool + ": " + e.getMessage());
            return e.exitCode();
        }
    }
}
