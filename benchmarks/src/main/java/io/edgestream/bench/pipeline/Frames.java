package io.edgestream.bench.pipeline;

import io.edgestream.clients.produce.SyntheticCamera;
import io.edgestream.schemas.ImageEncoding;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.PixelFormat;
import io.edgestream.schemas.kafka.RecordLimits;
import io.edgestream.schemas.wire.AvroWire;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * The benchmark's input images and how they are sent: RAW GRAY8 and RAW RGB8 frames of the producer
 * tool's synthetic camera, and RGB JPEG files (quality 0.9) of the same scene with a fixed
 * pseudo-random texture so they compress like photographs, generated once into a cache directory.
 * Frames are sent as {@link ImageFrame} records keyed by camera id, exactly as {@code
 * produce-images} sends them; the camera ids are chosen so that N cameras fill N different
 * partitions.
 */
final class Frames {
    /** Input formats of the benchmark. */
    enum Format {
        GRAY8,
        RGB8,
        JPEG;

        static Format parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "unknown format '" + s + "': use gray8, rgb8 or jpeg", e);
            }
        }

        String label() {
            return switch (this) {
                case GRAY8 -> "RAW GRAY8";
                case RGB8 -> "RAW RGB8";
                case JPEG -> "JPEG RGB";
            };
        }

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Distinct JPEG files per size (sent in turn): enough variety, a bounded one-time cost. */
    static final int JPEG_FILES = 32;

    private final Format format;
    private final int width;
    private final int height;
    private final SyntheticCamera camera;
    private final List<byte[]> jpegs;

    /**
     * @param jpegCache where JPEG files are generated once and kept ({@code
     *     <cache>/jpeg-WxH-noiseN/})
     */
    Frames(Format format, int width, int height, Path jpegCache) throws IOException {
        this(
                format,
                width,
                height,
                format == Format.JPEG ? jpegFiles(jpegCache, width, height, 32) : List.of());
    }

    /** Frames of the given JPEG files (for {@link Format#JPEG}), sent in turn. */
    Frames(Format format, int width, int height, List<byte[]> jpegs) {
        this.format = format;
        this.width = width;
        this.height = height;
        this.camera =
                format == Format.JPEG
                        ? null
                        : new SyntheticCamera(width, height, PixelFormat.valueOf(format.name()));
        this.jpegs = jpegs;
    }

    Format format() {
        return format;
    }

    long pixels() {
        return (long) width * height;
    }

    /** The image payload of frame {@code seq}. */
    byte[] payload(long seq) {
        return format == Format.JPEG ? jpegs.get((int) (seq % jpegs.size())) : camera.frame(seq);
    }

    /**
     * Frame {@code seq} of camera {@code source} with image {@code data}, captured at {@code
     * captureMs}.
     */
    ImageFrame frame(String source, long seq, long captureMs, byte[] data) {
        boolean raw = format != Format.JPEG;
        return ImageFrame.newBuilder()
                .setImageId(String.format(Locale.ROOT, "%s/%06d", source, seq))
                .setSourceId(source)
                .setCaptureTimeMs(captureMs)
                .setSequence(seq)
                .setWidth(width)
                .setHeight(height)
                .setChannels(raw ? camera.channels() : 0)
                .setPixelFormat(raw ? PixelFormat.valueOf(format.name()) : null)
                .setEncoding(raw ? ImageEncoding.RAW : ImageEncoding.JPEG)
                .setData(ByteBuffer.wrap(data))
                .setAttributes(Map.of("bench", "true"))
                .build();
    }

    /** A producer for image records (whole images: up to the topic's record limit). */
    static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        // Plain retries in order: a retried batch was not written (a new topic's leader was not
        // ready yet), and without idempotence no sequence numbers can get stuck.
        p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.setProperty(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        p.setProperty(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                String.valueOf(RecordLimits.TOPIC_MAX_MESSAGE_BYTES));
        p.setProperty(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(256L << 20));
        p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Sends {@code count} frames to {@code topic}, round-robin over {@code cameras}, sequence
     * numbers from {@code firstSeq}; waits until all are acknowledged. Returns their value bytes.
     */
    long preload(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            List<String> cameras,
            long firstSeq,
            int count)
            throws InterruptedException {
        AvroWire<ImageFrame> wire = AvroWire.imageFrames();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            long seq = firstSeq + i;
            String cam = cameras.get(i % cameras.size());
            byte[] value = wire.encode(frame(cam, seq, System.currentTimeMillis(), payload(seq)));
            bytes += value.length;
            sent.add(
                    producer.send(
                            new ProducerRecord<>(
                                    topic, cam.getBytes(StandardCharsets.UTF_8), value)));
        }
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(
                        "sending an image to " + topic + " failed: " + e.getCause(), e.getCause());
            }
        }
        return bytes;
    }

    /**
     * {@code n} camera ids (record keys) that Kafka's default partitioner puts on different
     * partitions (as many as there are partitions), so one camera per partition keeps every source
     * subtask busy.
     */
    static List<String> cameraIds(int partitions, int n) {
        Map<Integer, String> byPartition = new LinkedHashMap<>();
        List<String> extra = new ArrayList<>();
        for (int i = 0; byPartition.size() + extra.size() < n && i < 100_000; i++) {
            String id = "cam-" + i;
            int p = partition(id, partitions);
            if (!byPartition.containsKey(p)) {
                byPartition.put(p, id);
            } else if (byPartition.size() == partitions) {
                extra.add(id);
            }
        }
        List<String> ids = new ArrayList<>(byPartition.values());
        ids.addAll(extra);
        return ids.subList(0, n);
    }

    /** Kafka's default partitioner for a keyed record (BuiltInPartitioner.partitionForKey). */
    static int partition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /**
     * The JPEG files of size {@code w x h} in {@code cache}, generated once (deterministic): the
     * synthetic camera's RGB scene plus texture of {@code noise} grey levels (0: none, much smaller
     * files).
     */
    static List<byte[]> jpegFiles(Path cache, int w, int h, int noise) throws IOException {
        Path dir = cache.resolve(String.format(Locale.ROOT, "jpeg-%dx%d-noise%d", w, h, noise));
        Files.createDirectories(dir);
        int count = noise == 0 ? 1 : JPEG_FILES;
        List<byte[]> out = new ArrayList<>();
        SyntheticCamera cam = new SyntheticCamera(w, h, PixelFormat.RGB8);
        for (int i = 0; i < count; i++) {
            Path f = dir.resolve(String.format(Locale.ROOT, "frame-%05d.jpg", i));
            if (!Files.isRegularFile(f)) {
                Path tmp = dir.resolve(f.getFileName() + ".tmp");
                writeJpeg(cam.frame(i), w, h, noise, 0x9E3779B97F4A7C15L + i, tmp);
                Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            out.add(Files.readAllBytes(f));
        }
        return out;
    }

    private static void writeJpeg(byte[] px, int w, int h, int noise, long seed, Path f)
            throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // Fixed texture (xorshift) so the files compress like photographs, not like flat
                // synthetic shapes; the same for every run.
                seed ^= seed << 13;
                seed ^= seed >>> 7;
                seed ^= seed << 17;
                int n = noise == 0 ? 0 : (int) Long.remainderUnsigned(seed, noise) - noise / 2;
                int o = (y * w + x) * 3;
                row[x] =
                        (clamp((px[o] & 0xff) + n) << 16)
                                | (clamp((px[o + 1] & 0xff) + n) << 8)
                                | clamp((px[o + 2] & 0xff) + n);
            }
            img.setRGB(0, y, w, 1, row, 0, w);
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(f.toFile())) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
