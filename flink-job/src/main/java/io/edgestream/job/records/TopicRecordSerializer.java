package io.edgestream.job.records;

import java.util.List;
import java.util.Optional;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;

/**
 * A record serializer that names the topics it writes to the connector: the sink's {@code POOLING}
 * transaction naming lists the open transactions on the topics the serializer declares when it
 * recovers, and lineage reporting shows them. Most write to one topic, {@link #topic}.
 */
public abstract class TopicRecordSerializer<T>
        implements KafkaRecordSerializationSchema<T>, KafkaDatasetFacetProvider {
    private static final long serialVersionUID = 1L;

    /** The topic every record goes to. */
    protected final String topic;

    protected TopicRecordSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
        return Optional.of(
                new DefaultKafkaDatasetFacet(
                        DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
    }
}
