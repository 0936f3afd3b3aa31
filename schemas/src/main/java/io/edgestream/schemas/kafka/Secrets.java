package io.edgestream.schemas.kafka;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one rule that decides which client settings are secrets, used by the job when it prints its
 * configuration and by every tool when it prints its Kafka settings: a key is secret if it
 * contains, ignoring case, any of {@link #MARKERS} ({@code ssl.truststore.password}, {@code
 * sasl.jaas.config}, {@code ssl.keystore.key}, {@code kafka.api.key}, a registry's {@code
 * basic.auth.user.info} or the job's {@code registry.basic.auth}, ...). Secret values are printed
 * as {@value #MASK}; nothing else about them (not even their length) is shown.
 */
public final class Secrets {
    private Secrets() {}

    /** What a secret value is printed as. */
    public static final String MASK = "******";

    /** Substrings of a setting's key (lower case) that make its value a secret. */
    public static final List<String> MARKERS =
            List.of(
                    "password",
                    "secret",
                    "jaas",
                    "token",
                    "credential",
                    "keystore.key",
                    "ssl.key.",
                    "private",
                    "api.key",
                    "apikey",
                    "user.info",
                    "basic.auth");

    /** True if the value of setting {@code key} must never be printed. */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        for (String m : MARKERS) {
            if (k.contains(m)) {
                return true;
            }
        }
        return false;
    }

    /** {@code value} as it may be printed: {@link #MASK} for a secret key. */
    public static String printable(String key, Object value) {
        return isSecret(key) ? MASK : String.valueOf(value);
    }

    /** Every setting as it may be printed, sorted by key. */
    public static Map<String, String> printable(Map<?, ?> settings) {
        Map<String, String> out = new TreeMap<>();
        settings.forEach((k, v) -> out.put(String.valueOf(k), printable(String.valueOf(k), v)));
        return out;
    }
}
