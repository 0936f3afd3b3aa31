package io.edgestream.job.it;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.testcontainers.utility.DockerImageName;

/**
 * The Kafka broker image for Testcontainers: {@code apache/kafka:<kafka.version>}, the version the
 * root pom pins for the clients and the embedded broker, written into {@code
 * kafka-image.properties} by Maven resource filtering. A version bump in the pom moves the image
 * with it.
 */
final class KafkaImage {
    static final String RESOURCE = "kafka-image.properties";

    private KafkaImage() {}

    /** The image, read from the filtered resource; fails if the build did not filter it. */
    static DockerImageName pinned() {
        Properties p = new Properties();
        try (InputStream in = KafkaImage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        RESOURCE
                                + " is not on the test classpath (flink-job/pom.xml copies it from"
                                + " src/test/resources-filtered)");
            }
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
        String image = p.getProperty("image", "");
        if (image.isBlank() || image.contains("${")) {
            throw new IllegalStateException(
                    RESOURCE
                            + " says image="
                            + image
                            + ": not filtered from kafka.version (build with Maven, or enable"
                            + " filtering of src/test/resources-filtered)");
        }
        return DockerImageName.parse(image);
    }
}
