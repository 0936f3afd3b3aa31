package io.edgestream.testing.stack;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a Prometheus endpoint (the text exposition format that Flink's Prometheus reporter
 * serves at {@code /metrics}), parsed into samples: a metric name, its labels and a value. Comment
 * lines ({@code # HELP}, {@code # TYPE}) are skipped.
 */
public final class PrometheusScrape {
    /** One line of the exposition: {@code name{label="value",...} number}. */
    public record Sample(String name, Map<String, String> labels, double value) {
        public String label(String key) {
            return labels.getOrDefault(key, "");
        }
    }

    private static final Pattern LINE =
            Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)(\\s+\\S+)?$");
    private static final Pattern LABEL =
            Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String url;
    private final List<Sample> samples;

    private PrometheusScrape(String url, List<Sample> samples) {
        this.url = url;
        this.samples = List.copyOf(samples);
    }

    /**
     * Scrapes {@code url}; empty if nothing listens there (connection refused: e.g. a port of a
     * TaskManager range that no TaskManager took).
     *
     * @throws IOException if the endpoint answers with an error or a body that is not the text
     *     format
     */
    public static Optional<PrometheusScrape> of(String url) throws IOException {
        HttpResponse<String> r;
        try {
            r =
                    HTTP.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(20))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while scraping " + url, e);
        }
        if (r.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return Optional.of(new PrometheusScrape(url, parse(url, r.body())));
    }

    /** Parses the text exposition format. */
    public static List<Sample> parse(String source, String body) throws IOException {
        List<Sample> out = new ArrayList<>();
        int n = 0;
        for (String line : body.split("\n")) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line.strip());
            if (!m.matches()) {
                throw new IOException(source + " line " + n + " is not a sample: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
                }
            }
            out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
        }
        return out;
    }

    public String url() {
        return url;
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The samples of metric {@code name} that {@code filter} accepts. */
    public List<Sample> samples(String name, Predicate<Sample> filter) {
        return samples.stream().filter(s -> s.name().equals(name) && filter.test(s)).toList();
    }

    /** Every metric name in this scrape. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }
}
