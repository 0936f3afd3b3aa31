package io.edgestream.job.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.edgestream.imaging.decode.DecodedImage;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.tile.MapAssembler;
import io.edgestream.job.EdgeJobOptions;
import io.edgestream.job.functions.ProcessingSpec;
import io.edgestream.job.stack.StackHostileCorpus.Case;
import io.edgestream.job.stack.StackHostileCorpus.Check;
import io.edgestream.job.stack.StackHostileCorpus.Kind;
import io.edgestream.job.testing.PipelineHarness;
import io.edgestream.job.testing.PipelineHarness.Topics;
import io.edgestream.job.testing.Reference;
import io.edgestream.schemas.DeadLetter;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.testing.stack.FlinkRestClient;
import io.edgestream.testing.stack.LocalStack;
import io.edgestream.testing.stack.LocalStackExtension;
import io.edgestream.testing.stack.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hostile-input corpus on the real multi-process stack with the shipped TaskManager memory
 * settings (2 TaskManagers x 2 slots, {@code flink-local.sh}'s 2048m process size): good images
 * interleaved with a case for every class of hostile input ({@link StackHostileCorpus}), through
 * ONE run of the job with its default options (only its topics, names and a 1 s checkpoint interval
 * are set). Each case is then reported as its own test.
 *
 * <p>The job must never restart (exception history empty, restart count 0, RUNNING whenever looked
 * at), and every input must have exactly one outcome for read_committed readers: a complete,
 * correct set of EdgeStats and tiles, or exactly one dead letter with the expected reason, never
 * both, never none. A MiniCluster test cannot show any of this: its TaskManagers share the test
 * JVM's large heap, where a 7000x7000 16-bit PNG of zeros decodes without trouble.
 */
class StackHostileInputITCase {

    @RegisterExtension static final LocalStackExtension STACK = new LocalStackExtension();

    private static final int PARALLELISM = 4;

    /** How long every input may take to get its outcome. */
    private static final Duration OUTCOMES = Duration.ofSeconds(540);

    @TestFactory
    @Timeout(1200)
    Stream<DynamicTest> everyInputHasExactlyOneOutcomeAndTheJobNeverRestarts(LocalStack stack)
            throws Exception {
        StackKafka kafka = new StackKafka(stack.bootstrap());
        Topics t = Topics.fresh("hostile");
        kafka.createTopics(t, 4);
        Map<String, String> o = JobRun.isolated(stack.bootstrap(), t);
        o.put(EdgeJobOptions.CHECKPOINT_INTERVAL_MS.key(), "1000");
        ProcessingSpec spec = EdgeJobOptions.of(o).processing();
        Budget budget = Budget.of(stack.rest());
        List<Case> cases = selected(StackHostileCorpus.interleaved(LocalStack.repoRoot()));
        stack.event(cases.size() + " inputs; " + budget);

        JobRun run =
                JobRun.submit(
                        stack,
                        STACK.jarId(),
                        FlinkRestClient.RunRequest.of(JobRun.args(o)).withParallelism(PARALLELISM),
                        Duration.ofSeconds(120));
        List<RecordMetadata> where = produce(kafka, t.images(), cases);
        Outputs out = new Outputs(cases, where, spec);
        Health health = collect(kafka, t, run, out, stack);
        for (Case c : cases) {
            StringBuilder outcome = new StringBuilder(out.processed(c) ? " processed" : "");
            out.deadLetters(c).forEach(d -> outcome.append(' ').append(d.getReason()));
            stack.event("outcome of " + c.name() + ":" + outcome);
        }

        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            RecordMetadata w = where.get(i);
            tests.add(
                    dynamicTest(
                            c.name() + " " + budget.expectation(c),
                            () -> assertCase(c, w, out, budget, spec, t, health)));
        }
        tests.add(
                dynamicTest(
                        "the job never restarted: exception history empty, restart count 0,"
                                + " RUNNING throughout",
                        () -> {
                            assertThat(health.problem())
                                    .as(
                                            "%s%n----- logs of the stack -----%n%s",
                                            health.diagnostics(), health.logTails())
                                    .isNull();
                        }));
        tests.add(
                dynamicTest(
                        "inputs = processed + dead letters, and nothing comes out for no input",
                        () -> {
                            long processed = cases.stream().filter(out::processed).count();
                            long dead = out.deadLetterCount();
                            assertThat(out.strays).as("outputs that belong to no input").isEmpty();
                            assertThat(processed + dead)
                                    .as(
                                            "%d processed + %d dead letters for %d inputs%s",
                                            processed, dead, cases.size(), health.note())
                                    .isEqualTo(cases.size());
                        }));
        return tests.stream();
    }

    /**
     * The cases whose names match the system property {@value #SELECT} (a regular expression), or
     * all of them: {@code mvn ... -Dit.test=StackHostileInputITCase
     * -Dedgestream.stack.cases='png-16bit-rgb.*'} runs one case on the stack, e.g. to debug it.
     */
    private static List<Case> selected(List<Case> all) {
        String regex = System.getProperty(SELECT, "");
        if (regex.isBlank()) {
            return all;
        }
        List<Case> some = all.stream().filter(c -> c.name().matches(regex)).toList();
        assertThat(some).as("cases matching -D%s=%s", SELECT, regex).isNotEmpty();
        return some;
    }

    static final String SELECT = "edgestream.stack.cases";

    // ---------------------------------------------------------------- budget

    /** The per-slot memory the TaskManagers really have, and what it implies for a decode. */
    record Budget(long taskHeap, long slots) {
        static Budget of(FlinkRestClient rest) throws Exception {
            String tm = rest.taskManagers().get(0);
            Map<String, Long> m = rest.taskManagerMemory(tm);
            return new Budget(m.get("taskHeap"), m.get("slots"));
        }

        /** One slot's share of a TaskManager's task heap. */
        double slotShare() {
            return (double) taskHeap / slots;
        }

        /** What {@code c} must come out as, in words, for the test's name. */
        String expectation(Case c) {
            if (c.kind() != Kind.BUDGET) {
                return c.expectation();
            }
            String size =
                    String.format(
                            Locale.ROOT,
                            "decodes to %d MB (+%d MB as float32; a slot's heap share is %d MB)",
                            c.decodedBytes() / 1_000_000,
                            c.floatBytes() / 1_000_000,
                            (long) slotShare() / 1_000_000);
            return switch (resolve(c)) {
                case DEAD -> size + ": is dead-lettered as " + Expected.MEMORY_BUDGET_EXCEEDED;
                case PROCESSED -> size + ": is processed";
                case BUDGET ->
                        size
                                + ": is processed, or dead-lettered as "
                                + Expected.MEMORY_BUDGET_EXCEEDED
                                + " (the budget decides)";
            };
        }

        /** PROCESSED, DEAD (over any budget) or BUDGET (either outcome) for {@code c}. */
        Kind resolve(Case c) {
            if (c.kind() != Kind.BUDGET) {
                return c.kind();
            }
            if (c.decodedBytes() > slotShare() * Expected.MUST_REJECT_ABOVE_SLOT_SHARE) {
                return Kind.DEAD;
            }
            if (c.decodedBytes() + c.floatBytes()
                    < slotShare() * Expected.MUST_PROCESS_BELOW_SLOT_SHARE) {
                return Kind.PROCESSED;
            }
            return Kind.BUDGET;
        }
    }

    // ---------------------------------------------------------------- producing

    /** Sends every case in order (idempotent producer); returns where each one landed. */
    private static List<RecordMetadata> produce(StackKafka kafka, String topic, List<Case> cases)
            throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            for (Case c : cases) {
                sent.add(p.send(new ProducerRecord<>(topic, c.key(), c.value())));
            }
            p.flush();
        }
        List<RecordMetadata> where = new ArrayList<>();
        for (Future<RecordMetadata> f : sent) {
            where.add(f.get(120, TimeUnit.SECONDS));
        }
        return where;
    }

    // ---------------------------------------------------------------- reading outcomes

    /** Every committed output of the run, by the input it belongs to. */
    static final class Outputs {
        private final List<Case> cases;
        private final Map<String, Case> byImageId = new HashMap<>();
        private final Map<String, Case> byOffset = new HashMap<>();
        private final Map<Case, RecordMetadata> where = new HashMap<>();
        private final List<String> filters;
        private final Map<String, List<DeadLetter>> deadByOffset = new HashMap<>();
        private final Map<String, List<EdgeStats>> statsById = new HashMap<>();
        private final Map<String, Tiles> tilesByMap = new HashMap<>();
        final List<String> strays = new ArrayList<>();

        Outputs(List<Case> cases, List<RecordMetadata> where, ProcessingSpec spec) {
            this.cases = cases;
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                if (c.imageId() != null) {
                    byImageId.put(c.imageId(), c);
                }
                byOffset.put(offset(where.get(i).partition(), where.get(i).offset()), c);
                this.where.put(c, where.get(i));
            }
            this.filters = spec.filterList().stream().map(Filter::name).toList();
        }

        static String offset(int partition, long offset) {
            return partition + "@" + offset;
        }

        void deadLetter(ConsumerRecord<byte[], byte[]> r) {
            DeadLetter d = AvroWire.deadLetters().decode(r.value());
            String at = offset(d.getSourcePartition(), d.getSourceOffset());
            if (!byOffset.containsKey(at)) {
                strays.add(
                        "dead letter for " + d.getSourceTopic() + " " + at + ": " + d.getReason());
            }
            deadByOffset.computeIfAbsent(at, k -> new ArrayList<>()).add(d);
        }

        void stats(ConsumerRecord<byte[], byte[]> r) {
            EdgeStats s = AvroWire.edgeStats().decode(r.value());
            if (!byImageId.containsKey(s.getImageId())) {
                strays.add("EdgeStats of unknown image " + abbreviate(s.getImageId()));
            }
            statsById.computeIfAbsent(s.getImageId(), k -> new ArrayList<>()).add(s);
        }

        void tile(ConsumerRecord<byte[], byte[]> r) {
            FeatureMapTile m = AvroWire.featureMapTiles().decode(r.value());
            Case c = byImageId.get(m.getImageId());
            if (c == null) {
                strays.add("map tile of unknown image " + abbreviate(m.getImageId()));
                return;
            }
            tilesByMap
                    .computeIfAbsent(m.getImageId() + "\0" + m.getFilter(), k -> new Tiles())
                    .add(m, c.check());
        }

        List<DeadLetter> deadLetters(Case c) {
            RecordMetadata w = where.get(c);
            return deadByOffset.getOrDefault(offset(w.partition(), w.offset()), List.of());
        }

        long deadLetterCount() {
            return deadByOffset.values().stream().mapToLong(List::size).sum();
        }

        List<EdgeStats> stats(Case c) {
            return c.imageId() == null ? List.of() : statsById.getOrDefault(c.imageId(), List.of());
        }

        Tiles tiles(Case c, String filter) {
            return tilesByMap.get(c.imageId() + "\0" + filter);
        }

        boolean anyOutput(Case c) {
            return !stats(c).isEmpty() || filters.stream().anyMatch(f -> tiles(c, f) != null);
        }

        /** One EdgeStats per filter and, for each, every tile. */
        boolean processed(Case c) {
            List<EdgeStats> s = stats(c);
            if (s.size() != filters.size()) {
                return false;
            }
            for (String f : filters) {
                Tiles ts = tiles(c, f);
                if (ts == null || !ts.complete()) {
                    return false;
                }
            }
            return true;
        }

        boolean hasOutcome(Case c) {
            return !deadLetters(c).isEmpty() || processed(c);
        }

        List<String> missing() {
            return cases.stream().filter(c -> !hasOutcome(c)).map(Case::name).toList();
        }
    }

    /** The tiles of one map: which indices arrived (and how often), and their samples' check. */
    static final class Tiles {
        int tileCount = -1;
        final Set<Integer> indices = new HashSet<>();
        int duplicates;
        long nonZero;
        final List<FeatureMapTile> kept = new ArrayList<>();

        void add(FeatureMapTile m, Check check) {
            tileCount = m.getTileCount();
            if (!indices.add(m.getTileIndex())) {
                duplicates++;
            }
            if (check == Check.ZEROS) {
                for (float v : PipelineHarness.samples(m)) {
                    if (v != 0f) {
                        nonZero++;
                    }
                }
            } else {
                kept.add(m);
            }
        }

        boolean complete() {
            return tileCount > 0 && indices.size() == tileCount;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 60) + "...(" + s.length() + " chars)";
    }

    /** What the job looked like while the outcomes were awaited. */
    record Health(String problem, String diagnostics, String logTails) {
        String note() {
            return problem == null ? "" : "; " + problem;
        }
    }

    /**
     * Reads the outputs (read_committed) until every input has an outcome, the job becomes
     * unhealthy (restarted, failing, not RUNNING) or the deadline passes; then ends the job (with a
     * savepoint if it is healthy, so no transaction stays open) and reads the rest.
     */
    private static Health collect(
            StackKafka kafka, Topics t, JobRun run, Outputs out, LocalStack stack)
            throws Exception {
        String problem = null;
        try (StackKafka.Tail dlq = kafka.tail(t.dlq());
                StackKafka.Tail stats = kafka.tail(t.stats());
                StackKafka.Tail maps = kafka.tail(t.maps())) {
            long[] nextHealthCheck = {0};
            String[] unhealthy = {null};
            try {
                Waits.until(
                        "an outcome for every input",
                        OUTCOMES,
                        () -> {
                            dlq.poll().forEach(out::deadLetter);
                            stats.poll().forEach(out::stats);
                            maps.poll().forEach(out::tile);
                            if (System.nanoTime() > nextHealthCheck[0]) {
                                nextHealthCheck[0] = System.nanoTime() + 2_000_000_000L;
                                if (!run.healthy()) {
                                    unhealthy[0] = "the job is not healthy";
                                    return true;
                                }
                            }
                            return out.missing().isEmpty();
                        },
                        () -> "no outcome yet for " + out.missing() + "; " + run.diagnostics());
            } catch (AssertionError e) {
                problem = e.getMessage();
            }
            if (unhealthy[0] != null) {
                problem = "the job restarted or failed while the inputs were processed";
            }
            String diagnostics = run.diagnostics();
            if (!run.healthy() && problem == null) {
                problem = "the job restarted or failed";
            }
            String logs = problem == null ? "" : stack.logTails(40);
            stack.event("outcomes collected; missing " + out.missing() + "; " + diagnostics);
            if (problem == null) {
                run.stopWithSavepoint();
            } else {
                run.cancel();
            }
            // The rest of what was committed (stop-with-savepoint commits the last transactions).
            Waits.until(
                    "reading the outputs to their end",
                    Duration.ofSeconds(120),
                    () -> {
                        dlq.poll().forEach(out::deadLetter);
                        stats.poll().forEach(out::stats);
                        maps.poll().forEach(out::tile);
                        return dlq.atEnd() && stats.atEnd() && maps.atEnd();
                    });
            return new Health(problem, diagnostics, logs);
        }
    }

    // ---------------------------------------------------------------- per-case assertions

    private static void assertCase(
            Case c,
            RecordMetadata w,
            Outputs out,
            Budget budget,
            ProcessingSpec spec,
            Topics t,
            Health health)
            throws Exception {
        List<DeadLetter> dls = out.deadLetters(c);
        boolean processed = out.processed(c);
        assertThat(dls.size() + (processed ? 1 : 0))
                .as(
                        "outcomes of %s (partition %d, offset %d): %d dead letter(s)%s, processed:"
                                + " %s%s",
                        c.name(),
                        w.partition(),
                        w.offset(),
                        dls.size(),
                        dls.isEmpty()
                                ? ""
                                : " "
                                        + dls.stream()
                                                .map(d -> d.getReason() + ": " + d.getMessage())
                                                .toList(),
                        processed,
                        health.note())
                .isEqualTo(1);
        Kind expected = budget.resolve(c);
        if (!dls.isEmpty()) {
            DeadLetter d = dls.get(0);
            assertThat(expected)
                    .as(
                            "%s was dead-lettered as %s (%s) but must be processed",
                            c.name(), d.getReason(), d.getMessage())
                    .isNotEqualTo(Kind.PROCESSED);
            assertThat(out.anyOutput(c)).as("output of dead-lettered " + c.name()).isFalse();
            String reason =
                    expected == Kind.DEAD && c.kind() == Kind.DEAD
                            ? c.reason()
                            : Expected.MEMORY_BUDGET_EXCEEDED;
            assertDeadLetter(c, w, d, reason, t);
        } else {
            assertThat(expected)
                    .as(
                            "%s was processed but must be dead-lettered as %s",
                            c.name(),
                            c.kind() == Kind.DEAD ? c.reason() : Expected.MEMORY_BUDGET_EXCEEDED)
                    .isNotEqualTo(Kind.DEAD);
            assertProcessed(c, out, spec);
        }
    }

    private static Optional<Object> field(DeadLetter d, String name) {
        Schema.Field f = d.getSchema().getField(name);
        return f == null ? Optional.empty() : Optional.ofNullable(d.get(f.pos()));
    }

    private static void assertDeadLetter(
            Case c, RecordMetadata w, DeadLetter d, String reason, Topics t) {
        assertThat(d.getReason().name())
                .as("reason of %s; message: %s", c.name(), d.getMessage())
                .isEqualTo(reason);
        assertThat(d.getSourceTopic()).isEqualTo(t.images());
        assertThat(d.getSourcePartition()).isEqualTo(w.partition());
        assertThat(d.getSourceOffset()).isEqualTo(w.offset());
        assertThat(d.getMessage()).as("message").isNotBlank();
        byte[] key = d.getKey() == null ? null : PipelineHarness.bytes(d.getKey());
        if (c.key().length > 1024) {
            assertThat(key == null || isPrefix(key, c.key()))
                    .as("dead letter key: the original or a prefix")
                    .isTrue();
        } else {
            assertThat(key).as("dead letter key").isEqualTo(c.key());
        }
        byte[] original = c.value() == null ? new byte[0] : c.value();
        byte[] payload = PipelineHarness.bytes(d.getPayload());
        Optional<Object> size = field(d, Expected.ORIGINAL_SIZE);
        Optional<Object> truncated = field(d, Expected.PAYLOAD_TRUNCATED);
        if (reason.equals(Expected.RECORD_TOO_LARGE)) {
            assertThat(payload.length)
                    .as("payload of an oversized record's dead letter: empty or truncated")
                    .isLessThan(original.length);
            assertThat(size)
                    .as(
                            "DeadLetter.%s (the schema has fields %s)",
                            Expected.ORIGINAL_SIZE, fieldNames(d))
                    .contains((long) original.length);
            assertThat(truncated).as("DeadLetter." + Expected.PAYLOAD_TRUNCATED).contains(true);
        }
        if (truncated.isPresent() && Boolean.TRUE.equals(truncated.get())) {
            assertThat(isPrefix(payload, original))
                    .as("a truncated payload is a prefix of the original")
                    .isTrue();
            assertThat(size)
                    .as("DeadLetter." + Expected.ORIGINAL_SIZE)
                    .contains((long) original.length);
        } else {
            assertThat(payload).as("the original value, byte for byte").isEqualTo(original);
            size.ifPresent(
                    s ->
                            assertThat(s)
                                    .as("DeadLetter." + Expected.ORIGINAL_SIZE)
                                    .isEqualTo((long) original.length));
        }
    }

    private static List<String> fieldNames(DeadLetter d) {
        return d.getSchema().getFields().stream().map(Schema.Field::name).toList();
    }

    private static boolean isPrefix(byte[] prefix, byte[] of) {
        return prefix.length <= of.length
                && Arrays.equals(prefix, 0, prefix.length, of, 0, prefix.length);
    }

    private static void assertProcessed(Case c, Outputs out, ProcessingSpec spec) throws Exception {
        String id = abbreviate(c.imageId());
        Map<String, EdgeStats> byFilter = new LinkedHashMap<>();
        for (EdgeStats s : out.stats(c)) {
            assertThat(byFilter.put(s.getFilter(), s))
                    .as("EdgeStats of %s/%s (once)", id, s.getFilter())
                    .isNull();
        }
        DecodedImage decoded =
                c.check() == Check.REFERENCE ? PipelineHarness.decode(c.frame()) : null;
        for (Filter f : spec.filterList()) {
            EdgeStats s = byFilter.get(f.name());
            assertThat(s).as("EdgeStats of %s/%s", id, f.name()).isNotNull();
            Tiles ts = out.tiles(c, f.name());
            assertThat(ts.duplicates).as("tiles of %s/%s delivered twice", id, f.name()).isZero();
            assertThat(ts.indices)
                    .as("tile indices of %s/%s", id, f.name())
                    .hasSize(s.getTileCount());
            if (c.check() == Check.ZEROS) {
                assertThat(ts.nonZero)
                        .as("non-zero samples in the map of uniform %s/%s", id, f.name())
                        .isZero();
                continue;
            }
            Reference.assertStatsEqual(s, Reference.stats(f, decoded, spec));
            MapAssembler a = PipelineHarness.reassemble(ts.kept);
            assertThat(a.isComplete()).as(id + "/" + f.name() + " complete").isTrue();
            Reference.assertSameBits(
                    id + "/" + f.name(),
                    a.result(),
                    Reference.map(f, decoded.toF32(), spec.convParams()));
        }
    }
}
