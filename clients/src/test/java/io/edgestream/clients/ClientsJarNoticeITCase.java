package io.edgestream.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The tools' shaded jar carries the notices of the libraries it bundles (NOTICE at the repository
 * root): shading keeps one file per path, so without the notice transformer in the pom its {@code
 * META-INF/NOTICE} would be one library's alone. Runs after {@code package}, on the jar the scripts
 * run.
 */
class ClientsJarNoticeITCase {

    @Test
    void theToolsJarsNoticeHasEveryBundledApacheLibrarysNotice() throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> jars =
                    files.filter(p -> p.getFileName().toString().equals("edgestream-clients.jar"))
                            .toList();
            assertThat(jars).as("the shaded tools jar in target/ (mvn package)").hasSize(1);
            jar = jars.get(0);
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            String notice = text(zip, "META-INF/NOTICE");
            assertThat(notice)
                    .contains("Apache Avro")
                    .contains("Apache Commons Compress")
                    .contains("Apache Commons IO")
                    .contains("Apache Commons Codec")
                    .contains("Apache Commons Lang")
                    .contains("Apache Log4j API")
                    .contains("Apache Log4j Core")
                    .contains("Jackson");
            // kafka-clients keeps its notice at the jar's root, where no other library has one.
            assertThat(text(zip, "NOTICE")).contains("Apache Kafka");
        }
    }

    private static String text(ZipFile zip, String name) throws IOException {
        ZipEntry e = zip.getEntry(name);
        assertThat(e).as("%s in %s", name, zip.getName()).isNotNull();
        try (InputStream in = zip.getInputStream(e)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
