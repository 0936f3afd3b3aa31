package io.edgestream.clients;

import io.edgestream.testing.jar.ShadedJarNotices;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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
        Path jar =
                ShadedJarNotices.onlyJar(
                        Path.of("target"),
                        name -> name.equals("edgestream-clients.jar"),
                        "the shaded tools jar in target/ (mvn package)");
        ShadedJarNotices.assertNoticesContain(
                jar,
                ShadedJarNotices.avroNoticesAnd("Apache Log4j API", "Apache Log4j Core"),
                // kafka-clients keeps its notice at the jar's root, where no other library has one.
                List.of("Apache Kafka"));
    }
}
