package io.edgestream.testing.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgestream.testing.stack.OsProcesses;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The launcher itself, as a script or the stack would use it: started without the extension, found
 * by its command-line marker, refused a stop under the wrong name, stopped by PID.
 */
class ApicurioRegistryITCase {

    @Test
    void startsReadyOnLoopbackAndStopsByItsPid() throws Exception {
        assumeTrue(
                ApicurioRegistry.unavailableReason().isEmpty() || System.getenv("CI") != null,
                () -> ApicurioRegistry.unavailableReason().orElse(""));
        ApicurioRegistry registry =
                ApicurioRegistry.start(ApicurioRegistry.settings().name("launcher-it"));
        long pid = registry.pid();
        try {
            assertThat(registry.ccompatUrl())
                    .isEqualTo("http://127.0.0.1:" + registry.httpPort() + "/apis/ccompat/v7");
            HttpResponse<String> config =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(registry.ccompatUrl() + "/config"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            assertThat(config.statusCode()).isEqualTo(200);
            assertThat(config.body()).contains("BACKWARD");
            assertThat(OsProcesses.matches(pid, "-Dedgestream.registry=launcher-it")).isTrue();
            assertThat(OsProcesses.commandLine(pid).orElseThrow())
                    .contains("-Dquarkus.http.host=127.0.0.1")
                    .contains("-Xmx256m");
            assertThat(Files.readString(registry.logFile())).contains("apicurio-registry-app");

            assertThatThrownBy(() -> ApicurioRegistry.stop(pid, "another-name"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("refusing to signal it");
            assertThat(registry.isAlive()).isTrue();

            ApicurioRegistry.stop(pid, "launcher-it");
            assertThat(OsProcesses.gone(pid)).isTrue();
        } finally {
            registry.close();
        }
        assertThat(registry.isAlive()).isFalse();
    }
}
