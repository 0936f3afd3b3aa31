package io.edgestream.bench.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.testing.stack.Waits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code --latency}: for each checkpoint interval, one edge job on a fresh topic, fed by a camera
 * at fixed frame rates: first a few seconds of warm-up at the lowest rate (not counted), then each
 * rate for {@code --latency-seconds}, waiting between rates until everything sent is visible. Each
 * frame's capture time is the moment it is sent; its latency is the moment its last statistics
 * record became visible to a {@code read_committed} reader minus that. Per interval and rate: p50,
 * p99 and max, the rate achieved (frames / time from the first send to the last frame visible), and
 * whether the job kept up: the median latency of the last quarter of the frames is at most one
 * checkpoint interval (or 0.5 s) above that of the first quarter, i.e. no queue built up.
 */
final class LatencyBench {
    /**
     * Distinct frames sent in turn (they are a pure function of their number; a ring saves CPU).
     */
    static final int RING = 8;

    private final Bench b;
    private final BenchOptions o;

    LatencyBench(Bench b) {
        this.b = b;
        this.o = b.o;
    }

    void run() throws Exception {
        try (BenchStack st = b.startStack("latency", o.taskManagers, o.slots, o.tmMemory)) {
            List<String> cameras = Frames.cameraIds(o.partitions, o.cameras);
            Frames frames = new Frames(o.latencyFormat, o.width, o.height, b.jpegCache);
            List<byte[]> ring = new ArrayList<>();
            for (int i = 0; i < RING; i++) {
                ring.add(frames.payload(i));
            }
            String enc = o.encodings.get(0);
            int filters = JobDefaults.filterNames(o.filters).size();
            double warmRate =
                    o.latencyRates.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            int warmFrames = (int) Math.ceil(warmRate * (o.quick ? 3 : 6));
            List<Integer> counts = new ArrayList<>();
            for (double r : o.latencyRates) {
                counts.add((int) Math.ceil(r * o.latencySeconds));
            }
            int total = warmFrames + counts.stream().mapToInt(Integer::intValue).sum();
            for (long interval : o.latencyIntervals) {
                String name = "latency-" + interval;
                Bench.step(
                        "latency, checkpoints every "
                                + interval
                                + " ms: "
                                + o.latencyFormat.label()
                                + " "
                                + o.width
                                + "x"
                                + o.height
                                + " at "
                                + o.latencyRates
                                + " frames/s, "
                                + o.latencySeconds
                                + " s each");
                st.createTopics(o.partitions, Bench.topics(name));
                List<Collector.Image> seen;
                List<long[]> segments = new ArrayList<>();
                try (Collector c =
                                new Collector(
                                        st.bootstrap(),
                                        name + "-stats",
                                        Collector.Mode.STATS,
                                        filters,
                                        total,
                                        null);
                        KafkaProducer<byte[], byte[]> producer = Frames.producer(st.bootstrap())) {
                    c.start();
                    BenchStack.Submitted s =
                            st.submit(
                                    b.jobJar,
                                    ThroughputBench.EDGE_JOB,
                                    b.edgeArgs(st.bootstrap(), name + "-in", name, enc, interval),
                                    o.parallelism);
                    long seq = 0;
                    seq =
                            send(
                                    producer,
                                    frames,
                                    ring,
                                    cameras,
                                    name + "-in",
                                    seq,
                                    warmFrames,
                                    warmRate);
                    drain(c, seq, st, s.jobId());
                    for (int i = 0; i < o.latencyRates.size(); i++) {
                        long first = seq;
                        long t0 = System.currentTimeMillis();
                        seq =
                                send(
                                        producer,
                                        frames,
                                        ring,
                                        cameras,
                                        name + "-in",
                                        seq,
                                        counts.get(i),
                                        o.latencyRates.get(i));
                        long drainStart = System.currentTimeMillis();
                        drain(c, seq, st, s.jobId());
                        segments.add(
                                new long[] {
                                    first, seq, t0, System.currentTimeMillis() - drainStart
                                });
                    }
                    seen = c.await(Duration.ofSeconds(60), () -> st.checkAlive(s.jobId())).images();
                    st.cancel(s.jobId());
                }
                st.deleteTopics(Bench.topics(name));
                for (int i = 0; i < segments.size(); i++) {
                    b.write(segment(seen, segments.get(i), o.latencyRates.get(i), interval, enc));
                }
            }
        }
    }

    /**
     * Sends {@code n} frames at {@code rate} per second from {@code seq} on; returns the next seq.
     */
    private long send(
            KafkaProducer<byte[], byte[]> producer,
            Frames frames,
            List<byte[]> ring,
            List<String> cameras,
            String topic,
            long seq,
            int n,
            double rate)
            throws InterruptedException {
        AvroWire<ImageFrame> wire = AvroWire.imageFrames();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                // Pacing the camera, not synchronisation.
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            String cam = cameras.get((int) (seq % cameras.size()));
            byte[] value =
                    wire.encode(
                            frames.frame(
                                    cam,
                                    seq,
                                    System.currentTimeMillis(),
                                    ring.get((int) (seq % ring.size()))));
            producer.send(new ProducerRecord<>(topic, cam.getBytes(StandardCharsets.UTF_8), value));
            seq++;
        }
        producer.flush();
        return seq;
    }

    private static void drain(Collector c, long sent, BenchStack st, String job) {
        Waits.until(
                "all " + sent + " frames sent so far to be visible",
                Duration.ofSeconds(300),
                () -> {
                    st.checkAlive(job);
                    return c.visible() >= sent;
                },
                () -> c.visible() + " visible");
    }

    private ObjectNode segment(
            List<Collector.Image> seen, long[] seg, double rate, long interval, String enc) {
        List<Collector.Image> in =
                seen.stream()
                        .filter(i -> i.sequence() >= seg[0] && i.sequence() < seg[1])
                        .sorted(java.util.Comparator.comparingLong(Collector.Image::sequence))
                        .toList();
        long[] lat = in.stream().mapToLong(i -> i.visibleMs() - i.captureMs()).toArray();
        int q = Math.max(1, lat.length / 4);
        long firstQuarter = Percentiles.of(java.util.Arrays.copyOfRange(lat, 0, q), 0.5);
        long lastQuarter =
                Percentiles.of(java.util.Arrays.copyOfRange(lat, lat.length - q, lat.length), 0.5);
        long lastVisible = in.stream().mapToLong(Collector.Image::visibleMs).max().orElse(seg[2]);
        ObjectNode n = Bench.record("latency");
        n.put("format", o.latencyFormat.id());
        n.put("width", o.width);
        n.put("height", o.height);
        n.put("encoding", enc);
        n.put("checkpoint_ms", interval);
        n.put("rate", rate);
        n.put("frames", lat.length);
        n.put("seconds", o.latencySeconds);
        n.put("p50_ms", Percentiles.of(lat, 0.5));
        n.put("p99_ms", Percentiles.of(lat, 0.99));
        n.put("max_ms", Percentiles.of(lat, 1.0));
        n.put("first_quarter_p50_ms", firstQuarter);
        n.put("last_quarter_p50_ms", lastQuarter);
        n.put("achieved_per_s", lat.length * 1000.0 / Math.max(1, lastVisible - seg[2]));
        n.put("drain_ms", seg[3]);
        n.put("keeps_up", lastQuarter <= firstQuarter + Math.max(interval, 500));
        return n;
    }
}
