package io.edgestream.python;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The Python interpreter that runs the package in tests, and how a test runs it.
 *
 * <p>The package needs NumPy, python3-avro and confluent-kafka; Debian installs them for its own
 * {@code /usr/bin/python3}, which need not be the {@code python3} first on {@code PATH} (pyenv,
 * conda). So the interpreter is {@code -Dedgestream.python} or {@code $EDGESTREAM_PYTHON} when set,
 * otherwise the first of {@code python3} and {@code /usr/bin/python3} that imports what the test
 * needs. Without one the test is skipped with the reason, except when {@code CI} is set ({@code
 * .ci/run} installs the packages), where it fails.
 */
final class PythonRuntime {
    private PythonRuntime() {}

    /** The modules the package imports. */
    static final List<String> PACKAGE_MODULES = List.of("numpy", "avro.schema", "confluent_kafka");

    /** The repository root: Maven runs a module's tests in the module folder, python/. */
    static final Path REPO = Path.of("").toAbsolutePath().getParent();

    /** The package's source folder (PYTHONPATH for running it from the checkout). */
    static final Path PACKAGE_DIR = REPO.resolve("python");

    /** An interpreter that imports every module of {@code modules}, or skip (fail under CI). */
    static String require(List<String> modules) {
        String chosen = System.getProperty("edgestream.python", System.getenv("EDGESTREAM_PYTHON"));
        Set<String> candidates = new LinkedHashSet<>();
        if (chosen != null && !chosen.isBlank()) {
            candidates.add(chosen);
        } else {
            candidates.add("python3");
            candidates.add("/usr/bin/python3");
        }
        String check = "import " + String.join(", ", modules);
        List<String> problems = new ArrayList<>();
        for (String python : candidates) {
            Result r;
            try {
                r = run(List.of(python, "-c", check), REPO, Map.of(), Duration.ofSeconds(60));
            } catch (IOException e) {
                problems.add(python + ": cannot be run (" + e.getMessage() + ")");
                continue;
            }
            if (r.exitCode() == 0) {
                return python;
            }
            problems.add(python + ": " + lastLine(r.output()));
        }
        String message =
                "no Python interpreter imports "
                        + String.join(", ", modules)
                        + " ("
                        + String.join("; ", problems)
                        + "); install Debian's packages: apt-get install -y python3-numpy"
                        + " python3-avro python3-confluent-kafka python3-pytest python3-venv, or"
                        + " name an interpreter that has them with -Dedgestream.python=PATH";
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank()) {
            fail("CI=" + ci + " is set, so this does not skip: " + message);
        }
        abort(message);
        throw new AssertionError("unreachable");
    }

    /** What a process printed (stdout and stderr together) and how it ended. */
    record Result(int exitCode, String output) {}

    /**
     * Runs {@code command} in {@code dir} with {@code env} added to this JVM's environment, its
     * output going to a file (so no pipe can fill up); kills it (this process only) after {@code
     * timeout} and fails with what it printed.
     */
    static Result run(List<String> command, Path dir, Map<String, String> env, Duration timeout)
            throws IOException {
        Path log = Files.createTempFile("python-run", ".log");
        try {
            ProcessBuilder pb =
                    new ProcessBuilder(command)
                            .directory(dir.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile());
            // The tests must not write __pycache__ folders into the checkout.
            pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            pb.environment().putAll(env);
            Process p = pb.start();
            boolean done;
            try {
                done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                kill(p);
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while running " + command, e);
            }
            if (!done) {
                kill(p);
                throw new AssertionError(
                        String.join(" ", command)
                                + " did not finish within "
                                + timeout
                                + "; it printed:\n"
                                + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Kills {@code p} and what it started (pip's build, say), and nothing else. */
    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static String lastLine(String output) {
        String s = output.strip();
        int nl = s.lastIndexOf('\n');
        return nl < 0 ? s : s.substring(nl + 1);
    }
}
