package io.edgestream.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.clients.cli.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The jar's command line: dispatch, help, and how every tool reports a bad command line. */
class CommandLineTest {

    private static final List<String> TOOLS =
            List.of("produce-images", "consume-edges", "convolve");

    /** What a run of the jar's main printed, and its exit code. */
    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc =
                Main.run(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(
                rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, CommandLine> tools() {
        return Main.commandLine(System.out, System.err).getSubcommands();
    }

    @Test
    void withoutAToolTheToolsAreListedAsAUsageError() {
        Run none = run();
        assertThat(none.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.out()).isEmpty();
        assertThat(none.err())
                .isEqualTo(
                        "Usage: java -jar edgestream-clients.jar TOOL [options]\n"
                                + "Tools:\n"
                                + "  produce-images  Pushes images (files, directories, stdin,"
                                + " synthetic) to Kafka.\n"
                                + "  consume-edges   Reads edge maps and stats into"
                                + " .npy/.png/stats.jsonl/index.html.\n"
                                + "  convolve        Convolves one file offline with the same core"
                                + " as the job.\n"
                                + "Run 'TOOL --help' for the options of a tool.\n");
        Run help = run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).isEqualTo(none.err());
        assertThat(run("-h").out()).isEqualTo(none.err());

        Run unknown = run("produce-image", "x");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).isEqualTo("unknown tool 'produce-image'\n" + none.err());
    }

    @Test
    void everyToolAnswersHelpWithItsUsageOnStandardOutput() {
        for (String tool : TOOLS) {
            Run r = run(tool, "--help");
            assertThat(r.exitCode()).as(tool).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(r.out())
                    .isEqualTo(tools().get(tool).getUsageMessage())
                    .startsWith("Usage: " + tool + " ");
            assertThat(run(tool, "-h").out()).isEqualTo(r.out());
        }
    }

    @Test
    void everyToolsHelpListsEveryOptionWithItsDefaultAndTheExitCodes() {
        for (Map.Entry<String, CommandLine> e : tools().entrySet()) {
            CommandLine cl = e.getValue();
            // Wrapped lines are joined, so that a default split over two lines is found.
            String help = cl.getUsageMessage().replaceAll("\\s+", " ");
            for (OptionSpec o : cl.getCommandSpec().options()) {
                String name = o.longestName();
                assertThat(help).as("%s %s", e.getKey(), name).contains(name);
                if (o.usageHelp() || o.arity().max() == 0) {
                    continue; // a switch: off unless given
                }
                String text = String.join(" ", o.description());
                if (o.isMultiValue()) {
                    assertThat(text).as("%s %s", e.getKey(), name).contains("(repeatable)");
                } else if (o.defaultValue() != null) {
                    assertThat(help)
                            .as("%s %s", e.getKey(), name)
                            .contains("(default: " + o.defaultValue());
                } else {
                    assertThat(text).as("%s %s", e.getKey(), name).contains("(default: ");
                }
            }
            assertThat(help)
                    .contains("Exit codes: 0 ")
                    .contains(" 1 ")
                    .contains(" 64 bad command line");
        }
    }

    @Test
    void aBadCommandLineIsExit64WithTheToolsNameAndAPointerToHelp() {
        Map<List<String>, String> cases =
                Map.of(
                        List.of("produce-images", "--topik", "x"),
                        "Unknown option: '--topik' (did you mean --topic?)",
                        List.of("produce-images", "--topic"),
                        "Missing required parameter for option '--topic' (NAME)",
                        List.of("produce-images", "--topic", "a", "--topic", "b", "x"),
                        "option '--topic' (NAME) should be specified only once",
                        List.of("produce-images", "--synthetic", "--count", "many"),
                        "Invalid value for option '--count': 'many' is not a long",
                        List.of("produce-images", "--max-request-size", "lots", "x"),
                        "Invalid value for option '--max-request-size': 'lots' is not a size;"
                                + " write e.g. 32MiB, 512KiB or 1048576 (bytes)",
                        List.of("consume-edges", "--timeout", "soon"),
                        "Invalid value for option '--timeout': 'soon' is not a duration; write"
                                + " e.g. 30s, 500ms, 5m, 1h or PT30S",
                        List.of("consume-edges", "--progress", "fancy"),
                        "Invalid value for option '--progress': 'fancy' is not one of auto, bar,"
                                + " lines, none",
                        List.of("consume-edges", "out"),
                        "unexpected arguments [out]; the output directory is --out DIR",
                        List.of("convolve", "--border", "nope", "in.txt", "out.npy"),
                        "Invalid value for option '--border': 'nope' is not one of zero,"
                                + " constant, replicate, reflect, reflect-101, wrap",
                        List.of("convolve", "in.txt"),
                        "Missing required parameter: 'OUT.npy|OUT.png'");
        cases.forEach(
                (args, message) -> {
                    Run r = run(args.toArray(String[]::new));
                    String tool = args.get(0);
                    assertThat(r.exitCode()).as("%s", args).isEqualTo(ExitCodes.USAGE);
                    assertThat(r.out()).as("%s", args).isEmpty();
                    assertThat(r.err())
                            .as("%s", args)
                            .isEqualTo(tool + ": " + message + "\nTry '" + tool + " --help'.\n");
                });
    }

    @Test
    void aFailureOfTheToolIsItsMessageAndExitCode() {
        Run r = run("convolve", "--filter", "vertical", "/no/such/file.txt", "out.npy");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).isEmpty();
        assertThat(r.err())
                .startsWith("convolve: cannot read /no/such/file.txt: ")
                .endsWith("\n")
                .doesNotContain("Try ");
    }

    @Test
    void aBootstrapAddressThatDoesNotResolveIsAOneLineFailure() {
        Run r =
                run(
                        "produce-images",
                        "--bootstrap",
                        "no-such-host.invalid:9092",
                        "--synthetic",
                        "--count",
                        "1");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err())
                .isEqualTo(
                        "produce-images: cannot connect to Kafka at no-such-host.invalid:9092"
                                + " (ConfigException: No resolvable bootstrap urls given in"
                                + " bootstrap.servers); check --bootstrap and any --kafka"
                                + " settings\n");
    }
}
