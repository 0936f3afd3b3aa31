package io.edgestream.job.it;

import io.edgestream.clients.kafka.EmbeddedKafka;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The end-to-end body against an in-process KRaft broker (kafka_2.13). */
class EdgeJobEmbeddedKafkaITCase extends AbstractEdgeJobITCase {
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start(Map.of());
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Override
    String bootstrapServers() {
        return kafka.bootstrapServers();
    }
}
