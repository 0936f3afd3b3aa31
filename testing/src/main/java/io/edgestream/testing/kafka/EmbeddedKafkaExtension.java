package io.edgestream.testing.kafka;

import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process KRaft broker ({@link EmbeddedKafka}) per test class, started before the first test
 * and stopped (its data deleted) after the last:
 *
 * <pre>
 * &#64;RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();
 *
 * &#64;Test void t() { ... KAFKA.bootstrapServers() ... KAFKA.broker().restart() ... }
 * </pre>
 *
 * Give each test its own topics ({@link EmbeddedKafka#createTopics}); the broker is shared by the
 * class's tests.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback {
    private final Supplier<EmbeddedKafka> starter;
    private EmbeddedKafka broker;

    /** A PLAINTEXT broker with the image-sized record limits of {@link EmbeddedKafka#start()}. */
    public EmbeddedKafkaExtension() {
        this(EmbeddedKafka::start);
    }

    /** A broker started by {@code starter}, e.g. {@code () -> EmbeddedKafka.start(overrides)}. */
    public EmbeddedKafkaExtension(Supplier<EmbeddedKafka> starter) {
        this.starter = starter;
    }

    /**
     * A broker with a SASL/PLAIN listener, an authorizer and these users (see {@link
     * EmbeddedKafka#startWithSaslPlain}).
     */
    public static EmbeddedKafkaExtension withSaslPlain(
            Map<String, String> users, String adminPassword) {
        return new EmbeddedKafkaExtension(
                () -> EmbeddedKafka.startWithSaslPlain(users, adminPassword));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = starter.get();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** The running broker (to create topics, stop and restart it, ...). */
    public EmbeddedKafka broker() {
        if (broker == null) {
            throw new IllegalStateException(
                    "the broker runs only between beforeAll and afterAll: register the extension"
                            + " as a static field with @RegisterExtension");
        }
        return broker;
    }

    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    /** Client settings for a PLAINTEXT broker: its bootstrap servers. */
    public Properties clientProperties() {
        return broker().clientProperties();
    }
}
