package io.edgestream.schemas.registry;

/**
 * Subject names under the Confluent {@code TopicNameStrategy}, the default of every registry
 * serializer: the value schema of topic {@code t} is registered under {@code t-value}, the key
 * schema under {@code t-key}.
 */
public final class SubjectNames {
    private SubjectNames() {}

    /** {@code <topic>-value}. */
    public static String topicValue(String topic) {
        return requireTopic(topic) + "-value";
    }

    /** {@code <topic>-key}. */
    public static String topicKey(String topic) {
        return requireTopic(topic) + "-key";
    }

    private static String requireTopic(String topic) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("a topic name is needed for its subject name");
        }
        return topic;
    }
}
