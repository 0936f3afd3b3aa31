package io.edgestream.job;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;

/**
 * The {@code kafka.*} options: handed to every Kafka client of the job with the prefix removed,
 * except the client settings exactly-once depends on, which are refused with the reason and what to
 * set instead.
 */
final class KafkaPassThrough {
    /** Options starting with this are Kafka client settings. */
    static final String PREFIX = "kafka.";

    /**
     * Kafka client settings exactly-once depends on, with the only value a {@code kafka.*} option
     * may give them (null: the job always sets it itself and no override is accepted).
     */
    static final Map<String, String> PROTECTED_SETTINGS;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("bootstrap.servers", null);
        m.put("group.id", null);
        m.put("client.id", null);
        m.put("transactional.id", null);
        m.put("transaction.timeout.ms", null);
        m.put("enable.idempotence", "true");
        m.put("acks", "all");
        m.put("isolation.level", "read_committed");
        m.put("enable.auto.commit", "false");
        m.put("key.serializer", null);
        m.put("value.serializer", null);
        m.put("key.deserializer", null);
        m.put("value.deserializer", null);
        PROTECTED_SETTINGS = Collections.unmodifiableMap(m);
    }

    private KafkaPassThrough() {}

    /**
     * The protected settings for the options table: those always refused, then those accepted only
     * with the value the job needs.
     */
    static String protectedSettingsText() {
        StringJoiner refused = new StringJoiner(", ");
        StringJoiner fixed = new StringJoiner(", ");
        PROTECTED_SETTINGS.forEach(
                (k, v) -> {
                    if (v == null) {
                        refused.add("`" + k + "`");
                    } else {
                        fixed.add("`" + k + "=" + v + "`");
                    }
                });
        return refused
                + " are refused (the job sets them itself), and "
                + fixed
                + " are accepted only with these values";
    }

    static boolean isKafkaOption(String name) {
        return name.startsWith(PREFIX);
    }

    /** The {@code kafka.*} entries of {@code options} without the prefix. */
    static Properties clientProperties(Map<String, String> options) {
        Properties p = new Properties();
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (isKafkaOption(e.getKey())) {
                p.setProperty(e.getKey().substring(PREFIX.length()), e.getValue());
            }
        }
        return p;
    }

    /** Refuses {@code kafka.*} options that would quietly break exactly-once. */
    static void checkProtectedSettings(Map<String, String> options) {
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (!isKafkaOption(e.getKey())) {
                continue;
            }
            String key = e.getKey().substring(PREFIX.length());
            if (!PROTECTED_SETTINGS.containsKey(key)) {
                continue;
            }
            String required = PROTECTED_SETTINGS.get(key);
            String given = e.getValue().trim();
            boolean harmless =
                    required != null
                            && (given.equalsIgnoreCase(required)
                                    || (key.equals("acks") && given.equals("-1")));
            if (!harmless) {
                throw new IllegalArgumentException(
                        "option '"
                                + e.getKey()
                                + "' cannot be passed to the job's Kafka clients: "
                                + protectedReason(key)
                                + "; remove it");
            }
        }
    }

    private static String protectedReason(String key) {
        return switch (key) {
            case "bootstrap.servers" -> "use --bootstrap.servers";
            case "group.id" -> "use --group.id";
            case "client.id" ->
                    "the job names its clients <job.name>-<role>; set --job.name instead";
            case "transactional.id" ->
                    "each exactly-once sink owns its transactional ids (<transactional.id.prefix>-"
                            + "maps|stats|dlq); set --transactional.id.prefix instead";
            case "transaction.timeout.ms" ->
                    "use --transaction.timeout.ms, which the job checks against its checkpoint"
                            + " and restart settings and the brokers' limit";
            case "enable.idempotence" ->
                    "the exactly-once sinks' transactional producers need enable.idempotence=true";
            case "acks" -> "the exactly-once sinks' transactional producers need acks=all";
            case "isolation.level" ->
                    "the source must read with isolation.level=read_committed, or it would"
                            + " process records of aborted upstream transactions";
            case "enable.auto.commit" ->
                    "the source commits its offsets on checkpoints; enable.auto.commit=true would"
                            + " commit offsets of records whose outputs are not yet committed, and"
                            + " a fresh start from the group's offsets would skip them";
            default -> "the job's Kafka connectors set their own (de)serializers";
        };
    }
}
