package io.edgestream.testing.jar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShadedJarNoticesTest {

    private static Path jar(Path dir, String name, String metaInfNotice, String rootNotice)
            throws IOException {
        Path jar = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            if (metaInfNotice != null) {
                zip.putNextEntry(new ZipEntry("META-INF/NOTICE"));
                zip.write(metaInfNotice.getBytes(StandardCharsets.UTF_8));
            }
            zip.putNextEntry(new ZipEntry("NOTICE"));
            zip.write(rootNotice.getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    @Test
    void findsTheOneMatchingJarAndAcceptsNoticesThatNameEveryLibrary(@TempDir Path dir)
            throws IOException {
        Path made = jar(dir, "x-job.jar", "Apache Avro\nJackson\n", "Apache Kafka\n");
        Files.writeString(dir.resolve("x.jar"), "not the shaded one");

        Path found = ShadedJarNotices.onlyJar(dir, n -> n.endsWith("-job.jar"), "the job jar");

        assertThat(found).isEqualTo(made);
        ShadedJarNotices.assertNoticesContain(
                found, List.of("Apache Avro", "Jackson"), List.of("Apache Kafka"));
    }

    @Test
    void namesEveryMissingNoticeAndTheFile(@TempDir Path dir) throws IOException {
        Path jar = jar(dir, "x-job.jar", "Apache Avro\n", "Apache Kafka\n");

        assertThatThrownBy(
                        () ->
                                ShadedJarNotices.assertNoticesContain(
                                        jar,
                                        List.of("Apache Avro", "Jackson", "Apache Flink"),
                                        List.of("Apache Kafka")))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith(
                        "META-INF/NOTICE in " + jar + " lacks [Jackson, Apache Flink]");
        assertThatThrownBy(
                        () ->
                                ShadedJarNotices.assertNoticesContain(
                                        jar, List.of(), List.of("Apache Kafka", "Netty")))
                .hasMessageStartingWith("NOTICE in " + jar + " lacks [Netty]");
    }

    @Test
    void failsOnAMissingNoticeFileOrNoSingleJar(@TempDir Path dir) throws IOException {
        Path jar = jar(dir, "a-job.jar", null, "Apache Kafka\n");
        assertThatThrownBy(() -> ShadedJarNotices.assertNoticesContain(jar, List.of(), List.of()))
                .hasMessageStartingWith("META-INF/NOTICE in " + jar + " is missing");

        jar(dir, "b-job.jar", "", "");
        assertThatThrownBy(() -> ShadedJarNotices.onlyJar(dir, n -> n.endsWith("-job.jar"), "job"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("[job] expected exactly one jar in");
        assertThatThrownBy(() -> ShadedJarNotices.onlyJar(dir, n -> false, "none"))
                .hasMessageContaining("found []");
    }

    @Test
    void avroNoticesAndAddsToTheSharedListInOrder() {
        assertThat(ShadedJarNotices.avroNoticesAnd("Apache Flink"))
                .containsExactly(
                        "Apache Avro",
                        "Apache Commons Compress",
                        "Apache Commons IO",
                        "Apache Commons Codec",
                        "Apache Commons Lang",
                        "Jackson",
                        "Apache Flink");
    }
}
