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

    /** The first (for most, the only) topic records go to. */
    protected final String topic;

    private final List<String> topics;

    /** Writes every record to {@code topic}. */
    protected TopicRecordSerializer(String topic) {
        this(List.of(topic));
    }

    /** Writes records to some of {@code topics}, never to another. */
    protected TopicRecordSerializer(List<String> topics) {
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("a serializer writes to at least one topic");
        }
        this.topics = List.copyOf(topics);
        this.topic = this.topics.get(0);
    }

    @Override
    public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
        return Optional.of(
                new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(topics)));
    }
}
