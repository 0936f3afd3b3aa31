package io.edgestream.job;

import io.edgestream.testing.jar.ShadedJarNotices;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shaded job jar carries the notices of the libraries it bundles (NOTICE at the repository
 * root): shading keeps one file per path, so without the notice transformer in the pom its {@code
 * META-INF/NOTICE} would be one library's alone. Runs after {@code package}, on the jar users
 * submit.
 */
class JobJarNoticeITCase {

    @Test
    void theJobJarsNoticeHasEveryBundledApacheLibrarysNotice() throws IOException {
        Path jar =
                ShadedJarNotices.onlyJar(
                        Path.of("target"),
                        name -> name.endsWith("-job.jar"),
                        "the shaded job jar in target/ (mvn package)");
        ShadedJarNotices.assertNoticesContain(
                jar,
                ShadedJarNotices.avroNoticesAnd("Apache Flink"),
                // kafka-clients keeps its notice at the jar's root, where no other library has one.
                List.of("Apache Kafka"));
    }
}
