package io.edgestream.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.testcontainers.utility.DockerImageName;

/**
 * Runs without Docker (unlike the Testcontainers test it serves): the container's broker is the
 * Kafka version of the kafka-clients jar the job and the tests run with, i.e. the pinned {@code
 * kafka.version}, so the two cannot drift apart again.
 */
class KafkaImageTest {

    @Test
    void theTestcontainersBrokerIsTheKafkaVersionOfTheClients() {
        DockerImageName image = KafkaImage.pinned();
        assertThat(image.getRepository()).isEqualTo("apache/kafka");
        assertThat(AppInfoParser.getVersion()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(image.getVersionPart())
                .as("image tag vs kafka-clients %s on the classpath", AppInfoParser.getVersion())
                .isEqualTo(AppInfoParser.getVersion());
    }
}
