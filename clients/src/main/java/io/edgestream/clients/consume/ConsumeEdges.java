package io.edgestream.clients.consume;

import io.edgestream.clients.cli.BrokerCheck;
import io.edgestream.clients.cli.ExitCodes;
import io.edgestream.clients.cli.Framing;
import io.edgestream.clients.cli.KafkaClientOptions;
import io.edgestream.clients.cli.Progress;
import io.edgestream.clients.cli.ToolException;
import io.edgestream.clients.cli.UsageException;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.registry.SchemaRegistryClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * {@code consume-edges}: reads the job's {@code edge-maps} (feature-map tiles) and {@code
 * edge-stats} topics with {@code read_committed}, reassembles each map from its tiles once the
 * map's {@link EdgeStats} has arrived and all {@code tileCount} tiles are there, and writes for
 * every image and filter:
 *
 * <ul>
 *   <li>{@code OUT/<dir>/<filter>.npy}: the float32 map, exact unless sent as FLOAT16 or UINT8
 *       ({@link NpyWriter}; shape {@code (h, w)} or {@code (h, w, c)});
 *   <li>{@code OUT/<dir>/<filter>.png}: an 8-bit view (scaling in {@link PngViews});
 *   <li>a line in {@code OUT/stats.jsonl} ({@link StatsJson});
 *   <li>{@code OUT/index.html}, the gallery ({@link Gallery}), rewritten as images complete;
 *   <li>with {@code --with-originals}, {@code OUT/<dir>/original.png}, a thumbnail of the input
 *       read from the {@code images} topic;
 *   <li>with {@code --dlq}, a line per dead letter in {@code OUT/dead-letters.jsonl} (payload left
 *       out, its size kept) and on the console.
 * </ul>
 *
 * Records may be in either framing, Avro single-object or schema registry (recognised per record;
 * registry-framed ones need {@code --registry URL}, see {@link Framing}).
 *
 * <p>{@code <dir>} is the image id made safe by {@link OutputDir#dirName}. Without a consumer group
 * the tool assigns itself every partition and reads from the beginning ({@code --from earliest}) or
 * only new records ({@code --from latest}); it commits nothing, so every run sees the same data.
 * With {@link Options#group} it starts at the group's committed offsets and commits, after each
 * poll, only offsets before which every map is written and on disk; the maps an earlier run of the
 * group wrote to the same {@code OUT} (its {@code stats.jsonl}) count as written, so a run killed
 * at any point and started again writes every map exactly once. It ends after {@code --images N}
 * complete images (with a group, counting those already in {@code OUT}) or the {@code --timeout},
 * or runs until stopped with {@code --follow}. Use from Java: {@code ConsumeEdges.run(options,
 * System.out)}.
 */
public final class ConsumeEdges {

    /** The tool's name as given to {@code io.edgestream.clients.Main}. */
    public static final String TOOL = "consume-edges";

    /** The longest single poll: how quickly {@link Options#stop()} and the timeout take effect. */
    private static final long POLL_NANOS = 200_000_000L;

    /** Where reading starts. */
    public enum From {
        EARLIEST,
        LATEST
    }

    /**
     * Everything the tool can be told (broker, Kafka settings, progress and verbosity in {@link
     * KafkaClientOptions}); defaults are the command line's.
     */
    public static final class Options extends KafkaClientOptions<Options> {
        String mapsTopic = "edge-maps";
        String statsTopic = "edge-stats";
        String imagesTopic = "images";
        String dlqTopic = "images-dlq";
        Path out = Path.of("out");
        boolean withOriginals = false;
        boolean dlq = false;
        boolean follow = false;
        long images = 0;
        int expectFilters = 0;
        Duration timeout = Duration.ofSeconds(60);
        From from = From.EARLIEST;
        boolean allowUncommitted = false;
        int thumbnailSize = 256;
        String group = null;
        AtomicBoolean stop = new AtomicBoolean();

        /**
         * Keep offsets in this Kafka consumer group: start where its last run stopped, commit only
         * past records whose maps are written (null: no group, read from {@link #from} every time).
         */
        public Options group(String v) {
            group = v;
            return this;
        }

        public Options topics(String maps, String stats, String images, String dlq) {
            mapsTopic = maps;
            statsTopic = stats;
            imagesTopic = images;
            dlqTopic = dlq;
            return this;
        }

        public Options out(Path v) {
            out = v;
            return this;
        }

        /** Also read the input topic and save a thumbnail of each image for the gallery. */
        public Options withOriginals(boolean v) {
            withOriginals = v;
            return this;
        }

        /** Also read the dead-letter topic, print and count its records. */
        public Options dlq(boolean v) {
            dlq = v;
            return this;
        }

        /** Keep reading until {@link #stop()} (or Ctrl-C on the command line). */
        public Options follow(boolean v) {
            follow = v;
            return this;
        }

        /** Stop after this many complete images (0 = no limit). */
        public Options images(long v) {
            images = v;
            return this;
        }

        /**
         * How many filters make an image complete (0 = an image is complete once every map seen for
         * it so far is written).
         */
        public Options expectFilters(int v) {
            expectFilters = v;
            return this;
        }

        /** Give up after this long (ignored with {@link #follow}). */
        public Options timeout(Duration v) {
            timeout = v;
            return this;
        }

        public Options from(From v) {
            from = v;
            return this;
        }

        public Options allowUncommitted(boolean v) {
            allowUncommitted = v;
            return this;
        }

        /** Longer side of the {@code original.png} thumbnails, in pixels. */
        public Options thumbnailSize(int v) {
            thumbnailSize = v;
            return this;
        }

        /** Asks a running {@link ConsumeEdges#run} to finish (within one poll, ~200 ms). */
        public void stop() {
            stop.set(true);
        }
    }

    /** One written map. */
    public record MapResult(String filter, Path npy, Path png, EdgeStats stats) {}

    /** One image with its written maps, in completion order. */
    public record ImageResult(String imageId, Path dir, List<MapResult> maps) {}

    /** A dead letter as seen by the consumer. */
    public record DeadLetterSeen(String imageId, String reason, String message, String source) {}

    /**
     * What a run did.
     *
     * @param images images with at least one written map, in first-completion order
     * @param completeImages how many of them counted as complete (see {@link
     *     Options#expectFilters})
     * @param tiles tile records read
     * @param stats stats records read
     * @param deadLetters dead letters read ({@code --dlq})
     * @param unreadable records that could not be decoded or placed (with reasons)
     * @param incompleteMaps maps still missing tiles or stats at the end ({@code imageId/filter:
     *     have/need})
     * @param targetReached whether {@code --images N} was reached (true without a target)
     */
    public record Summary(
            List<ImageResult> images,
            long completeImages,
            long tiles,
            long stats,
            List<DeadLetterSeen> deadLetters,
            List<String> unreadable,
            List<String> incompleteMaps,
            boolean targetReached,
            double seconds) {

        /** 0 if the target was reached and every record was readable, else 2. */
        public int exitCode() {
            return targetReached && unreadable.isEmpty() ? ExitCodes.OK : ExitCodes.PARTIAL;
        }

        /** Maps written, over all images. */
        public int mapCount() {
            int n = 0;
            for (ImageResult i : images) {
                n += i.maps().size();
            }
            return n;
        }
    }

    private ConsumeEdges() {}

    /**
     * Refuses {@code isolation.level} other than {@code read_committed} unless {@link
     * Options#allowUncommitted} says so.
     */
    static void checkIsolation(Options o) throws UsageException {
        String iso = o.kafka().get(ConsumerConfig.ISOLATION_LEVEL_CONFIG);
        if (iso != null && !iso.equalsIgnoreCase("read_committed") && !o.allowUncommitted) {
            throw new UsageException(
                    "isolation.level="
                            + iso
                            + " would show output of aborted job transactions (duplicates,"
                            + " partial images); add --allow-uncommitted if that is really wanted");
        }
    }

    /** The consumer settings the tool uses for {@code o}, user settings applied last. */
    public static Properties consumerProperties(Options o) {
        return EdgeTopics.consumerProperties(o);
    }

    /**
     * Runs the tool until its end condition; see the class documentation.
     *
     * @throws ToolException if the broker is unreachable, a topic is missing, the isolation level
     *     is refused, or the output cannot be written
     */
    public static Summary run(Options o, PrintStream out) {
        try {
            checkIsolation(o);
        } catch (UsageException e) {
            throw new ToolException(e.getMessage(), ExitCodes.USAGE, e);
        }
        Properties props = consumerProperties(o);
        ConsumeReport report = new ConsumeReport(out, o.verbose());
        report.settings(props);
        List<String> topics = EdgeTopics.topics(o);
        BrokerCheck.check(props, o.connectTimeout(), topics);
        SchemaRegistryClient registry = Framing.client(o);
        if (registry != null) {
            Framing.checkReachable(registry, Framing.subject(o.mapsTopic));
        }
        report.wireFormat(o.wireFormat(), o.registry(), -1);
        try {
            Files.createDirectories(o.out);
        } catch (IOException e) {
            throw new ToolException(
                    "cannot create the output directory " + o.out.toAbsolutePath() + ": " + e,
                    ExitCodes.FAILED,
                    e);
        }
        Progress progress = new Progress(out, o.progress(), "images", o.images > 0 ? o.images : -1);
        try (OutputDir output = OutputDir.open(o.out, o.group != null);
                EdgeTopics in = EdgeTopics.open(o, props, topics, registry)) {
            EdgeCollector collector = new EdgeCollector(o, output, report, progress);
            if (o.group != null) {
                collector.resume(output.earlier());
                report.resumed(
                        o.group,
                        collector.resumedMaps(),
                        collector.completeImages(),
                        in.resumedFrom());
            }
            Summary s = loop(o, in, output, collector, progress);
            report.summary(s, o, collector.duplicates());
            return s;
        } catch (IOException e) {
            throw new ToolException(
                    "cannot write to " + o.out.toAbsolutePath() + ": " + e, ExitCodes.FAILED, e);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new ToolException(
                    "Kafka error while consuming from "
                            + o.bootstrap()
                            + ": "
                            + BrokerCheck.rootMessage(e),
                    ExitCodes.FAILED,
                    e);
        }
    }

    /**
     * Polls until {@code --images N} images are complete, the timeout passes, or {@link
     * Options#stop()}; keeps the progress display and the gallery current.
     */
    private static Summary loop(
            Options o, EdgeTopics in, OutputDir output, EdgeCollector collector, Progress progress)
            throws IOException {
        long start = System.nanoTime();
        long deadline = o.follow ? Long.MAX_VALUE : start + o.timeout.toNanos();
        boolean reached = false;
        while (!o.stop.get()) {
            if (o.images > 0 && collector.completeImages() >= o.images) {
                reached = true;
                break;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            in.poll(Duration.ofNanos(Math.min(left, POLL_NANOS)), collector);
            in.release(collector.drainWritten());
            in.commit(output::sync);
            progress.tick();
            collector.updateGallery(System.nanoTime());
        }
        if (o.images <= 0) {
            reached = true;
        }
        progress.finish();
        collector.writeGallery(System.nanoTime());
        return collector.summary(reached, (System.nanoTime() - start) / 1e9);
    }
}
