package io.edgestream.bench.pipeline;

import io.edgestream.job.EdgeJob;
import io.edgestream.job.EdgeJobOptions;
import io.edgestream.job.KafkaConnections;
import io.edgestream.job.records.InputRecord;
import io.edgestream.job.records.TopicRecordSerializer;
import io.edgestream.schemas.kafka.RecordLimits;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The baseline of the pipeline benchmark ({@code scripts/bench-pipeline.sh}): a plain
 * Kafka-to-Kafka copy that reads every record of {@code topic.images} and writes its key, value and
 * timestamp unchanged to {@code topic.maps}, exactly once, with the edge job's own source, the same
 * checkpointing, restart and {@code kafka.*} settings (it takes the same flags, {@link
 * EdgeJobOptions}; the filter options are parsed but unused). It bounds what any job on this
 * cluster can move through Kafka, so the edge job's throughput is reported as a fraction of it.
 *
 * <p>Run it from the job jar with a main-class override, e.g. {@code scripts/submit-job.sh
 * --entry-class io.edgestream.bench.pipeline.CopyJob -- --topic.images in --topic.maps out}. The
 * sink's transactional ids are {@code <transactional.id.prefix>-copy}.
 */
public final class CopyJob {
    private static final Logger LOG = LoggerFactory.getLogger(CopyJob.class);

    /** Appended to the transactional id prefix. */
    public static final String SINK = "copy";

    /** Room for key, headers and batch overhead around a copied value. */
    static final int RECORD_OVERHEAD_BYTES = RecordLimits.RECORD_OVERHEAD_BYTES;

    private CopyJob() {}

    /** Adds source → sink (one chained task per subtask, no shuffle) to {@code env}. */
    public static void build(StreamExecutionEnvironment env, EdgeJobOptions o) {
        env.fromSource(
                        KafkaConnections.source(o),
                        WatermarkStrategy.noWatermarks(),
                        "images source")
                .uid("images-source")
                .sinkTo(sink(o))
                .name("copy sink")
                .uid("copy-sink");
    }

    /** The exactly-once sink writing to {@code topic.maps}. */
    static KafkaSink<InputRecord> sink(EdgeJobOptions o) {
        return KafkaConnections.sink(
                o, SINK, new CopySerializationSchema(o.mapsTopic()), producerProperties(o));
    }

    /**
     * The edge job's sink properties ({@link KafkaConnections#producerProperties}: pass-through,
     * transaction timeout, client id) and a {@code max.request.size} large enough for the largest
     * input the job accepts ({@code max.record.bytes}): a copy writes whole input records, which
     * Kafka's default of 1 MiB would reject for image-sized values.
     */
    static Properties producerProperties(EdgeJobOptions o) {
        Properties p = KafkaConnections.producerProperties(o, SINK);
        long needed = (long) o.inputLimits().maxRecordBytes() + RECORD_OVERHEAD_BYTES;
        String configured = p.getProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        if (configured == null || Long.parseLong(configured.trim()) < needed) {
            p.setProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(needed));
        }
        return p;
    }

    /** Writes a record's key, value and timestamp unchanged to one topic. */
    static final class CopySerializationSchema extends TopicRecordSerializer<InputRecord> {
        private static final long serialVersionUID = 1L;

        CopySerializationSchema(String topic) {
            super(topic);
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                InputRecord r, KafkaSinkContext context, Long timestamp) {
            // The input's timestamp is kept, so a reader of the output can compute the latency
            // from the original record's creation time.
            return new ProducerRecord<>(
                    topic, null, r.timestamp >= 0 ? r.timestamp : null, r.key, r.value);
        }
    }

    /** Runs the copy job against Kafka; same flags as {@link EdgeJob#main}. */
    public static void main(String[] args) throws Exception {
        EdgeJobOptions o = EdgeJobOptions.fromArgs(args);
        LOG.info("copy job: {} -> {}\n{}", o.imagesTopic(), o.mapsTopic(), o.describe());
        if (o.checkBroker()) {
            KafkaConnections.checkBroker(o, java.time.Duration.ofSeconds(30));
        }
        StreamExecutionEnvironment env = EdgeJob.environment(o);
        build(env, o);
        env.execute(o.jobName());
    }
}
