package io.edgestream.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Python package installs offline as python/README.md says (a venv with the system's packages,
 * {@code pip install --no-build-isolation --no-index ./python}), and its whole pytest suite passes
 * on the installed copy, including the tests against values the Java codec writes ({@link
 * JavaFixtures}); not one test may be skipped. Skips without Debian's python3 packages, fails
 * instead under CI (see {@link PythonRuntime}).
 */
class PythonPackageITCase {

    private static final Path TARGET = Path.of("target").toAbsolutePath();

    @Test
    @Timeout(600)
    void installsOfflineIntoAVenvAndPassesItsSuiteAgainstTheJavaCodec() throws Exception {
        List<String> modules = new ArrayList<>(PythonRuntime.PACKAGE_MODULES);
        modules.addAll(List.of("pytest", "venv", "ensurepip"));
        String python = PythonRuntime.require(modules);

        Path fixtures = TARGET.resolve("python-fixtures");
        deleteTree(fixtures);
        JavaFixtures.write(fixtures);

        Path venv = TARGET.resolve("python-venv");
        deleteTree(venv);
        run(List.of(python, "-m", "venv", "--system-site-packages", venv.toString()), Map.of());
        // The command python/README.md documents.
        run(
                List.of(
                        venv.resolve("bin/pip").toString(),
                        "install",
                        "--no-build-isolation",
                        "--no-index",
                        PythonRuntime.PACKAGE_DIR.toString()),
                Map.of());
        assertThat(PythonRuntime.PACKAGE_DIR.resolve("build")).doesNotExist();

        // From target/, so the checkout's python/ is not on sys.path: the installed copy runs.
        PythonRuntime.Result tests =
                run(
                        List.of(
                                venv.resolve("bin/python").toString(),
                                "-m",
                                "pytest",
                                "-p",
                                "no:cacheprovider",
                                "-rs",
                                PythonRuntime.PACKAGE_DIR.resolve("tests").toString()),
                        Map.of(
                                "EDGESTREAM_JAVA_FIXTURES",
                                fixtures.toString(),
                                "EDGESTREAM_EXPECT_INSTALLED",
                                "1"));
        String out = tests.output();
        assertThat(out).as(out).containsPattern("\\d+ passed").doesNotContain("skipped");
        assertThat(out).as(out).contains("test_java.py");
    }

    private static PythonRuntime.Result run(List<String> command, Map<String, String> env)
            throws Exception {
        PythonRuntime.Result r = PythonRuntime.run(command, TARGET, env, Duration.ofMinutes(4));
        assertThat(r.exitCode())
                .as("%s exited with %d; it printed:%n%s", command, r.exitCode(), r.output())
                .isZero();
        return r;
    }

    private static void deleteTree(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
