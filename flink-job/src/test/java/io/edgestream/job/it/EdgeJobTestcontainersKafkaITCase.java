package io.edgestream.job.it;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The end-to-end body against Kafka in a container, {@code apache/kafka} at the pinned {@code
 * kafka.version} ({@link KafkaImage}). Without a Docker engine the whole class is reported as
 * skipped (not passed).
 */
@Testcontainers(disabledWithoutDocker = true)
class EdgeJobTestcontainersKafkaITCase extends AbstractEdgeJobITCase {

    @Container static final KafkaContainer KAFKA = new KafkaContainer(KafkaImage.pinned());

    @Override
    String bootstrapServers() {
        return KAFKA.getBootstrapServers();
    }
}
