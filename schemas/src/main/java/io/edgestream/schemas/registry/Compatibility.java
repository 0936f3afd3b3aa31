package io.edgestream.schemas.registry;

/**
 * A subject's compatibility rule, as the Confluent API names it. Our subjects use {@link #BACKWARD}
 * (or stricter): a consumer with the new schema reads data written with the previous one.
 */
public enum Compatibility {
    NONE,
    BACKWARD,
    BACKWARD_TRANSITIVE,
    FORWARD,
    FORWARD_TRANSITIVE,
    FULL,
    FULL_TRANSITIVE
}
