package io.edgestream.job.stack;

import io.edgestream.job.testing.TestImages;
import io.edgestream.schemas.ImageEncoding;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.PixelFormat;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.testing.stack.Waits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A camera streaming RAW RGB frames (deterministic pseudo-random pixels) at a fixed rate, in the
 * background, through an idempotent producer that rides out broker outages: input that keeps
 * flowing while a fault is injected. Every frame is kept for the exactly-once accounting.
 */
final class CameraStream implements AutoCloseable {
    private final List<ImageFrame> frames;
    private final Thread thread;
    private final AtomicInteger acknowledged = new AtomicInteger();
    private final AtomicReference<Throwable> error = new AtomicReference<>();
    private volatile boolean stop;

    /**
     * Starts streaming {@code count} frames of {@code width x height} at {@code fps} frames per
     * second to {@code topic}, image ids {@code <source>/<6-digit sequence>}.
     */
    CameraStream(
            StackKafka kafka,
            String topic,
            String source,
            int count,
            double fps,
            int width,
            int height) {
        List<ImageFrame> fs = new ArrayList<>();
        for (int seq = 0; seq < count; seq++) {
            ImageFrame f =
                    TestImages.frame(
                            String.format(Locale.ROOT, "%s/%06d", source, seq),
                            ImageEncoding.RAW,
                            PixelFormat.RGB8,
                            width,
                            height,
                            3,
                            TestImages.samples8(width, height, 3, seq));
            f.setSourceId(source);
            f.setSequence(seq);
            fs.add(f);
        }
        this.frames = Collections.unmodifiableList(fs);
        long periodNanos = (long) (1e9 / fps);
        byte[] key = source.getBytes(StandardCharsets.UTF_8);
        thread =
                new Thread(
                        () -> {
                            try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
                                long next = System.nanoTime();
                                for (ImageFrame f : frames) {
                                    if (stop) {
                                        return;
                                    }
                                    long wait = next - System.nanoTime();
                                    if (wait > 0) {
                                        // The camera's frame clock: the rate is the test input.
                                        TimeUnit.NANOSECONDS.sleep(wait);
                                    }
                                    next += periodNanos;
                                    p.send(
                                            new ProducerRecord<>(
                                                    topic, key, AvroWire.imageFrames().encode(f)),
                                            (md, e) -> {
                                                if (e != null) {
                                                    error.compareAndSet(null, e);
                                                } else {
                                                    acknowledged.incrementAndGet();
                                                }
                                            });
                                }
                                p.flush();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } catch (RuntimeException e) {
                                error.compareAndSet(null, e);
                            }
                        },
                        "camera " + source);
        thread.setDaemon(true);
        thread.start();
    }

    List<ImageFrame> frames() {
        return frames;
    }

    /** True while frames are still being sent (or awaiting the broker's acknowledgement). */
    boolean streaming() {
        return thread.isAlive();
    }

    int acknowledged() {
        return acknowledged.get();
    }

    /** Waits until every frame is acknowledged by the broker; fails on a send error. */
    void awaitSent(Duration timeout) {
        Waits.until(
                "the camera to have sent all " + frames.size() + " frames",
                timeout,
                () -> {
                    if (error.get() != null) {
                        throw new AssertionError("the camera failed to send", error.get());
                    }
                    return !thread.isAlive();
                },
                () -> acknowledged.get() + " acknowledged");
        if (error.get() != null) {
            throw new AssertionError("the camera failed to send", error.get());
        }
        if (acknowledged.get() != frames.size()) {
            throw new AssertionError(
                    "the camera sent " + acknowledged.get() + " of " + frames.size() + " frames");
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }
}
