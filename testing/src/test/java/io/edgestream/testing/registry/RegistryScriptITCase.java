package io.edgestream.testing.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgestream.testing.stack.LocalStack;
import io.edgestream.testing.stack.OsProcesses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack's registry as a person starts it: {@code scripts/registry-local.sh start} on
 * loopback ports prints the registry URL, which answers with the global rule BACKWARD; the recorded
 * PID runs the server with its marker; {@code scripts/kafka-local.sh stop} (the stack's stop) ends
 * it by that PID. A Java older than 21 named for it is refused with a clear message. The
 * distribution is the one this module's build unpacked ({@code EDGESTREAM_REGISTRY_HOME}), so the
 * test fetches nothing.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RegistryScriptITCase {

    private record Run(int exitCode, String output) {}

    private static Run script(Path localDir, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash"));
        cmd.add(LocalStack.repoRoot().resolve("scripts").resolve(args[0]).toString());
        cmd.addAll(List.of(args).subList(1, args.length));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("EDGESTREAM_LOCAL_DIR", localDir.toString());
        pb.environment()
                .put("EDGESTREAM_REGISTRY_HOME", ApicurioRegistry.distribution().toString());
        pb.environment().remove("EDGESTREAM_REGISTRY_JAVA_HOME");
        pb.environment().putAll(env);
        Path log = Files.createTempFile(localDir.getParent(), "script-", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("%s finished", cmd).isTrue();
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void startPrintsAWorkingUrlAndTheStacksStopEndsItByItsPid(@TempDir Path tmp) throws Exception {
        assumeTrue(
                ApicurioRegistry.unavailableReason().isEmpty() || System.getenv("CI") != null,
                () -> ApicurioRegistry.unavailableReason().orElse(""));
        Path local = Files.createDirectories(tmp.resolve("stack"));
        int port = freePort();
        int management = freePort();
        Run start =
                script(
                        local,
                        Map.of(),
                        "registry-local.sh",
                        "start",
                        "--port",
                        String.valueOf(port),
                        "--management-port",
                        String.valueOf(management));
        Path pidFile = local.resolve("run/registry.pid");
        long pid =
                Files.isRegularFile(pidFile)
                        ? Long.parseLong(Files.readString(pidFile).trim())
                        : -1;
        try {
            assertThat(start.exitCode()).as(start.output()).isZero();
            String url = "http://127.0.0.1:" + port + "/apis/ccompat/v7";
            assertThat(start.output()).contains("registry URL: " + url);
            HttpResponse<String> config =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create(url + "/config")).build(),
                                    HttpResponse.BodyHandlers.ofString());
            assertThat(config.body()).contains("BACKWARD");
            assertThat(OsProcesses.matches(pid, "-Dedgestream.registry=stack", "quarkus-run.jar"))
                    .isTrue();
            assertThat(OsProcesses.commandLine(pid).orElseThrow())
                    .contains("-Dquarkus.http.host=127.0.0.1")
                    .contains("-Dquarkus.management.port=" + management);
            Run status = script(local, Map.of(), "registry-local.sh", "status");
            assertThat(status.output()).contains("running (PID " + pid + ") at " + url);

            Run stop = script(local, Map.of(), "kafka-local.sh", "stop");
            assertThat(stop.exitCode()).as(stop.output()).isZero();
            assertThat(stop.output())
                    .contains("Kafka: not running.")
                    .contains("Apicurio Registry: stopped.");
            assertThat(OsProcesses.gone(pid)).isTrue();
            assertThat(pidFile).doesNotExist();
        } finally {
            if (pid > 0 && !OsProcesses.gone(pid)) {
                ApicurioRegistry.stop(pid, "stack");
            }
        }
    }

    @Test
    void aJavaOlderThan21NamedForTheRegistryIsRefusedWithWhatToDo(@TempDir Path tmp)
            throws Exception {
        Path old = Path.of(System.getProperty("java.home"));
        assumeTrue(Runtime.version().feature() < 21, "the running JVM is 21+ itself");
        Path local = Files.createDirectories(tmp.resolve("stack"));
        Run start =
                script(
                        local,
                        Map.of("EDGESTREAM_REGISTRY_JAVA_HOME", old.toString()),
                        "registry-local.sh",
                        "start",
                        "--port",
                        String.valueOf(freePort()),
                        "--management-port",
                        String.valueOf(freePort()));
        assertThat(start.exitCode()).isEqualTo(1);
        assertThat(start.output())
                .contains("EDGESTREAM_REGISTRY_JAVA_HOME=" + old)
                .contains("is not a Java 21+ home (found Java " + Runtime.version().feature())
                .contains("point it at a JDK 21+ or unset it");
        assertThat(local.resolve("run/registry.pid")).doesNotExist();
    }
}
