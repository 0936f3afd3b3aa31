/*
 * Helper of scripts/bench-pipeline.sh, built by Maven and run against the clients jar (which
 * bundles kafka-clients, Avro, the schemas and the imaging core):
 *
 *   java -cp clients/target/edgestream-clients.jar:benchmarks/target/classes \
 *       io.edgestream.bench.pipeline.PipelineBench COMMAND ...
 *
 * Commands:
 *   jpegs DIR COUNT WxH [NOISE]    deterministic RGB JPEG files (quality 90) of the synthetic
 *                                  camera's scene plus fixed pseudo-random texture of NOISE
 *                                  grey levels (default 32; 0 = none, much smaller files)
 *   topics BOOTSTRAP PARTITIONS create|delete NAME...
 *                                  creates topics (max.message.bytes 32 MiB) or deletes them
 *   sources PARTITIONS N           N source ids (record keys) that the default partitioner puts
 *                                  on N different partitions, so one producer per id fills all
 *   collect BOOTSTRAP TOPIC stats|copy EXPECT TIMEOUT_S SKIP RECORDS_PER_IMAGE READY_FILE
 *                                  reads TOPIC from the beginning (read_committed) until EXPECT
 *                                  images are visible; prints one JSON line: count, first and
 *                                  last receive time, and latency percentiles over the images
 *                                  after the first SKIP (warm-up). "visible" = receive time of
 *                                  the image's last output record - capture time (stats) or the
 *                                  input record's timestamp (copy, which keeps it); "processing"
 *                                  = EdgeStats completedTimeMs - captureTimeMs (stats only).
 *                                  An image is complete with RECORDS_PER_IMAGE records (one
 *                                  EdgeStats per filter); READY_FILE is created once the consumer
 *                                  is positioned, so the caller can start the job after it.
 *
 * A benchmark tool, not part of the product.
 */
package io.edgestream.bench.pipeline;

import io.edgestream.clients.produce.SyntheticCamera;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.PixelFormat;
import io.edgestream.schemas.kafka.RecordLimits;
import io.edgestream.schemas.wire.AvroWire;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

public class PipelineBench {

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: see the comment at the top of this file");
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "jpegs" -> jpegs(rest);
            case "topics" -> topics(rest);
            case "sources" -> sources(rest);
            case "collect" -> collect(rest);
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    static void jpegs(String[] a) throws Exception {
        File dir = new File(a[0]);
        int count = Integer.parseInt(a[1]);
        String[] wh = a[2].split("x");
        int w = Integer.parseInt(wh[0]);
        int h = Integer.parseInt(wh[1]);
        int noise = a.length > 3 ? Integer.parseInt(a[3]) : 32;
        dir.mkdirs();
        SyntheticCamera cam = new SyntheticCamera(w, h, PixelFormat.RGB8);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.9f);
        long seed = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < count; i++) {
            byte[] px = cam.frame(i);
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    // Fixed texture (xorshift) so the files compress like photographs, not like
                    // flat synthetic shapes; the same for every run.
                    seed ^= seed << 13;
                    seed ^= seed >>> 7;
                    seed ^= seed << 17;
                    int n = noise == 0 ? 0 : (int) Long.remainderUnsigned(seed, noise) - noise / 2;
                    int o = (y * w + x) * 3;
                    int r = clamp((px[o] & 0xff) + n);
                    int g = clamp((px[o + 1] & 0xff) + n);
                    int b = clamp((px[o + 2] & 0xff) + n);
                    row[x] = (r << 16) | (g << 8) | b;
                }
                img.setRGB(0, y, w, 1, row, 0, w);
            }
            File f = new File(dir, String.format(Locale.ROOT, "frame-%05d.jpg", i));
            try (ImageOutputStream out = ImageIO.createImageOutputStream(f)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(img, null, null), param);
            }
        }
        writer.dispose();
    }

    static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(p);
    }

    static void topics(String[] a) throws Exception {
        String bootstrap = a[0];
        int partitions = Integer.parseInt(a[1]);
        String action = a[2];
        List<String> names = Arrays.asList(a).subList(3, a.length);
        try (Admin admin = admin(bootstrap)) {
            if (action.equals("create")) {
                List<NewTopic> topics = new ArrayList<>();
                for (String n : names) {
                    topics.add(
                            new NewTopic(n, partitions, (short) 1)
                                    .configs(
                                            Map.of(
                                                    "max.message.bytes",
                                                    String.valueOf(
                                                            RecordLimits
                                                                    .TOPIC_MAX_MESSAGE_BYTES))));
                }
                admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
            } else if (action.equals("delete")) {
                Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
                List<String> present = names.stream().filter(existing::contains).toList();
                admin.deleteTopics(present).all().get(60, TimeUnit.SECONDS);
            } else {
                throw new IllegalArgumentException("topics: create or delete, got " + action);
            }
        }
    }

    static void sources(String[] a) {
        int partitions = Integer.parseInt(a[0]);
        int n = Integer.parseInt(a[1]);
        Map<Integer, String> byPartition = new LinkedHashMap<>();
        for (int i = 0; byPartition.size() < Math.min(n, partitions) && i < 10_000; i++) {
            String id = "bench-" + i;
            // Kafka's default partitioner for keyed records (BuiltInPartitioner.partitionForKey).
            int p =
                    Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8)))
                            % partitions;
            byPartition.putIfAbsent(p, id);
        }
        System.out.println(String.join(" ", byPartition.values()));
    }

    /** Per image: capture (or input) time, processing end, receive time of its last record. */
    static final class Seen {
        long captureMs;
        long completedMs = -1;
        long lastReceiveMs;
        int records;
        int width;
    }

    static void collect(String[] a) {
        String bootstrap = a[0];
        String topic = a[1];
        boolean stats = a[2].equals("stats");
        int expect = Integer.parseInt(a[3]);
        long timeoutMs = Long.parseLong(a[4]) * 1000;
        int skip = Integer.parseInt(a[5]);
        int recordsPerImage = a.length > 6 ? Integer.parseInt(a[6]) : 1;
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.setProperty(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(40 << 20));
        p.setProperty(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(80 << 20));
        p.setProperty(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
        AvroWire<EdgeStats> wire = AvroWire.edgeStats();
        Map<String, Seen> images = new HashMap<>();
        List<String> order = new ArrayList<>();
        Set<String> complete = new HashSet<>();
        long firstReceive = -1;
        long lastReceive = -1;
        long deadline = System.currentTimeMillis() + timeoutMs;
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (PartitionInfo pi : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                tps.add(new TopicPartition(topic, pi.partition()));
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            for (TopicPartition tp : tps) {
                c.position(tp, Duration.ofSeconds(30));
            }
            if (a.length > 7) {
                try {
                    new File(a[7]).createNewFile();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("cannot create " + a[7], e);
                }
            }
            while (complete.size() < expect && System.currentTimeMillis() < deadline) {
                var batch = c.poll(Duration.ofMillis(100));
                long now = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    String id;
                    Seen s;
                    if (stats) {
                        EdgeStats e = wire.decode(r.value());
                        id = e.getImageId().toString();
                        s = images.get(id);
                        if (s == null) {
                            s = new Seen();
                            s.captureMs = e.getCaptureTimeMs();
                            s.width = e.getInputWidth();
                            images.put(id, s);
                            order.add(id);
                        }
                        s.completedMs = Math.max(s.completedMs, e.getCompletedTimeMs());
                    } else {
                        id = r.topic() + "/" + r.partition() + "/" + r.offset();
                        s = new Seen();
                        s.captureMs = r.timestamp();
                        images.put(id, s);
                        order.add(id);
                    }
                    s.records++;
                    s.lastReceiveMs = now;
                    if (s.records >= recordsPerImage) {
                        complete.add(id);
                    }
                    if (firstReceive < 0) {
                        firstReceive = now;
                    }
                    lastReceive = now;
                }
            }
        }
        // Images in the order of their capture time; the first `skip` are warm-up.
        List<Seen> all = new ArrayList<>();
        for (String id : order) {
            if (complete.contains(id)) {
                all.add(images.get(id));
            }
        }
        all.sort((x, y) -> Long.compare(x.captureMs, y.captureMs));
        List<Seen> measured = all.subList(Math.min(skip, all.size()), all.size());
        long[] visible =
                measured.stream().mapToLong(s -> s.lastReceiveMs - s.captureMs).sorted().toArray();
        long[] processing =
                measured.stream()
                        .filter(s -> s.completedMs >= 0)
                        .mapToLong(s -> s.completedMs - s.captureMs)
                        .sorted()
                        .toArray();
        // Per input width: how many images and when the last one was processed (EdgeStats
        // completedTimeMs, before the commit), for blocks of one size in one job.
        java.util.TreeMap<Integer, long[]> bySize = new java.util.TreeMap<>();
        for (Seen s : all) {
            long[] v = bySize.computeIfAbsent(s.width, k -> new long[] {0, Long.MIN_VALUE});
            v[0]++;
            v[1] = Math.max(v[1], s.completedMs);
        }
        StringBuilder sizes = new StringBuilder("{");
        for (var e : bySize.entrySet()) {
            if (sizes.length() > 1) {
                sizes.append(", ");
            }
            sizes.append(
                    String.format(
                            Locale.ROOT,
                            "\"%d\": {\"images\": %d, \"last_completed_ms\": %d}",
                            e.getKey(),
                            e.getValue()[0],
                            e.getValue()[1]));
        }
        sizes.append("}");
        System.out.println(
                String.format(
                        Locale.ROOT,
                        "{\"complete\": %d, \"expect\": %d, \"first_receive_ms\": %d,"
                                + " \"last_receive_ms\": %d, \"by_size\": %s, \"measured\": %d,"
                                + " \"visible\": %s, \"processing\": %s}",
                        complete.size(),
                        expect,
                        firstReceive,
                        lastReceive,
                        sizes,
                        measured.size(),
                        percentiles(visible),
                        percentiles(processing)));
        if (complete.size() < expect) {
            System.exit(2);
        }
    }

    static String percentiles(long[] sorted) {
        if (sorted.length == 0) {
            return "null";
        }
        return String.format(
                Locale.ROOT,
                "{\"p50\": %d, \"p95\": %d, \"p99\": %d, \"max\": %d}",
                rank(sorted, 0.50),
                rank(sorted, 0.95),
                rank(sorted, 0.99),
                sorted[sorted.length - 1]);
    }

    /** Nearest-rank percentile. */
    static long rank(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
