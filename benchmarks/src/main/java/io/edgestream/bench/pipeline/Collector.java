package io.edgestream.bench.pipeline;

import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.wire.AvroWire;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Watches an output topic as a {@code read_committed} reader and records when images become
 * visible: in {@link Mode#STATS} an image is visible once its statistics records for every filter
 * have arrived (duplicates, as an at-least-once writer may produce, are counted once); in {@link
 * Mode#COUNT} every {@code perImage} records make one image (the copy job, whose records carry no
 * image id). Each time the visible count grows it samples the CPU time of every process ({@link
 * CpuTimes}), so the steady-state window's CPU cost is known ({@link SteadyState}).
 *
 * <p>It is positioned at the beginning of the topic before {@link #start} returns, so the job may
 * be started right after.
 */
final class Collector implements AutoCloseable {
    enum Mode {
        STATS,
        COUNT
    }

    /** One image as seen by the reader. */
    record Image(
            String id,
            long sequence,
            long captureMs,
            long ingestMs,
            long completedMs,
            long visibleMs,
            int width) {}

    /** What was seen: the progress moments, every complete image, and duplicate records. */
    record Result(
            List<SteadyState.Progress> progress,
            List<Image> images,
            long duplicates,
            long records) {
        long lastVisibleMs() {
            return progress.isEmpty() ? -1 : progress.get(progress.size() - 1).timeMs();
        }
    }

    private final String bootstrap;
    private final String topic;
    private final Mode mode;
    private final int perImage;
    private final long expect;
    private final CpuTimes cpu;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stop;
    private volatile long visibleNow;
    private Thread thread;

    // Owned by the collector thread until done counts down.
    private final List<SteadyState.Progress> progress = new ArrayList<>();
    private final List<Image> images = new ArrayList<>();
    private long duplicates;
    private long records;

    Collector(String bootstrap, String topic, Mode mode, int perImage, long expect, CpuTimes cpu) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.mode = mode;
        this.perImage = perImage;
        this.expect = expect;
        this.cpu = cpu;
    }

    /** Starts reading in a thread and returns once the reader is positioned. */
    void start() throws InterruptedException {
        thread = new Thread(this::run, "collector " + topic);
        thread.setDaemon(true);
        thread.start();
        if (!ready.await(60, TimeUnit.SECONDS) || failure.get() != null) {
            throw new IllegalStateException(
                    "the reader of " + topic + " could not start", failure.get());
        }
    }

    /**
     * Waits until {@code expect} images are visible, {@code timeout} passes, or {@code check}
     * throws (e.g. because the job failed).
     *
     * @throws IllegalStateException if not all images became visible in time
     */
    Result await(Duration timeout, Check check) throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (!done.await(500, TimeUnit.MILLISECONDS)) {
            check.run();
            if (System.currentTimeMillis() > deadline) {
                stop = true;
                done.await(10, TimeUnit.SECONDS);
                throw new IllegalStateException(
                        "only "
                                + images.size()
                                + " of "
                                + expect
                                + " images became visible on "
                                + topic
                                + " within "
                                + timeout.toSeconds()
                                + " s");
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("reading " + topic + " failed", failure.get());
        }
        return new Result(List.copyOf(progress), List.copyOf(images), duplicates, records);
    }

    /** Images visible so far. */
    long visible() {
        return visibleNow;
    }

    /** A check run while waiting; throws to stop waiting. */
    interface Check {
        void run() throws Exception;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        if (thread != null) {
            thread.join(30_000);
        }
    }

    /**
     * A reader of whole output records as a user's {@code read_committed} consumer, assigned by
     * hand (no group); {@code maxWaitMs} bounds how late it sees a commit.
     */
    static KafkaConsumer<byte[], byte[]> readCommitted(String bootstrap, int maxWaitMs) {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.setProperty(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(40 << 20));
        p.setProperty(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(80 << 20));
        p.setProperty(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, String.valueOf(maxWaitMs));
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private void run() {
        AvroWire<EdgeStats> wire = AvroWire.edgeStats();
        Map<String, Set<String>> filters = new HashMap<>();
        Map<String, EdgeStats> first = new HashMap<>();
        Set<String> complete = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> c = readCommitted(bootstrap, 20)) {
            List<TopicPartition> tps = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (tps.isEmpty()) {
                // A topic created a moment ago may not be in this client's metadata yet.
                for (PartitionInfo pi : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                    tps.add(new TopicPartition(topic, pi.partition()));
                }
                if (tps.isEmpty() && System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException(
                            "topic " + topic + " has no partitions after 30 s");
                }
                if (tps.isEmpty()) {
                    Thread.sleep(200);
                }
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            for (TopicPartition tp : tps) {
                c.position(tp, Duration.ofSeconds(30));
            }
            ready.countDown();
            long visible = 0;
            while (!stop && visible < expect) {
                var batch = c.poll(Duration.ofMillis(50));
                if (batch.isEmpty()) {
                    continue;
                }
                long now = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    records++;
                    if (mode == Mode.COUNT) {
                        if (records % perImage == 0) {
                            images.add(
                                    new Image(
                                            r.topic() + "/" + r.partition() + "/" + r.offset(),
                                            -1,
                                            r.timestamp(),
                                            r.timestamp(),
                                            -1,
                                            now,
                                            0));
                        }
                        continue;
                    }
                    EdgeStats e = wire.decode(r.value());
                    String id = e.getImageId();
                    if (!filters.computeIfAbsent(id, k -> new HashSet<>()).add(e.getFilter())) {
                        duplicates++;
                        continue;
                    }
                    EdgeStats f =
                            first.merge(
                                    id,
                                    e,
                                    (a, b) ->
                                            a.getCompletedTimeMs() >= b.getCompletedTimeMs()
                                                    ? a
                                                    : b);
                    if (filters.get(id).size() >= perImage && complete.add(id)) {
                        images.add(
                                new Image(
                                        id,
                                        sequence(id),
                                        f.getCaptureTimeMs(),
                                        f.getIngestTimeMs(),
                                        f.getCompletedTimeMs(),
                                        now,
                                        f.getInputWidth()));
                        first.remove(id);
                    }
                }
                if (images.size() > visible) {
                    visible = images.size();
                    visibleNow = visible;
                    progress.add(
                            new SteadyState.Progress(
                                    now, visible, cpu == null ? Map.of() : cpu.sampleMs()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.set(e);
            ready.countDown();
        } catch (RuntimeException | Error e) {
            failure.set(e);
            ready.countDown();
        } finally {
            done.countDown();
        }
    }

    /** The sequence number at the end of an image id {@code <camera>/<sequence>}, -1 if none. */
    static long sequence(String imageId) {
        int slash = imageId.lastIndexOf('/');
        try {
            return Long.parseLong(imageId.substring(slash + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
