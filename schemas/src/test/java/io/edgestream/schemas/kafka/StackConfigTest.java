package io.edgestream.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The stack configuration in {@code stack/} (read by the scripts and by Compose) agrees with {@link
 * RecordLimits}, which the job, the tools and the test brokers use: the same record limit, topics
 * that accept it, derived limits in their documented ratios, and a Compose file that takes every
 * number from {@code stack/stack.env} instead of repeating it. The files are parsed by the same
 * rules as {@code scripts/lib/stack.sh} and {@code scripts/create-topics.sh}.
 */
class StackConfigTest {

    private static final Pattern ENV_LINE =
            Pattern.compile("([A-Z][A-Z0-9_]*)=([A-Za-z0-9._:/-]+)");
    private static final Pattern TOPIC_LINE =
            Pattern.compile("([A-Za-z0-9_-]+)\\.([a-z][a-z0-9.]*)=(\\S+)");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[^}]*}");

    /** The topics with image-sized records: each must accept a record of the full limit. */
    private static final List<String> IMAGE_TOPICS = List.of("images", "edge-maps", "images-dlq");

    private static final List<String> ALL_TOPICS =
            List.of("images", "edge-maps", "edge-stats", "images-dlq");

    private static Path repo() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("stack/stack.env"))) {
                return d;
            }
        }
        throw new IllegalStateException("no stack/stack.env above " + Path.of("").toAbsolutePath());
    }

    private static List<String> settingLines(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                out.add(line);
            }
        }
        return out;
    }

    /** stack/stack.env as scripts/lib/stack.sh reads it; a line it would refuse fails here. */
    private static Map<String, String> env() throws IOException {
        Path file = repo().resolve("stack/stack.env");
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : settingLines(file)) {
            Matcher m = ENV_LINE.matcher(line);
            assertThat(m.matches()).as("%s: NAME=plain-value line: '%s'", file, line).isTrue();
            assertThat(env.put(m.group(1), m.group(2)))
                    .as("%s sets %s twice", file, m.group(1))
                    .isNull();
        }
        return env;
    }

    private static long number(Map<String, String> env, String name) {
        assertThat(env).as("stack/stack.env").containsKey(name);
        return Long.parseLong(env.get(name));
    }

    /** stack/topics.properties as scripts/create-topics.sh reads it, ${NAME} expanded. */
    private static Map<String, Map<String, String>> topics(Map<String, String> env)
            throws IOException {
        Path file = repo().resolve("stack/topics.properties");
        Map<String, Map<String, String>> topics = new LinkedHashMap<>();
        for (String line : settingLines(file)) {
            Matcher m = TOPIC_LINE.matcher(line);
            assertThat(m.matches())
                    .as("%s: <topic>.<setting>=<value> line: '%s'", file, line)
                    .isTrue();
            String value = m.group(3);
            Matcher ref = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}").matcher(value);
            StringBuilder expanded = new StringBuilder();
            while (ref.find()) {
                assertThat(env)
                        .as("%s refers to ${%s}", file, ref.group(1))
                        .containsKey(ref.group(1));
                ref.appendReplacement(expanded, env.get(ref.group(1)));
            }
            ref.appendTail(expanded);
            topics.computeIfAbsent(m.group(1), k -> new LinkedHashMap<>())
                    .put(m.group(2), expanded.toString());
        }
        return topics;
    }

    @Test
    void theStackRecordLimitIsTheOneTheJobAndTheToolsUse() throws IOException {
        assertThat(number(env(), "EDGESTREAM_MAX_MESSAGE_BYTES"))
                .isEqualTo(RecordLimits.TOPIC_MAX_MESSAGE_BYTES)
                .isEqualTo(32L * 1024 * 1024);
    }

    @Test
    void theImageTopicsAcceptARecordOfTheFullLimitAndNoTopicMore() throws IOException {
        Map<String, Map<String, String>> topics = topics(env());
        assertThat(topics.keySet()).containsExactlyElementsOf(ALL_TOPICS);
        for (String t : IMAGE_TOPICS) {
            assertThat(Long.parseLong(topics.get(t).get("max.message.bytes")))
                    .as("max.message.bytes of %s", t)
                    .isEqualTo(RecordLimits.TOPIC_MAX_MESSAGE_BYTES);
        }
        for (String t : ALL_TOPICS) {
            assertThat(Long.parseLong(topics.get(t).get("max.message.bytes")))
                    .as("max.message.bytes of %s (the broker's message.max.bytes bounds it)", t)
                    .isPositive()
                    .isLessThanOrEqualTo(RecordLimits.TOPIC_MAX_MESSAGE_BYTES);
            assertThat(Integer.parseInt(topics.get(t).get("partitions")))
                    .as("partitions of %s", t)
                    .isPositive();
        }
    }

    @Test
    void aRecordTheJobAcceptsByDefaultFitsTheTopics() {
        assertThat(RecordLimits.DEFAULT_MAX_RECORD_BYTES + RecordLimits.RECORD_OVERHEAD_BYTES)
                .isLessThanOrEqualTo(RecordLimits.TOPIC_MAX_MESSAGE_BYTES);
    }

    @Test
    void theDerivedBrokerLimitsKeepTheirRatios() throws IOException {
        Map<String, String> env = env();
        long max = number(env, "EDGESTREAM_MAX_MESSAGE_BYTES");
        assertThat(number(env, "EDGESTREAM_SOCKET_REQUEST_MAX_BYTES")).isEqualTo(4 * max);
        assertThat(number(env, "EDGESTREAM_REPLICA_FETCH_RESPONSE_MAX_BYTES")).isEqualTo(2 * max);
    }

    @Test
    void theDefaultParallelismUsesEverySlot() throws IOException {
        Map<String, String> env = env();
        assertThat(number(env, "FLINK_PARALLELISM_DEFAULT"))
                .isEqualTo(number(env, "FLINK_TASKMANAGERS") * number(env, "FLINK_SLOTS"));
        assertThat(Integer.parseInt(topics(env).get("images").get("partitions")))
                .as("partitions of the input topic: one per source subtask")
                .isEqualTo(number(env, "FLINK_PARALLELISM_DEFAULT"));
    }

    @Test
    void composeTakesEveryNumberFromStackEnvAndRepeatsNone() throws IOException {
        Map<String, String> env = env();
        String compose =
                Files.readString(
                        repo().resolve("docker/docker-compose.yml"), StandardCharsets.UTF_8);
        Set<String> referenced = new LinkedHashSet<>();
        Matcher m = REFERENCE.matcher(compose);
        while (m.find()) {
            referenced.add(m.group(1));
        }
        assertThat(env.keySet())
                .as("variables docker-compose.yml refers to")
                .containsAll(referenced);
        assertThat(referenced)
                .contains(
                        "EDGESTREAM_MAX_MESSAGE_BYTES",
                        "EDGESTREAM_SOCKET_REQUEST_MAX_BYTES",
                        "FLINK_TM_MEMORY",
                        "FLINK_SLOTS",
                        "FLINK_TASKMANAGERS");
        for (String name :
                List.of(
                        "EDGESTREAM_MAX_MESSAGE_BYTES",
                        "EDGESTREAM_SOCKET_REQUEST_MAX_BYTES",
                        "EDGESTREAM_REPLICA_FETCH_RESPONSE_MAX_BYTES",
                        "EDGESTREAM_TRANSACTION_MAX_TIMEOUT_MS")) {
            assertThat(compose)
                    .as("docker-compose.yml repeats %s", name)
                    .doesNotContain(env.get(name));
        }
    }

    @Test
    void noScriptRepeatsTheRecordLimit() throws IOException {
        String limit = String.valueOf(RecordLimits.TOPIC_MAX_MESSAGE_BYTES);
        List<Path> scripts;
        try (Stream<Path> s = Files.walk(repo().resolve("scripts"))) {
            scripts = s.filter(p -> p.toString().endsWith(".sh")).toList();
        }
        assertThat(scripts).isNotEmpty();
        for (Path p : scripts) {
            assertThat(Files.readString(p, StandardCharsets.UTF_8))
                    .as("%s", p)
                    .doesNotContain(limit);
        }
    }
}
