package io.edgestream.job.metrics;

import io.edgestream.testing.stack.LocalStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docs/metrics.md as the tests read it: every Prometheus metric name it writes in backticks ({@code
 * flink_...}). StackMetricsITCase checks that each is on a real endpoint; the dashboard test checks
 * that the dashboard's queries use no other.
 */
public final class MetricsDoc {
    private MetricsDoc() {}

    private static final Pattern NAME = Pattern.compile("`(flink_[A-Za-z0-9_]+)");

    /** The repository's docs/metrics.md. */
    public static Path path() {
        return LocalStack.repoRoot().resolve("docs/metrics.md");
    }

    /** Every {@code flink_...} name docs/metrics.md writes in backticks. */
    public static Set<String> prometheusNames() {
        String text;
        try {
            text = Files.readString(path(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path(), e);
        }
        Set<String> names = new TreeSet<>();
        Matcher m = NAME.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
