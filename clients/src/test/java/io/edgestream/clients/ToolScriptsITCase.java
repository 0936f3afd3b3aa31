package io.edgestream.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.testing.kafka.EmbeddedKafka;
import io.edgestream.testing.kafka.EmbeddedKafkaExtension;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tools as a user starts them, through {@code scripts/*.sh} in their own processes: by default
 * they print their result and summary, no JDK notice and no library warning; {@code --verbose}
 * prints more (for {@code convolve}, the vector path: the launcher still loads the Vector API while
 * it hides the JDK's notice); real errors still reach the error stream.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ToolScriptsITCase {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    /** What a script printed, each stream on its own. */
    record Run(int exitCode, List<String> out, List<String> err) {}

    private static Run script(Path tmp, String name, String... args) throws Exception {
        List<String> cmd =
                new ArrayList<>(List.of("bash", REPO.resolve("scripts/" + name).toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, name, ".out");
        Path err = Files.createTempFile(tmp, name, ".err");
        Process p =
                new ProcessBuilder(cmd)
                        .directory(REPO.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
        assertThat(p.waitFor(150, TimeUnit.SECONDS)).as("%s exited", cmd).isTrue();
        return new Run(p.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
    }

    @Test
    void produceImagesPrintsOnlyItsSummaryUnlessVerbose(@TempDir Path tmp) throws Exception {
        String topic = "images-scripts";
        KAFKA.broker()
                .createTopics(
                        1,
                        Map.of(
                                "max.message.bytes",
                                String.valueOf(EmbeddedKafka.DEFAULT_MAX_MESSAGE_BYTES)),
                        topic);
        String[] args = {
            "--bootstrap",
            KAFKA.broker().bootstrapServers(),
            "--topic",
            topic,
            "samples/board.jpg",
            "samples/home.jpg"
        };

        Run quiet = script(tmp, "produce-images.sh", args);
        assertThat(quiet.exitCode()).as("exit code; %s", quiet).isZero();
        assertThat(quiet.err()).as("stderr").isEmpty();
        assertThat(quiet.out())
                .as("stdout")
                .singleElement()
                .asString()
                .startsWith("produce-images: sent 2 images");

        String[] verboseArgs = new String[args.length + 1];
        verboseArgs[0] = "--verbose";
        System.arraycopy(args, 0, verboseArgs, 1, args.length);
        Run verbose = script(tmp, "produce-images.sh", verboseArgs);
        assertThat(verbose.exitCode()).as("exit code; %s", verbose).isZero();
        assertThat(verbose.err()).as("stderr").isEmpty();
        assertThat(verbose.out().stream().filter(l -> l.startsWith("sent files/")))
                .as("one line per image sent, with --verbose; %s", verbose.out())
                .hasSize(2);
        assertThat(verbose.out()).as("stdout").hasSizeGreaterThan(quiet.out().size() + 2);
        assertThat(verbose.out().get(verbose.out().size() - 1))
                .startsWith("produce-images: sent 2 images");
    }

    @Test
    void convolveShowsNoIncubatorNoticeButShowsItsErrors(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in.txt");
        Files.writeString(in, "1 2 3\n4 5 6\n7 8 9\n");
        Path npy = tmp.resolve("out.npy");

        Run ok = script(tmp, "convolve.sh", "--filter", "vertical", in.toString(), npy.toString());
        assertThat(ok.exitCode()).as("exit code; %s", ok).isZero();
        assertThat(ok.err()).as("stderr: the JDK's incubator notice is filtered out").isEmpty();
        assertThat(ok.out().get(0)).startsWith("convolve: " + in);
        assertThat(npy).exists();

        Run verbose =
                script(
                        tmp,
                        "convolve.sh",
                        "--verbose",
                        "--filter",
                        "vertical",
                        in.toString(),
                        npy.toString());
        assertThat(verbose.exitCode()).as("exit code; %s", verbose).isZero();
        assertThat(verbose.err()).as("stderr").isEmpty();
        assertThat(verbose.out().get(0))
                .as("--verbose names the path: the launcher loaded the Vector API")
                .startsWith("convolve: path vector");
        assertThat(verbose.out())
                .anyMatch(l -> l.startsWith("convolve: read, convolved and wrote"));
        assertThat(ok.out()).noneMatch(l -> l.startsWith("convolve: path"));

        Path missing = tmp.resolve("missing.txt");
        Run failed =
                script(
                        tmp,
                        "convolve.sh",
                        "--filter",
                        "vertical",
                        missing.toString(),
                        npy.toString());
        assertThat(failed.exitCode()).as("exit code of a failed run").isNotZero();
        assertThat(failed.err())
                .as("stderr: the error, and nothing else")
                .singleElement()
                .asString()
                .startsWith("convolve: cannot read " + missing);
    }
}
