package io.edgestream.bench.pipeline;

import io.edgestream.job.EdgeJob;
import io.edgestream.job.EdgeJobOptions;
import io.edgestream.job.KafkaConnections;
import io.edgestream.job.records.InputRecord;
import io.edgestream.job.records.TopicRecordSerializer;
import io.edgestream.schemas.kafka.RecordLimits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The byte-matched baseline of the pipeline benchmark ({@code scripts/bench-pipeline.sh}): a
 * Kafka-to-Kafka job that, for every record of {@code topic.images}, writes exactly the records the
 * edge job writes for an image (same count, same key and value sizes, to {@code topic.maps} and
 * {@code topic.stats}), given as an {@link OutputProfile} with {@code --copy.profile}, exactly
 * once, with the edge job's own source, checkpointing, restart and {@code kafka.*} settings (it
 * takes the same flags, {@link EdgeJobOptions}; the filter options are parsed but unused). It does
 * no image work at all: it is what moving the edge job's output bytes through Flink and Kafka costs
 * on this cluster, so the edge job's images/s are reported as a fraction of it.
 *
 * <p>The values are the input's bytes repeated to the wanted size (incompressible like real maps
 * rather than zeros); the key of all records of one input is derived from the input's position, has
 * the size of the edge job's key (the image id) and spreads inputs over the partitions as image ids
 * do. The records keep the input's timestamp. Without {@code --copy.profile} each input is copied
 * unchanged to {@code topic.maps} (the earlier, plain copy).
 *
 * <p>Run it from {@code benchmarks/target/bench-pipeline-job.jar} (its Main-Class), e.g. {@code
 * scripts/submit-job.sh --jar benchmarks/target/bench-pipeline-job.jar -- --topic.images in
 * --topic.maps out-maps --topic.stats out-stats --copy.profile maps:14:262154*60,stats:14:1093*3}.
 * One exactly-once sink writes both topics; its transactional ids are {@code
 * <transactional.id.prefix>-copy}.
 */
public final class CopyJob {
    private static final Logger LOG = LoggerFactory.getLogger(CopyJob.class);

    /** Appended to the transactional id prefix. */
    public static final String SINK = "copy";

    /** The copy job's own flag (not an edge job option): the output profile to write per input. */
    public static final String PROFILE_FLAG = "--copy.profile";

    /** Room for key, headers and batch overhead around a copied value. */
    static final int RECORD_OVERHEAD_BYTES = RecordLimits.RECORD_OVERHEAD_BYTES;

    private CopyJob() {}

    /** One output record: where it goes, key, value and timestamp (a Flink POJO, so no Kryo). */
    public static final class CopyOut {
        public String topic;
        public byte[] key;
        public byte[] value;
        public long timestamp;

        public CopyOut() {}

        CopyOut(String topic, byte[] key, byte[] value, long timestamp) {
            this.topic = topic;
            this.key = key;
            this.value = value;
            this.timestamp = timestamp;
        }
    }

    /** Adds source → records per input → sink (one chained task per subtask, no shuffle). */
    public static void build(
            StreamExecutionEnvironment env, EdgeJobOptions o, OutputProfile profile) {
        env.fromSource(
                        KafkaConnections.source(o),
                        WatermarkStrategy.noWatermarks(),
                        "images source")
                .uid("images-source")
                .flatMap(
                        new Expand(
                                profile == null ? null : profile.spec(),
                                o.mapsTopic(),
                                o.statsTopic()))
                .name(profile == null ? "copy" : "records of the output profile")
                .uid("expand")
                .sinkTo(sink(o, maxRecordBytes(o, profile)))
                .name("copy sink")
                .uid("copy-sink");
    }

    /**
     * Emits the output profile's records for each input (or the input itself without a profile).
     */
    static final class Expand implements FlatMapFunction<InputRecord, CopyOut> {
        private static final long serialVersionUID = 1L;

        private final String spec;
        private final String mapsTopic;
        private final String statsTopic;
        private transient List<OutputProfile.Entry> records;

        Expand(String spec, String mapsTopic, String statsTopic) {
            this.spec = spec;
            this.mapsTopic = mapsTopic;
            this.statsTopic = statsTopic;
        }

        @Override
        public void flatMap(InputRecord in, Collector<CopyOut> out) {
            if (spec == null) {
                out.collect(new CopyOut(mapsTopic, in.key, in.value, in.timestamp));
                return;
            }
            if (records == null) {
                records = OutputProfile.parse(spec).expand();
            }
            for (OutputProfile.Entry e : records) {
                String topic = e.role().equals(OutputProfile.MAPS) ? mapsTopic : statsTopic;
                out.collect(
                        new CopyOut(
                                topic,
                                key(in.topic, in.partition, in.offset, e.keyBytes()),
                                OutputProfile.filled(in.value, e.valueBytes()),
                                in.timestamp));
            }
        }
    }

    /**
     * A key of {@code size} bytes for the input at this position: its decimal digits, repeated or
     * cut to size (the same for all records of one input, different between inputs).
     */
    static byte[] key(String topic, int partition, long offset, int size) {
        byte[] digits = (topic + "/" + partition + "/" + offset).getBytes(StandardCharsets.UTF_8);
        byte[] id =
                (Integer.toHexString(Arrays.hashCode(digits)) + "-" + partition + "-" + offset)
                        .getBytes(StandardCharsets.UTF_8);
        return OutputProfile.filled(id, size);
    }

    /** The largest value the sink writes: the profile's largest, or any input the job accepts. */
    static long maxRecordBytes(EdgeJobOptions o, OutputProfile profile) {
        if (profile == null) {
            return o.inputLimits().maxRecordBytes();
        }
        return profile.entries().stream()
                .mapToLong(e -> (long) e.keyBytes() + e.valueBytes())
                .max()
                .orElse(0);
    }

    /** The exactly-once sink writing to {@code topic.maps} and {@code topic.stats}. */
    static KafkaSink<CopyOut> sink(EdgeJobOptions o, long maxRecordBytes) {
        return KafkaConnections.sink(
                o,
                SINK,
                new CopySerializationSchema(o.mapsTopic(), o.statsTopic()),
                producerProperties(o, maxRecordBytes));
    }

    /**
     * The edge job's sink properties ({@link KafkaConnections#producerProperties}: pass-through,
     * transaction timeout, client id) and a {@code max.request.size} large enough for the largest
     * record the copy writes (Kafka's default of 1 MiB would reject whole image-sized inputs).
     */
    static Properties producerProperties(EdgeJobOptions o, long maxRecordBytes) {
        Properties p = KafkaConnections.producerProperties(o, SINK);
        long needed = maxRecordBytes + RECORD_OVERHEAD_BYTES;
        String configured = p.getProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        if (configured == null || Long.parseLong(configured.trim()) < needed) {
            p.setProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(needed));
        }
        return p;
    }

    /** Writes a {@link CopyOut} as it is, to the maps or the stats topic. */
    static final class CopySerializationSchema extends TopicRecordSerializer<CopyOut> {
        private static final long serialVersionUID = 1L;

        CopySerializationSchema(String mapsTopic, String statsTopic) {
            super(List.of(mapsTopic, statsTopic));
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                CopyOut r, KafkaSinkContext context, Long timestamp) {
            // The input's timestamp is kept, so a reader of the output can compute the latency
            // from the original record's creation time.
            return new ProducerRecord<>(
                    r.topic, null, r.timestamp >= 0 ? r.timestamp : null, r.key, r.value);
        }
    }

    /** The arguments without the copy job's own flag, and that flag's value (null if absent). */
    record Args(String[] jobArgs, String profile) {
        static Args split(String[] args) {
            List<String> rest = new ArrayList<>();
            String profile = null;
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals(PROFILE_FLAG)) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(
                                PROFILE_FLAG
                                        + " needs a value, e.g. maps:14:262154*60,stats:14:1093*3");
                    }
                    profile = args[++i];
                } else if (args[i].startsWith(PROFILE_FLAG + "=")) {
                    profile = args[i].substring(PROFILE_FLAG.length() + 1);
                } else {
                    rest.add(args[i]);
                }
            }
            return new Args(rest.toArray(String[]::new), profile);
        }
    }

    /** Runs the copy job against Kafka; the edge job's flags plus {@code --copy.profile}. */
    public static void main(String[] args) throws Exception {
        Args a = Args.split(args);
        EdgeJobOptions o = EdgeJobOptions.fromArgs(a.jobArgs());
        OutputProfile profile = a.profile() == null ? null : OutputProfile.parse(a.profile());
        LOG.info(
                "copy job: {} -> {}, {}, profile {}\n{}",
                o.imagesTopic(),
                o.mapsTopic(),
                o.statsTopic(),
                profile == null ? "none (plain copy)" : profile.spec(),
                o.describe());
        if (o.checkBroker()) {
            KafkaConnections.checkBroker(o, java.time.Duration.ofSeconds(30));
        }
        StreamExecutionEnvironment env = EdgeJob.environment(o);
        build(env, o, profile);
        env.execute(o.jobName());
    }
}
