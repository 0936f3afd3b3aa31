package io.edgestream.job.it;

import io.edgestream.testing.kafka.EmbeddedKafkaExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The end-to-end body against an in-process KRaft broker (kafka_2.13). */
class EdgeJobEmbeddedKafkaITCase extends AbstractEdgeJobITCase {
    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Override
    String bootstrapServers() {
        return KAFKA.broker().bootstrapServers();
    }
}
