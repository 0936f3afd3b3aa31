package io.edgestream.bench.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.wire.AvroWire;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code --scaling} (issue 13 item 6), on its own stack of {@code --taskmanagers} TaskManagers
 * (default 2) with one slot each, the job at parallelism 2 over 2 partitions, and {@code
 * --scaling-tm-memory} (default 1805m, which Flink splits into a 1 GiB JVM heap with the stack's
 * managed memory fraction of 0.05; the -Xmx actually used is recorded):
 *
 * <ol>
 *   <li><b>Cost per pixel</b>, RAW GRAY8 256x256 to 4000x4000: one topic holding a 1024x1024
 *       warm-up block and then one block per size (about {@code --scaling-mp} megapixels each, at
 *       least 4 images), through ONE edge job, so every size runs on warm code; a block's time is
 *       the last {@code EdgeStats.completedTimeMs} of its images minus the previous block's
 *       (processing, not bound to the checkpoint interval). A RAW 8192x8192 frame (64 MiB) is
 *       larger than the broker's record limit, so that size is measured as a JPEG (3.).
 *   <li><b>Parallelism 1 vs 2</b> on 4000x4000 GRAY8: one image at a time, the first not counted;
 *       processing latency ({@code completedTimeMs - captureTimeMs}) and visible latency.
 *   <li><b>One 8192x8192 RGB JPEG</b> (no texture, so it stays small) with {@code --max.pixels
 *       70000000}: whether it completes in this heap, and its time from the job running to its
 *       statistics (decode included).
 * </ol>
 */
final class ScalingBench {
    static final List<Integer> SIZES = List.of(1024, 256, 512, 1024, 2048, 4000);

    private final Bench b;
    private final BenchOptions o;
    private final int filters;

    /** One slot per TaskManager: the parallelism, the partitions and the cameras. */
    private final int parallelism;

    ScalingBench(Bench b) {
        this.b = b;
        this.o = b.o;
        this.filters = JobDefaults.filterNames(o.filters).size();
        this.parallelism = o.taskManagers;
    }

    void run() throws Exception {
        try (BenchStack st = b.startStack("scaling", o.taskManagers, 1, o.scalingTmMemory)) {
            String xmx = st.taskManagerXmx();
            List<String> cameras = Frames.cameraIds(parallelism, parallelism);
            cost(st, cameras, xmx);
            parallelism(st, cameras, 1, null);
            // At 2, the job's default keeps the image in one slot; spreading its tiles over both
            // is what can shorten one large image's latency while the other slot idles.
            parallelism(st, cameras, 2, null);
            parallelism(st, cameras, 2, "1");
            big(st, cameras, xmx);
        }
    }

    private void cost(BenchStack st, List<String> cameras, String xmx) throws Exception {
        Bench.step(
                "scaling 1/3: cost per pixel, RAW GRAY8 "
                        + SIZES.subList(1, SIZES.size())
                        + ", about "
                        + o.scalingMp
                        + " MP per size, one warm job");
        String name = "scale-cost";
        st.createTopics(parallelism, Bench.topics(name));
        List<Integer> counts = new ArrayList<>();
        long seq = 0;
        try (KafkaProducer<byte[], byte[]> p = Frames.producer(st.bootstrap())) {
            for (int size : SIZES) {
                int n = (int) Math.max(4, Math.ceil(o.scalingMp * 1e6 / ((double) size * size)));
                counts.add(n);
                new Frames(Frames.Format.GRAY8, size, size, b.jpegCache)
                        .preload(p, name + "-in", cameras, seq, n);
                seq += n;
            }
        }
        List<Collector.Image> seen =
                job(st, name, (int) seq, parallelism, List.of(), Duration.ofSeconds(600)).images();
        st.deleteTopics(Bench.topics(name));
        long from = 0;
        long prevLast = -1;
        for (int i = 0; i < SIZES.size(); i++) {
            long to = from + counts.get(i);
            long f = from;
            long last =
                    seen.stream()
                            .filter(im -> im.sequence() >= f && im.sequence() < to)
                            .mapToLong(Collector.Image::completedMs)
                            .max()
                            .orElseThrow();
            if (i > 0) {
                int size = SIZES.get(i);
                double secs = (last - prevLast) / 1000.0;
                double pps = counts.get(i) * (double) size * size / secs;
                ObjectNode n = Bench.record("scaling_cost");
                n.put("format", "gray8");
                n.put("size", size);
                n.put("images", counts.get(i));
                n.put("seconds", secs);
                n.put("mp_per_s", pps / 1e6);
                n.put("ns_per_pixel", 1e9 / pps);
                n.put("parallelism", parallelism);
                n.put("tm_xmx", xmx);
                b.write(n);
            }
            prevLast = last;
            from = to;
        }
    }

    /**
     * One 4000x4000 image at a time at parallelism {@code p}, with the job's {@code
     * tiles.spread.min} ({@code spreadMin} null) or the one given.
     */
    private void parallelism(BenchStack st, List<String> cameras, int p, String spreadMin)
            throws Exception {
        int images = o.quick ? 3 : 5;
        long gapMs = o.quick ? 4000 : 10_000;
        Bench.step(
                "scaling 2/3: parallelism "
                        + p
                        + ", 4000x4000 GRAY8, one image every "
                        + gapMs / 1000
                        + " s, "
                        + images
                        + " images, the first not counted"
                        + (spreadMin == null ? "" : ", --tiles.spread.min " + spreadMin));
        String name = "scale-p" + p + (spreadMin == null ? "" : "-spread" + spreadMin);
        st.createTopics(parallelism, Bench.topics(name));
        Frames frames = new Frames(Frames.Format.GRAY8, 4000, 4000, b.jpegCache);
        AvroWire<ImageFrame> wire = AvroWire.imageFrames();
        Collector.Result r;
        try (Collector c =
                        new Collector(
                                st.bootstrap(),
                                name + "-stats",
                                Collector.Mode.STATS,
                                filters,
                                images,
                                null);
                KafkaProducer<byte[], byte[]> producer = Frames.producer(st.bootstrap())) {
            c.start();
            List<String> args =
                    new ArrayList<>(
                            b.edgeArgs(
                                    st.bootstrap(),
                                    name + "-in",
                                    name,
                                    o.encodings.get(0),
                                    o.checkpointMs));
            if (spreadMin != null) {
                args.addAll(List.of("--tiles.spread.min", spreadMin));
            }
            BenchStack.Submitted s = st.submit(b.jobJar, ThroughputBench.EDGE_JOB, args, p);
            byte[] px = frames.payload(0);
            for (int i = 0; i < images; i++) {
                String cam = cameras.get(0);
                producer.send(
                        new ProducerRecord<>(
                                name + "-in",
                                cam.getBytes(StandardCharsets.UTF_8),
                                wire.encode(frames.frame(cam, i, System.currentTimeMillis(), px))));
                producer.flush();
                if (i + 1 < images) {
                    // One image at a time: pacing, not synchronisation.
                    Thread.sleep(gapMs);
                }
            }
            r = c.await(Duration.ofSeconds(300), () -> st.checkAlive(s.jobId()));
            st.cancel(s.jobId());
        }
        st.deleteTopics(Bench.topics(name));
        List<Collector.Image> counted = r.images().stream().filter(i -> i.sequence() > 0).toList();
        ObjectNode n = Bench.record("scaling_parallelism");
        n.put("parallelism", p);
        n.put("tiles_spread_min", spreadMin == null ? "default" : spreadMin);
        n.put("size", 4000);
        n.put("images", counted.size());
        n.put(
                "processing_p50_ms",
                Percentiles.of(
                        counted.stream().mapToLong(i -> i.completedMs() - i.captureMs()).toArray(),
                        0.5));
        n.put(
                "visible_p50_ms",
                Percentiles.of(
                        counted.stream().mapToLong(i -> i.visibleMs() - i.captureMs()).toArray(),
                        0.5));
        b.write(n);
    }

    private void big(BenchStack st, List<String> cameras, String xmx) throws Exception {
        Bench.step("scaling 3/3: one 8192x8192 RGB JPEG, TaskManager heap " + xmx);
        String name = "scale-big";
        byte[] jpeg = Frames.jpegFiles(b.jpegCache, 8192, 8192, 0).get(0);
        st.createTopics(parallelism, Bench.topics(name));
        Frames frames = new Frames(Frames.Format.JPEG, 8192, 8192, List.of(jpeg));
        ObjectNode n = Bench.record("scaling_big");
        n.put("size", 8192);
        n.put("jpeg_bytes", jpeg.length);
        n.put("tm_xmx", xmx);
        try (KafkaProducer<byte[], byte[]> p = Frames.producer(st.bootstrap())) {
            String cam = cameras.get(0);
            p.send(
                            new ProducerRecord<>(
                                    name + "-in",
                                    cam.getBytes(StandardCharsets.UTF_8),
                                    AvroWire.imageFrames()
                                            .encode(
                                                    frames.frame(
                                                            cam,
                                                            0,
                                                            System.currentTimeMillis(),
                                                            jpeg))))
                    .get();
        }
        try {
            Collector.Result r =
                    job(
                            st,
                            name,
                            1,
                            parallelism,
                            List.of("--max.pixels", "70000000"),
                            Duration.ofSeconds(300));
            Collector.Image im = r.images().get(0);
            double secs = (im.completedMs() - runningSince) / 1000.0;
            n.put("complete", true);
            n.put("processing_s", secs);
            n.put("visible_s", (im.visibleMs() - runningSince) / 1000.0);
            n.put("ns_per_pixel", secs * 1e9 / (8192.0 * 8192.0));
        } catch (IllegalStateException e) {
            n.put("complete", false);
            n.put("error", e.getMessage());
        }
        st.deleteTopics(Bench.topics(name));
        b.write(n);
    }

    private long runningSince;

    /**
     * One edge job over the pre-loaded {@code <name>-in} until {@code expect} images are visible.
     */
    private Collector.Result job(
            BenchStack st,
            String name,
            int expect,
            int parallelism,
            List<String> extra,
            Duration timeout)
            throws Exception {
        try (Collector c =
                new Collector(
                        st.bootstrap(),
                        name + "-stats",
                        Collector.Mode.STATS,
                        filters,
                        expect,
                        null)) {
            c.start();
            List<String> args =
                    new ArrayList<>(
                            b.edgeArgs(
                                    st.bootstrap(),
                                    name + "-in",
                                    name,
                                    o.encodings.get(0),
                                    o.checkpointMs));
            args.addAll(extra);
            BenchStack.Submitted s =
                    st.submit(b.jobJar, ThroughputBench.EDGE_JOB, args, parallelism);
            runningSince = s.runningSinceMs();
            try {
                return c.await(
                        timeout,
                        () -> {
                            st.checkAlive(s.jobId());
                            if (st.endOffsets(name + "-dlq") > 0) {
                                throw new IllegalStateException(
                                        "the job dead-lettered an image (topic "
                                                + name
                                                + "-dlq); see the TaskManager logs");
                            }
                        });
            } finally {
                st.cancel(s.jobId());
            }
        }
    }
}
