package io.edgestream.job;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a job option's {@code ConfigOption} cannot say itself, on the same declaration in {@link
 * EdgeJobOptions}: its group in the options table, the simple checks its value must pass, and how
 * the table shows it when its declared type or default would not tell a user enough. Every {@code
 * ConfigOption} field of {@link EdgeJobOptions} must carry one.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface JobOption {

    /** The section of the options table the option is listed in. */
    Group group();

    /** The smallest value a numeric option accepts ({@code Long.MIN_VALUE}: no minimum). */
    long min() default Long.MIN_VALUE;

    /** True if a string option must not be empty or blank. */
    boolean nonEmpty() default false;

    /**
     * The form of the value, for an option declared as a string because it takes a special form
     * (such as {@code auto} or {@code WxH}) that a parser next to the declaration reads; empty: the
     * declared type.
     */
    String form() default "";

    /**
     * What the default is, for an option without a default value whose absence means something
     * (such as "the cluster's setting"); empty: the declared default.
     */
    String shownDefault() default "";

    /** The sections of the options table, in their order. */
    enum Group {
        TOPICS("Topics and ids"),
        CONVOLUTION("Filters and convolution"),
        MAPS("Maps and statistics"),
        LIMITS("Limits"),
        RUNNING("Parallelism, checkpoints and restarts"),
        KAFKA("Kafka"),
        WIRE("Wire format and schema registry");

        private final String title;

        Group(String title) {
            this.title = title;
        }

        /** The section heading. */
        public String title() {
            return title;
        }
    }
}
