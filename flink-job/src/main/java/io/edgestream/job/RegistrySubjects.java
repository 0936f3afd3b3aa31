package io.edgestream.job;

import io.edgestream.job.records.TopicWire;
import io.edgestream.schemas.DeadLetter;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.registry.Compatibility;
import io.edgestream.schemas.registry.IncompatibleSchemaException;
import io.edgestream.schemas.registry.RegistryAuthException;
import io.edgestream.schemas.registry.RegistryException;
import io.edgestream.schemas.registry.RegistryUnreachableException;
import io.edgestream.schemas.registry.SchemaRegistryClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up step of the schema-registry wire format, run by {@link EdgeJob#main} before the job
 * is submitted: for every output topic written with the registry framing, its TopicNameStrategy
 * subject {@code <topic>-value} gets a compatibility rule of at least BACKWARD and our current
 * schema is registered under it; for a registry-framed input topic, the registry is asked for the
 * rule of {@code <topic>-value}, which proves it is reachable and takes the credentials.
 *
 * <p>Subjects with the default topics: {@code edge-maps-value} ({@code FeatureMapTile}), {@code
 * edge-stats-value} ({@code EdgeStats}), {@code images-dlq-value} ({@code DeadLetter}); the input's
 * producers register {@code ImageFrame} under {@code images-value}.
 *
 * <p>Rules: {@code BACKWARD}, {@code BACKWARD_TRANSITIVE}, {@code FULL} and {@code FULL_TRANSITIVE}
 * are kept; {@code NONE} becomes {@code BACKWARD}, {@code FORWARD} becomes {@code FULL} and {@code
 * FORWARD_TRANSITIVE} {@code FULL_TRANSITIVE} (what the subject promised, plus backward).
 */
public final class RegistrySubjects {
    private static final Logger LOG = LoggerFactory.getLogger(RegistrySubjects.class);

    private RegistrySubjects() {}

    /**
     * Prepares the subjects of {@code o}'s registry-framed topics and returns the schema id
     * registered per output subject (empty if no topic uses the registry).
     *
     * @throws IllegalStateException if the registry is unreachable, refuses the credentials, or a
     *     subject holds a schema ours is not compatible with; the message names the option or
     *     subject to fix and never shows the credentials
     */
    public static Map<String, Integer> prepare(EdgeJobOptions o) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        if (!o.usesRegistry()) {
            return ids;
        }
        SchemaRegistryClient registry = new SchemaRegistryClient(o.registryConfig());
        TopicWire images = o.imagesWire();
        if (images.isRegistry()) {
            String subject = images.subject();
            Compatibility rule =
                    call(
                            o,
                            subject,
                            "reading the compatibility rule",
                            () -> registry.compatibility(subject));
            LOG.info(
                    "input topic '{}' is read with the registry framing; subject {} has rule {}",
                    images.topic(),
                    subject,
                    rule);
        }
        List<Output> outputs = new ArrayList<>();
        outputs.add(new Output(o.mapsWire(), FeatureMapTile.getClassSchema()));
        outputs.add(new Output(o.statsWire(), EdgeStats.getClassSchema()));
        outputs.add(new Output(o.dlqWire(), DeadLetter.getClassSchema()));
        for (Output out : outputs) {
            if (!out.wire.isRegistry()) {
                continue;
            }
            String subject = out.wire.subject();
            Compatibility rule =
                    call(
                            o,
                            subject,
                            "reading the compatibility rule",
                            () -> registry.compatibility(subject));
            Compatibility wanted = atLeastBackward(rule);
            if (wanted != rule) {
                call(
                        o,
                        subject,
                        "setting the compatibility rule to " + wanted,
                        () -> {
                            registry.setCompatibility(subject, wanted);
                            return null;
                        });
                LOG.info("subject {}: compatibility rule {} raised to {}", subject, rule, wanted);
            }
            int id =
                    call(
                            o,
                            subject,
                            "registering our " + out.schema.getName() + " schema",
                            () -> registry.register(subject, out.schema));
            LOG.info(
                    "topic '{}' is written with the registry framing: {} schema id {} under"
                            + " subject {} (rule {})",
                    out.wire.topic(),
                    out.schema.getName(),
                    id,
                    subject,
                    wanted);
            ids.put(subject, id);
        }
        return ids;
    }

    /** {@code rule} if it is at least backward, else the weakest rule that keeps it and is. */
    static Compatibility atLeastBackward(Compatibility rule) {
        return switch (rule) {
            case NONE -> Compatibility.BACKWARD;
            case FORWARD -> Compatibility.FULL;
            case FORWARD_TRANSITIVE -> Compatibility.FULL_TRANSITIVE;
            default -> rule;
        };
    }

    private record Output(TopicWire wire, Schema schema) {}

    private interface RegistryCall<T> {
        T run();
    }

    private static final Set<String> CREDENTIAL_OPTIONS =
            Set.of(
                    EdgeJobOptions.REGISTRY_BASIC_AUTH.key(),
                    EdgeJobOptions.REGISTRY_BEARER_TOKEN.key());

    private static <T> T call(EdgeJobOptions o, String subject, String what, RegistryCall<T> c) {
        try {
            return c.run();
        } catch (RegistryUnreachableException e) {
            throw new IllegalStateException(
                    "the schema registry at "
                            + o.registryConfig().url()
                            + " (option '"
                            + EdgeJobOptions.REGISTRY_URL.key()
                            + "') cannot be reached while "
                            + what
                            + " of subject '"
                            + subject
                            + "': "
                            + e.getMessage()
                            + ". Start the registry, or fix --registry.url (for Apicurio the"
                            + " Confluent-compatible API, .../apis/ccompat/v7)",
                    e);
        } catch (RegistryAuthException e) {
            throw new IllegalStateException(
                    "the schema registry refused the job's credentials while "
                            + what
                            + " of subject '"
                            + subject
                            + "': "
                            + e.getMessage()
                            + ". Check options "
                            + String.join(" / ", CREDENTIAL_OPTIONS.stream().sorted().toList())
                            + " (values not shown)",
                    e);
        } catch (IncompatibleSchemaException e) {
            throw new IllegalStateException(
                    "subject '"
                            + subject
                            + "' holds a schema that the job's schema is not compatible with"
                            + " under the subject's rule: "
                            + e.getMessage()
                            + ". Another producer writes other records to this topic, or an"
                            + " incompatible version was registered: write to another topic"
                            + " (topic.maps / topic.stats / topic.dlq), or delete the subject's"
                            + " incompatible versions in the registry",
                    e);
        } catch (RegistryException e) {
            throw new IllegalStateException(
                    "the schema registry refused "
                            + what
                            + " of subject '"
                            + subject
                            + "': "
                            + e.getMessage(),
                    e);
        }
    }
}
