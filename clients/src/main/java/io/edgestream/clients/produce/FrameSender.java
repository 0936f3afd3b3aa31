package io.edgestream.clients.produce;

import io.edgestream.clients.cli.BrokerCheck;
import io.edgestream.clients.cli.ExitCodes;
import io.edgestream.clients.cli.ToolException;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.wire.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka side of {@code produce-images}: one idempotent producer that sends each frame as an
 * Avro record keyed by its source id, in the framing of its {@link WireFormat} (single-object or
 * registry, see {@code Framing}), and accounts for the outcome of every send. A record over {@code
 * --max-request-size} is not sent but counted as oversize, as is one the producer or broker rejects
 * as too large; any other failure (after the producer's own retries) counts as failed. Outcomes
 * arrive on the producer's thread; read them after {@link #close()}.
 */
final class FrameSender implements AutoCloseable {

    /** Room for the record and batch overhead around a record's key and value. */
    private static final int RECORD_OVERHEAD = 256;

    private final ProduceImages.Options o;
    private final KafkaProducer<byte[], byte[]> producer;
    private final WireFormat<ImageFrame> wire;
    private final ConcurrentLinkedQueue<ProduceImages.SentImage> sent =
            new ConcurrentLinkedQueue<>();
    private final AtomicLong ackedBytes = new AtomicLong();
    private final List<ProduceImages.Skipped> oversize =
            Collections.synchronizedList(new ArrayList<>());
    private final List<ProduceImages.Skipped> failed =
            Collections.synchronizedList(new ArrayList<>());

    FrameSender(ProduceImages.Options o, Properties props, WireFormat<ImageFrame> wire) {
        this.o = o;
        this.wire = wire;
        this.producer = new KafkaProducer<>(props);
    }

    /** The producer settings for {@code o}, user settings applied last. */
    static Properties producerProperties(ProduceImages.Options o) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrap());
        // Names this tool in broker logs and quotas.
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "edgestream-" + ProduceImages.TOOL);
        // Retries must never duplicate or reorder a frame within a source (one partition).
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // A frame counts as sent only once all in-sync replicas have it (idempotence needs it too).
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // Encoded images barely compress, but RAW pixels and synthetic frames do; zstd is cheap.
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, o.compression);
        // Images are large: the default 1 MiB limit would reject most photographs. Brokers and
        // topics need message.max.bytes / max.message.bytes at least this large (KAFKA-4169).
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(o.maxRequestSize));
        // The send buffer must hold at least one largest record, or send() fails outright.
        p.put(
                ProducerConfig.BUFFER_MEMORY_CONFIG,
                String.valueOf(Math.max(64L << 20, 2 * o.maxRequestSize)));
        // Let small images (thumbnails, synthetic frames) share a request.
        p.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(o.lingerMs));
        // One batch per partition may hold several small images; large ones go alone anyway.
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(1 << 20));
        // Fail a send() that cannot get metadata within the connect timeout instead of 60 s.
        p.put(
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                String.valueOf(Math.max(5000, o.connectTimeout().toMillis() * 3)));
        // Give a slow broker two minutes (retries included) before a frame counts as failed.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.putAll(o.kafka());
        return p;
    }

    /**
     * Hands {@code f} to the producer.
     *
     * @param display how to name the frame's input in messages
     * @return the size of the record's value, or -1 if it is too large and was not sent
     * @throws ToolException if the producer cannot take the record at all
     */
    int send(ImageFrame f, String display) {
        byte[] key = f.getSourceId().getBytes(StandardCharsets.UTF_8);
        byte[] value = wire.encode(f);
        // max.request.size is checked on the uncompressed record; leave room for the
        // record and batch overhead so that the producer does not reject it later.
        long size = (long) value.length + key.length + RECORD_OVERHEAD;
        if (size > o.maxRequestSize) {
            oversize.add(
                    new ProduceImages.Skipped(
                            display,
                            "record of " + value.length + " bytes exceeds " + o.maxRequestSize));
            return -1;
        }
        ProduceImages.SentImage info =
                new ProduceImages.SentImage(
                        f.getImageId(),
                        f.getSourceId(),
                        f.getSequence(),
                        f.getWidth(),
                        f.getHeight(),
                        value.length,
                        display);
        try {
            producer.send(
                    new ProducerRecord<>(o.topic, key, value),
                    (md, e) -> {
                        if (e == null) {
                            sent.add(info);
                            ackedBytes.addAndGet(value.length);
                        } else if (e instanceof RecordTooLargeException) {
                            oversize.add(
                                    new ProduceImages.Skipped(
                                            display, "rejected as too large: " + e.getMessage()));
                        } else {
                            failed.add(
                                    new ProduceImages.Skipped(display, BrokerCheck.rootMessage(e)));
                        }
                    });
        } catch (RecordTooLargeException e) {
            oversize.add(new ProduceImages.Skipped(display, e.getMessage()));
            return -1;
        } catch (KafkaException e) {
            throw new ToolException(
                    "cannot send "
                            + display
                            + " to "
                            + o.bootstrap()
                            + ": "
                            + BrokerCheck.rootMessage(e),
                    ExitCodes.FAILED,
                    e);
        }
        return value.length;
    }

    /** Waits until every record handed over so far is acknowledged or failed. */
    void flush() {
        producer.flush();
    }

    /** Images acknowledged by the broker, in acknowledgement order. */
    List<ProduceImages.SentImage> sent() {
        return List.copyOf(sent);
    }

    List<ProduceImages.Skipped> oversize() {
        synchronized (oversize) {
            return List.copyOf(oversize);
        }
    }

    List<ProduceImages.Skipped> failed() {
        synchronized (failed) {
            return List.copyOf(failed);
        }
    }

    /** Bytes of record values acknowledged. */
    long ackedBytes() {
        return ackedBytes.get();
    }

    /** Sends what is still buffered and closes the producer. */
    @Override
    public void close() {
        producer.close();
    }
}
