package io.edgestream.clients.cli;

import io.edgestream.schemas.kafka.Secrets;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Kafka client settings given by the user, passed through to the producer, consumer and admin
 * client unchanged: first the file of {@code --kafka-config FILE} (Java properties, as for Kafka's
 * own {@code --command-config}), then each {@code --kafka key=value} in order, later ones winning.
 * They are applied on top of the tool's own defaults, so e.g. {@code --kafka
 * security.protocol=SASL_SSL} works without the tool knowing about SASL.
 *
 * <p>Values whose key looks secret ({@link Secrets}: the same rule as the job's) are shown as
 * {@code ******} whenever settings are printed.
 */
public final class KafkaSettings {

    private KafkaSettings() {}

    /**
     * Reads {@code configFile} (may be null) and then the {@code key=value} pairs.
     *
     * @throws UsageException if the file cannot be read or a pair has no '='
     */
    public static Map<String, String> parse(String configFile, List<String> pairs)
            throws UsageException {
        Map<String, String> out = new LinkedHashMap<>();
        if (configFile != null) {
            Properties p = new Properties();
            Path path = Path.of(configFile);
            try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new UsageException(
                        "--kafka-config: cannot read " + path.toAbsolutePath() + ": " + e, e);
            }
            for (String k : new TreeMap<>(toMap(p)).keySet()) {
                out.put(k, p.getProperty(k));
            }
        }
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new UsageException(
                        "--kafka needs key=value (a Kafka client setting), got '" + pair + "'");
            }
            out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return out;
    }

    private static Map<String, String> toMap(Properties p) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : p.stringPropertyNames()) {
            m.put(k, p.getProperty(k));
        }
        return m;
    }

    /** True if the setting's value must not be printed (the job's rule too: {@link Secrets}). */
    public static boolean isSecret(String key) {
        return Secrets.isSecret(key);
    }

    /** The value as it may be printed: {@code ******} for secrets. */
    public static String printable(String key, Object value) {
        return Secrets.printable(key, value);
    }

    /** Prints every setting, sorted, one per line, secrets masked. */
    public static void print(String title, Properties props, PrintStream out) {
        out.println(title);
        for (String k : new TreeMap<>(toMap(props)).keySet()) {
            out.println("  " + k + " = " + printable(k, props.getProperty(k)));
        }
    }
}
