package io.edgestream.bench.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka ceiling for the edge job's output: {@code --producers} concurrent transactional
 * producers (as many as the job has sink subtasks) write the records of {@code --images} images as
 * the job wrote them ({@link OutputProfile}: the same counts, key and value sizes, to the same two
 * topics), each committing its transaction every {@code --commit-ms} (the job's checkpoint
 * interval), with the job's producer settings (Kafka's defaults plus {@code --kafka k=v}). Images
 * are dealt to the producers in turn; all records of one image go in one transaction, as in the
 * job. No Flink, no image work: what this broker can take of exactly these records.
 *
 * <p>Prints one JSON line: the steady-state window after {@code --warmup} images ({@link
 * SteadyState}: commit moments at which at least that many images were committed, to the last
 * commit), images/s and MB/s in it, and the CPU milliseconds the broker ({@code --broker-pid}) and
 * this process used in it.
 *
 * <pre>
 * java -cp benchmarks/target/bench-pipeline.jar io.edgestream.bench.pipeline.KafkaCeiling \
 *     --bootstrap 127.0.0.1:9092 --maps-topic m --stats-topic s \
 *     --profile maps:14:262154*60,stats:14:1093*3 --images 260 --warmup 60 --producers 4 \
 *     --commit-ms 1000 [--broker-pid PID] [--kafka linger.ms=10 ...]
 * </pre>
 */
public final class KafkaCeiling {
    private KafkaCeiling() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        Properties kafka = new Properties();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--kafka")) {
                String kv = args[i + 1];
                int eq = kv.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("--kafka wants key=value, got '" + kv + "'");
                }
                kafka.setProperty(kv.substring(0, eq), kv.substring(eq + 1));
            } else {
                a.put(args[i], args[i + 1]);
            }
        }
        String bootstrap = required(a, "--bootstrap");
        OutputProfile profile = OutputProfile.parse(required(a, "--profile"));
        int images = Integer.parseInt(required(a, "--images"));
        int warmup = Integer.parseInt(a.getOrDefault("--warmup", "0"));
        int producers = Integer.parseInt(a.getOrDefault("--producers", "1"));
        long commitMs = Long.parseLong(a.getOrDefault("--commit-ms", "1000"));
        Map<String, List<Long>> roles = new LinkedHashMap<>();
        if (a.containsKey("--broker-pid")) {
            roles.put("broker", List.of(Long.parseLong(a.get("--broker-pid"))));
        }
        roles.put("peer", List.of(ProcessHandle.current().pid()));
        CpuTimes cpu = new CpuTimes(roles, CpuTimes.clockTicksPerSecond());
        Result r =
                run(
                        bootstrap,
                        required(a, "--maps-topic"),
                        required(a, "--stats-topic"),
                        profile,
                        images,
                        producers,
                        commitMs,
                        kafka,
                        cpu);
        SteadyState.Window w = SteadyState.window(r.progress(), warmup);
        ObjectNode out = Bench.JSON.createObjectNode();
        out.put("images", images);
        out.put("window_images", w.images());
        out.put("window_s", w.seconds());
        out.put("window_commits", w.commits());
        out.put("images_per_s", w.imagesPerSecond());
        out.put("cold_s", r.seconds());
        out.put("records", (long) images * profile.records());
        ObjectNode c = out.putObject("cpu_ms");
        w.cpuMs().forEach(c::put);
        System.out.println(Bench.JSON.writeValueAsString(out));
    }

    private static String required(Map<String, String> a, String name) {
        String v = a.get(name);
        if (v == null) {
            throw new IllegalArgumentException(
                    "KafkaCeiling needs " + name + " (see the class comment)");
        }
        return v;
    }

    /** The commit moments (with CPU samples) and the whole run's seconds. */
    record Result(List<SteadyState.Progress> progress, double seconds) {}

    static Result run(
            String bootstrap,
            String mapsTopic,
            String statsTopic,
            OutputProfile profile,
            int images,
            int producers,
            long commitMs,
            Properties kafka,
            CpuTimes cpu)
            throws Exception {
        List<OutputProfile.Entry> records = profile.expand();
        AtomicLong committed = new AtomicLong();
        List<SteadyState.Progress> progress = Collections.synchronizedList(new ArrayList<>());
        long maxRecord =
                records.stream().mapToLong(e -> e.keyBytes() + e.valueBytes()).max().orElse(0);
        byte[] filler = new byte[(int) maxRecord];
        new java.util.Random(42).nextBytes(filler);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.currentTimeMillis();
        for (int p = 0; p < producers; p++) {
            int me = p;
            Thread t =
                    new Thread(
                            () -> {
                                Properties props = new Properties();
                                props.putAll(kafka);
                                props.setProperty(
                                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
                                props.setProperty(
                                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                                        "ceiling-" + t0 + "-" + me);
                                props.setProperty(ProducerConfig.CLIENT_ID_CONFIG, "ceiling-" + me);
                                props.setProperty(
                                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                                        String.valueOf(Math.max(maxRecord + 65536, 1 << 20)));
                                try (KafkaProducer<byte[], byte[]> producer =
                                        new KafkaProducer<>(
                                                props,
                                                new ByteArraySerializer(),
                                                new ByteArraySerializer())) {
                                    producer.initTransactions();
                                    producer.beginTransaction();
                                    long lastCommit = System.currentTimeMillis();
                                    long inTransaction = 0;
                                    for (int i = me; i < images; i += producers) {
                                        byte[] key =
                                                OutputProfile.filled(
                                                        ("image-" + i)
                                                                .getBytes(StandardCharsets.UTF_8),
                                                        records.get(0).keyBytes());
                                        for (OutputProfile.Entry e : records) {
                                            byte[] value = new byte[e.valueBytes()];
                                            System.arraycopy(filler, 0, value, 0, value.length);
                                            String topic =
                                                    e.role().equals(OutputProfile.MAPS)
                                                            ? mapsTopic
                                                            : statsTopic;
                                            producer.send(
                                                    new ProducerRecord<>(
                                                            topic,
                                                            OutputProfile.filled(key, e.keyBytes()),
                                                            value));
                                        }
                                        inTransaction++;
                                        if (System.currentTimeMillis() - lastCommit >= commitMs) {
                                            producer.commitTransaction();
                                            lastCommit = System.currentTimeMillis();
                                            commit(committed, inTransaction, progress, cpu);
                                            inTransaction = 0;
                                            producer.beginTransaction();
                                        }
                                    }
                                    producer.commitTransaction();
                                    commit(committed, inTransaction, progress, cpu);
                                } catch (RuntimeException | Error e) {
                                    failures.add(e);
                                }
                            },
                            "ceiling producer " + p);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(
                    "a ceiling producer failed: " + failures.get(0), failures.get(0));
        }
        List<SteadyState.Progress> sorted = new ArrayList<>(progress);
        sorted.sort(java.util.Comparator.comparingLong(SteadyState.Progress::images));
        return new Result(sorted, (System.currentTimeMillis() - t0) / 1000.0);
    }

    private static synchronized void commit(
            AtomicLong committed, long n, List<SteadyState.Progress> progress, CpuTimes cpu) {
        long total = committed.addAndGet(n);
        progress.add(new SteadyState.Progress(System.currentTimeMillis(), total, cpu.sampleMs()));
    }
}
