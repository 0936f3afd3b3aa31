package io.edgestream.testing.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApicurioRegistryTest {

    @Test
    void javaMajorReadsTheReleaseFileOfAJavaHome(@TempDir Path dir) throws Exception {
        Path home = fakeHome(dir.resolve("jdk25"), "\"25.0.3\"");
        assertThat(ApicurioRegistry.javaMajor(home)).isEqualTo(25);
        assertThat(ApicurioRegistry.javaMajor(fakeHome(dir.resolve("jdk17"), "\"17.0.21.1\"")))
                .isEqualTo(17);
        assertThat(ApicurioRegistry.javaMajor(dir.resolve("missing"))).isEqualTo(-1);
    }

    @Test
    void commandBindsLoopbackSetsBackwardAndCarriesTheMarker() {
        assertThat(ApicurioRegistry.command(Path.of("/jdk"), "r1", 1111, 2222, "256m"))
                .startsWith("/jdk/bin/java", "-Xmx256m")
                .contains(
                        "-Dedgestream.registry=r1",
                        "-Dquarkus.http.host=127.0.0.1",
                        "-Dquarkus.http.port=1111",
                        "-Dquarkus.management.host=127.0.0.1",
                        "-Dquarkus.management.port=2222",
                        "-Dapicurio.rules.global.compatibility=BACKWARD");
    }

    private static Path fakeHome(Path home, String version) throws Exception {
        Files.createDirectories(home.resolve("bin"));
        Path java = Files.createFile(home.resolve("bin/java"));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=" + version + "\n");
        return home;
    }
}
